"""``/api/v1/applications``: exporters draft and submit; issuing officers issue or refuse."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, Field

from originlink.api.deps import MAX_CODE, MAX_COUNT, ActorDep, IdPath, JsonBody, NodeDep, PageDep
from originlink.api.openapi import CO_DOCUMENT_BODY
from originlink.services.issuing import applications as app_service
from originlink.services.issuing import issuance
from originlink.services.issuing.certificates import certificate_view
from originlink.store.repos.applications import ApplicationFilter

router = APIRouter(prefix="/applications", tags=["applications"])


class Refusal(BaseModel):
    reasons: list[Annotated[str, Field(min_length=1, max_length=2048)]] = Field(
        min_length=1, max_length=50, description="Why the application is refused (1-50)."
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an application",
    openapi_extra=CO_DOCUMENT_BODY,
)
def create(
    body: JsonBody,
    node: NodeDep,
    actor: ActorDep,
    kind: Annotated[
        str,
        Query(
            max_length=MAX_CODE,
            description=(
                "new, retroactive (issue after shipment, P10), back_to_back (P9), replacement "
                "(of related_certificate_id, P7) or true_copy (of related_certificate_id, P11)"
            ),
        ),
    ] = "new",
    related_certificate_id: Annotated[
        str | None,
        Query(
            max_length=MAX_CODE, description="The certificate a replacement or true copy is for."
        ),
    ] = None,
) -> dict[str, Any]:
    """Create a DRAFT from a CO document without the issuing authority's fields. The draft is
    stored even when incomplete; its `findings` say what to fix before submitting."""
    record = app_service.create_application(
        node, actor, body, kind=kind, related_certificate_id=related_certificate_id
    )
    return record.as_dict()


@router.get("", summary="List applications")
def list_applications(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    status_: Annotated[
        str | None,
        Query(
            max_length=MAX_CODE, alias="status", description="DRAFT, SUBMITTED, ISSUED, NOT_ISSUED"
        ),
    ] = None,
    agreement: Annotated[
        str | None, Query(max_length=MAX_CODE, description="Agreement code, e.g. RCEP.")
    ] = None,
    importing_country: Annotated[
        str | None, Query(max_length=MAX_CODE, description="ISO 3166-1 alpha-2.")
    ] = None,
    created_from: Annotated[datetime | None, Query(description="Created at or after.")] = None,
    created_to: Annotated[datetime | None, Query(description="Created before.")] = None,
) -> dict[str, Any]:
    """Newest first. Exporters see only their organisation's applications."""
    filt = ApplicationFilter(
        status=status_,
        agreement=agreement,
        importing_country=importing_country,
        created_from=created_from,
        created_to=created_to,
    )
    records, total = app_service.list_applications(
        node, actor, filt, limit=page.limit, offset=page.offset
    )
    return page.envelope([r.as_dict() for r in records], total)


@router.get("/{app_id}", summary="Read an application")
def get(app_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The application with its content, findings and, once decided, its outcome."""
    return app_service.get_application(node, actor, app_id).as_dict()


@router.put("/{app_id}", summary="Edit a draft", openapi_extra=CO_DOCUMENT_BODY)
def update(
    app_id: IdPath,
    body: JsonBody,
    node: NodeDep,
    actor: ActorDep,
    revision: Annotated[
        int | None,
        Query(
            ge=0,
            le=MAX_COUNT,
            description="The revision you edited; 409 if someone changed it since.",
        ),
    ] = None,
) -> dict[str, Any]:
    """Replace the content of a DRAFT (or of a refused application, which becomes a DRAFT)."""
    return app_service.update_application(
        node, actor, app_id, body, expected_revision=revision
    ).as_dict()


@router.post("/{app_id}/submit", summary="Submit for issuance")
def submit(app_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """DRAFT → SUBMITTED. Refused with 422 and the findings when any finding is SEVERE."""
    return app_service.submit_application(node, actor, app_id).as_dict()


@router.post("/{app_id}/withdraw", summary="Withdraw a submission")
def withdraw(app_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """SUBMITTED → DRAFT, before an officer decides."""
    return app_service.withdraw_application(node, actor, app_id).as_dict()


@router.post(
    "/{app_id}/issue", status_code=status.HTTP_201_CREATED, summary="Issue the certificate"
)
def issue(app_id: IdPath, node: NodeDep, actor: ActorDep) -> Response:
    """SUBMITTED → ISSUED (issuing officers): allocates the CO number, completes the issuer's
    fields, signs, validates and stores the CO. Returns the certificate.

    Errors (problem+json, nothing saved): 409 when the application is not SUBMITTED or the
    allocated number is already held by another CO (a number sequence set back by hand);
    422 with the findings when the completed CO fails validation."""
    issued = issuance.issue_application(node, actor, app_id)
    view = certificate_view(node, issued.certificate, history=[], links=[])
    return Response(
        json.dumps(view, ensure_ascii=False, separators=(",", ":")),
        status_code=201,
        media_type="application/json",
    )


@router.post("/{app_id}/refuse", summary="Refuse the application")
def refuse(app_id: IdPath, body: Refusal, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """SUBMITTED → NOT_ISSUED with the officer's reasons (issuing officers)."""
    return app_service.refuse_application(node, actor, app_id, body.reasons).as_dict()
