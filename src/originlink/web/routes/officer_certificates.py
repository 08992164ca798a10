"""The issuing officer's certificates: the issued COs with filters, a CO's page with its
history, links and use, its PDF, cancellation with a reason, and the replacement applications
waiting for it (replacing a CO is issuing its replacement application)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import Conflict, ValidationFailed
from originlink.services.importing.utilisation import utilisation_view
from originlink.services.issuing import applications as app_service
from originlink.services.issuing import certificates as service
from originlink.services.issuing.rendering import certificate_pdf
from originlink.services.issuing.status_changes import cancel_certificate
from originlink.store.repos.applications import ApplicationFilter
from originlink.store.repos.certificates import CertificateFilter
from originlink.web import choices
from originlink.web.guards import IssuingOfficer, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import gettext, render

router = APIRouter(prefix="/app/officer", route_class=WebRoute, include_in_schema=False)
PAGE = 25
STATUSES = ("ISSUED", "CANCELLED", "REPLACED", "EXPIRED")


@router.get("/certificates")
def certificates(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    status: Annotated[str | None, Query(max_length=16)] = None,
    agreement: Annotated[str | None, Query(max_length=20)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    wanted = status if status in STATUSES else None
    codes = [code for code, _name in choices.agreements(node)]
    chosen = agreement if agreement in codes else None
    filt = CertificateFilter(side="export", status=wanted, agreement=chosen)
    items, total = service.list_certificates(node, session.actor, filt, limit=PAGE, offset=offset)
    return render(
        request,
        "app/certificates/list.html",
        items=items,
        total=total,
        wanted=wanted,
        statuses=STATUSES,
        offset=offset,
        page=PAGE,
        base="/app/officer/certificates",
        filters={"agreement": ("Agreement", chosen, codes)},
    )


@router.get("/certificates/{certificate_id}.pdf")
def pdf(node: NodeDep, session: IssuingOfficer, certificate_id: str) -> Response:
    result = certificate_pdf(
        node, session.actor, certificate_id, fallback_fonts=node.settings.pdf_fonts
    )
    return Response(
        result.pdf.data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{result.filename}"'},
    )


def _page(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    certificate_id: str,
    *,
    status: int = 200,
    message: str | None = None,
) -> Response:
    view = service.get_certificate(node, session.actor, certificate_id)
    replacements, _total = app_service.list_applications(
        node,
        session.actor,
        ApplicationFilter(status="SUBMITTED", related_certificate_id=certificate_id),
        limit=20,
        offset=0,
    )
    return render(
        request,
        "app/officer/certificate.html",
        status=status,
        cert=view,
        usage=utilisation_view(node, session.actor, certificate_id),
        base="/app/officer/certificates",
        role_actions="officer",
        waiting=replacements,
        message=message,
        message_tone="bad" if status >= 400 else "good",
    )


@router.get("/certificates/{certificate_id}")
def certificate(
    request: Request, node: NodeDep, session: IssuingOfficer, certificate_id: str
) -> Response:
    _ = gettext(request)
    message = None
    if "issued" in request.query_params:
        message = _("The certificate is issued and signed; it is sent to the importing country.")
    elif "cancelled" in request.query_params:
        message = _("The certificate is cancelled; the importing country is told.")
    return _page(request, node, session, certificate_id, message=message)


@router.post("/certificates/{certificate_id}/cancel")
def cancel(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    certificate_id: str,
    reason: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    _ = gettext(request)
    if not reason.strip():
        message = _("Give the reason for cancelling.")
        return _page(request, node, session, certificate_id, status=422, message=message)
    try:
        cancel_certificate(node, session.actor, certificate_id, reason=reason)
    except (Conflict, ValidationFailed) as exc:
        return _page(request, node, session, certificate_id, status=409, message=exc.detail)
    target = f"/app/officer/certificates/{certificate_id}?cancelled=1"
    return RedirectResponse(target, status_code=303)
