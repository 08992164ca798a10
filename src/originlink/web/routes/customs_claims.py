"""The customs officer's preference claims: enter a declaration's claim on a form, see it
decided line by line with the reasons, list the claims, and the claims listed for
post-clearance review (closed with a note).

The decision is :func:`originlink.services.importing.claims.submit_declaration`'s; the form is
only turned into its input (:mod:`originlink.web.claim_form`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import Conflict, InputError, ValidationFailed
from originlink.services.importing import claim_records, claims, reviews
from originlink.services.importing.received_view import received_certificate
from originlink.web.claim_form import (
    LINE_FIELDS,
    REASON_LABELS,
    declaration_from_form,
    form_from_certificate,
    row_count,
)
from originlink.web.guards import CustomsOfficer, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/customs", route_class=WebRoute, include_in_schema=False)

PAGE = 50
DECLARATION_STATUSES = ("DECIDED", "INVALIDATED")


def _offset(request: Request) -> int:
    value = request.query_params.get("offset", "0")
    return min(int(value), 100_000) if value.isdigit() else 0


@router.get("/claims")
def claims_list(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    status = request.query_params.get("status", "")[:20] or None
    offset = _offset(request)
    found, total = claim_records.list_declarations(
        node, session.actor, status=status, limit=PAGE, offset=offset
    )
    return render(
        request,
        "app/customs/claims.html",
        declarations=found,
        total=total,
        offset=offset,
        page_size=PAGE,
        status_filter=status or "",
        statuses=DECLARATION_STATUSES,
    )


def _form_page(
    request: Request,
    values: dict[str, str],
    *,
    error: ValidationFailed | InputError | Conflict | None = None,
) -> Response:
    return render(
        request,
        "app/customs/claim_form.html",
        status=400 if error else 200,
        values=values,
        rows=row_count(values),
        line_fields=LINE_FIELDS,
        error=error,
    )


@router.get("/claims/new")
def new_claim(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    certificate_id = request.query_params.get("certificate", "")[:64]
    values: dict[str, str] = {"date": node.local_now().date().isoformat()}
    if certificate_id:
        view = received_certificate(node, session.actor, certificate_id)
        values = form_from_certificate(view, values["date"])
    return _form_page(request, values)


@router.post("/claims/new")
async def submit_claim(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    form = await request.form()
    values = {k: v[:256] for k, v in form.items() if isinstance(v, str)}
    try:
        result = claims.submit_declaration(node, session.actor, declaration_from_form(values))
    except (ValidationFailed, InputError, Conflict) as exc:
        return _form_page(request, values, error=exc)
    return RedirectResponse(f"/app/customs/claims/{result.record.id}", status_code=303)


@router.get("/claims/{declaration_id}")
def claim(
    request: Request, node: NodeDep, session: CustomsOfficer, declaration_id: str
) -> Response:
    record = claim_records.get_declaration(node, session.actor, declaration_id[:64])
    return render(
        request, "app/customs/claim.html", declaration=record, reason_labels=REASON_LABELS
    )


@router.get("/reviews")
def review_list(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    status = request.query_params.get("status", "OPEN")[:10]
    offset = _offset(request)
    found, total = reviews.list_reviews(
        node, session.actor, status=status or None, limit=PAGE, offset=offset
    )
    return render(
        request,
        "app/customs/reviews.html",
        reviews=found,
        total=total,
        offset=offset,
        page_size=PAGE,
        status_filter=status,
        reason_labels=REASON_LABELS,
    )


@router.post("/reviews/{review_id}/close")
def close_review(
    node: NodeDep,
    session: CustomsOfficer,
    review_id: int,
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    reviews.close_review(node, session.actor, review_id, note=note)
    return RedirectResponse("/app/customs/reviews", status_code=303)
