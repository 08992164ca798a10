"""The exporter's certificates: the list with statuses, a certificate's page (history, links,
how it was used), its PDF, and requests for a certified true copy or a replacement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from originlink.services.importing.utilisation import utilisation_view
from originlink.services.issuing import application_files
from originlink.services.issuing import applications as app_service
from originlink.services.issuing import certificates as service
from originlink.services.issuing.rendering import certificate_pdf
from originlink.store.repos.certificates import CertificateFilter
from originlink.web.guards import Exporter, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/exporter", route_class=WebRoute, include_in_schema=False)
PAGE = 25
STATUSES = ("ISSUED", "CANCELLED", "REPLACED", "EXPIRED")


@router.get("/certificates")
def certificates(
    request: Request,
    node: NodeDep,
    session: Exporter,
    status: Annotated[str | None, Query(max_length=16)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    wanted = status if status in STATUSES else None
    filt = CertificateFilter(side="export", status=wanted)
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
        base="/app/exporter/certificates",
        filters={},
    )


@router.get("/certificates/{certificate_id}.pdf")
def pdf(node: NodeDep, session: Exporter, certificate_id: str) -> Response:
    result = certificate_pdf(
        node, session.actor, certificate_id, fallback_fonts=node.settings.pdf_fonts
    )
    return Response(
        result.pdf.data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{result.filename}"'},
    )


@router.get("/certificates/{certificate_id}")
def certificate(
    request: Request, node: NodeDep, session: Exporter, certificate_id: str
) -> Response:
    view = service.get_certificate(node, session.actor, certificate_id)
    usage = utilisation_view(node, session.actor, certificate_id)
    return render(
        request,
        "app/certificates/detail.html",
        cert=view,
        usage=usage,
        base="/app/exporter/certificates",
        role_actions="exporter",
    )


@router.post("/certificates/{certificate_id}/true-copy")
def true_copy(node: NodeDep, session: Exporter, certificate_id: str) -> Response:
    record = app_service.request_true_copy(node, session.actor, certificate_id)
    return RedirectResponse(f"/app/exporter/applications/{record.id}?saved=1", status_code=303)


@router.post("/certificates/{certificate_id}/replacement")
def replacement(node: NodeDep, session: Exporter, certificate_id: str) -> Response:
    record = application_files.request_replacement(node, session.actor, certificate_id)
    return RedirectResponse(f"/app/exporter/applications/{record.id}?saved=1", status_code=303)
