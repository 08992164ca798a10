"""``/api/v1/certificates``: issued and received COs with their history and links."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from originlink.api.deps import MAX_CODE, ActorDep, IdPath, NodeDep, PageDep
from originlink.services.issuing import applications as app_service
from originlink.services.issuing import certificates as cert_service
from originlink.services.issuing import status_changes
from originlink.store.repos.certificates import CertificateFilter

router = APIRouter(prefix="/certificates", tags=["certificates"])


class Cancellation(BaseModel):
    reason: str = Field(min_length=1, max_length=2048, description="Why the CO is cancelled.")


@router.get("", summary="List certificates")
def list_certificates(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    side: Annotated[
        str | None,
        Query(max_length=MAX_CODE, description="export (issued here) or import (received)"),
    ] = None,
    status_: Annotated[
        str | None, Query(max_length=MAX_CODE, alias="status", description="Record status.")
    ] = None,
    agreement: Annotated[
        str | None, Query(max_length=MAX_CODE, description="Agreement code.")
    ] = None,
    partner: Annotated[
        str | None, Query(max_length=MAX_CODE, description="Partner participant id.")
    ] = None,
    importing_country: Annotated[
        str | None, Query(max_length=MAX_CODE, description="ISO 3166-1 alpha-2.")
    ] = None,
    number: Annotated[str | None, Query(max_length=MAX_CODE, description="CO number.")] = None,
    issued_from: Annotated[datetime | None, Query(description="Issued at or after.")] = None,
    issued_to: Annotated[datetime | None, Query(description="Issued before.")] = None,
) -> dict[str, Any]:
    """Newest first; `effective_status` shows EXPIRED once validity has ended. Exporters see
    only their organisation's certificates."""
    filt = CertificateFilter(
        side=side,
        status=status_,
        agreement=agreement,
        partner=partner,
        importing_country=importing_country,
        number=number,
        issued_from=issued_from,
        issued_to=issued_to,
    )
    items, total = cert_service.list_certificates(
        node, actor, filt, limit=page.limit, offset=page.offset
    )
    return page.envelope(items, total)


@router.get("/{certificate_id}", summary="Read a certificate")
def get(certificate_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The record, its signed document, its status history and its links (replaces,
    replaced by, true copy of, back-to-back of)."""
    return cert_service.get_certificate(node, actor, certificate_id)


@router.post("/{certificate_id}/cancel", summary="Cancel a certificate")
def cancel(
    certificate_id: IdPath, body: Cancellation, node: NodeDep, actor: ActorDep
) -> dict[str, Any]:
    """ISSUED → CANCELLED (issuing officers, P6). 409 from any other status."""
    status_changes.cancel_certificate(node, actor, certificate_id, reason=body.reason)
    return cert_service.get_certificate(node, actor, certificate_id)


@router.post(
    "/{certificate_id}/true-copy-request",
    status_code=status.HTTP_201_CREATED,
    summary="Ask for a certified true copy",
)
def true_copy_request(certificate_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Creates a `true_copy` application (P11) carrying the original's content; submit it and
    an officer issues the copy with the original's number and issue date."""
    return app_service.request_true_copy(node, actor, certificate_id).as_dict()
