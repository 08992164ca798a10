"""The customs officer's received certificates: the list with its filters, one certificate's
page, and opening a verification case from it.

Routes read the request and pick the page; the lists, checks and the case are the services'
(:mod:`originlink.services.importing.received`, ``received_view``,
:mod:`originlink.services.verification.requests`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import Conflict, InputError, PermanentError, ValidationFailed
from originlink.domain.verification import REASON_TEXT, RequestReason
from originlink.services.importing.received import (
    RECEIVED_STATUSES,
    ListQuery,
    received_certificates,
    received_partners,
)
from originlink.services.importing.received_view import received_certificate
from originlink.services.verification.requests import request_verification
from originlink.web.guards import CustomsOfficer, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/customs", route_class=WebRoute, include_in_schema=False)

#: The list's filter fields, as the form names them.
FILTERS = ("status", "partner", "agreement", "issued_from", "issued_to", "number")


def list_query(request: Request) -> ListQuery:
    params = request.query_params
    return ListQuery(**{name: params.get(name, "")[:120] for name in (*FILTERS, "after", "page")})


def render_list(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    """The list page for the request's filters (also what ``bench web`` measures)."""
    query = list_query(request)
    error = None
    try:
        page = received_certificates(node, session.actor, query)
    except InputError as exc:
        page, error = None, exc
    return render(
        request,
        "app/customs/certificates.html",
        status=400 if error else 200,
        page=page,
        query=query,
        error=error,
        statuses=RECEIVED_STATUSES,
        partners=received_partners(node, session.actor),
        agreements=sorted(node.profiles.codes()),
        filters={name: getattr(query, name) for name in FILTERS},
    )


@router.get("/certificates")
def certificates(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    return render_list(request, node, session)


def _certificate_page(
    request: Request,
    node: NodeDep,
    session: CustomsOfficer,
    certificate_id: str,
    *,
    error: PermanentError | None = None,
    typed: dict[str, object] | None = None,
) -> Response:
    view = received_certificate(node, session.actor, certificate_id)
    return render(
        request,
        "app/customs/certificate.html",
        status=400 if error else 200,
        view=view,
        error=error,
        typed=typed or {},
        reasons=[(r.value, REASON_TEXT[r]) for r in RequestReason],
    )


@router.get("/certificates/{certificate_id}")
def certificate(
    request: Request, node: NodeDep, session: CustomsOfficer, certificate_id: str
) -> Response:
    return _certificate_page(request, node, session, certificate_id[:64])


@router.post("/certificates/{certificate_id}/verification")
def open_verification(
    request: Request,
    node: NodeDep,
    session: CustomsOfficer,
    certificate_id: str,
    questions: Annotated[str, Form(max_length=4000)] = "",
    reply_days: Annotated[str, Form(max_length=4)] = "",
    reasons: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = [r for r in reasons or [] if r in RequestReason.__members__.values()]
    data: dict[str, object] = {
        "certificate_id": certificate_id[:64],
        "reasons": chosen,
        "questions": [q.strip() for q in questions.splitlines() if q.strip()],
    }
    if reply_days.strip():
        data["reply_days"] = int(reply_days) if reply_days.strip().isdigit() else reply_days
    try:
        case = request_verification(node, session.actor, data)
    except (ValidationFailed, InputError, Conflict) as exc:
        typed: dict[str, object] = {
            "questions": questions,
            "reply_days": reply_days,
            "reasons": chosen,
        }
        return _certificate_page(
            request, node, session, certificate_id[:64], error=exc, typed=typed
        )
    return RedirectResponse(f"/app/customs/verifications/{case.id}", status_code=303)
