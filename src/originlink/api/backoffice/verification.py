"""``/api/v1/verifications``: retroactive verification cases (P8), on both sides.

Evidence files travel as base64 inside the JSON body (``{"name", "media_type", "content"}``),
at most 10 per request or answer and ``max_attachment_bytes`` (5 MiB) together; each is kept
with its SHA-256 and can be downloaded again.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from originlink.api.deps import MAX_CODE, ActorDep, IdPath, JsonBody, NodeDep, PageDep
from originlink.services.verification import answers as verification_issuer
from originlink.services.verification import cases
from originlink.services.verification import requests as verification_service

router = APIRouter(prefix="/verifications", tags=["verification"])

REQUEST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "example": {
                    "certificate_id": "<id of the received CO>",
                    "reasons": ["ORIGINATING_STATUS"],
                    "items": [1],
                    "questions": ["Provide the cost breakdown supporting RVC 45%."],
                    "reply_days": 60,
                    "attachments": [
                        {"name": "invoice.pdf", "media_type": "application/pdf", "content": "..."}
                    ],
                }
            }
        },
    }
}


@router.post("", status_code=201, summary="Open a verification case", openapi_extra=REQUEST_BODY)
def open_case(body: JsonBody, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Customs officers: ask the issuing side to verify a received CO (reasons from the code
    list RANDOM, AUTHENTICITY, ORIGINATING_STATUS, ORIGIN_CRITERION, CLASSIFICATION,
    VALUE_CONTENT, DIRECT_TRANSPORT, OTHER_REQUIREMENTS; items, questions, evidence; optional
    `visit` notice). The deadline comes from the agreement profile (`reply_days` chooses
    inside a range such as RCEP's 30-90 days); without one the case says so."""
    case = verification_service.request_verification(node, actor, body)
    return cases.get_case(node, actor, case.id)


@router.get("", summary="List verification cases")
def list_cases(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    side: Annotated[
        str | None,
        Query(max_length=MAX_CODE, description="import (requested here) or export (asked of us)"),
    ] = None,
    status: Annotated[
        str | None,
        Query(max_length=MAX_CODE, description="OPEN, ACKNOWLEDGED, ANSWERED or NO_REPLY"),
    ] = None,
    certificate_id: Annotated[str | None, Query(max_length=MAX_CODE, description="CO id.")] = None,
) -> dict[str, Any]:
    """Newest first, each with its status and due date."""
    items, total = cases.list_cases(
        node,
        actor,
        side=side,
        status=status,
        certificate_id=certificate_id,
        limit=page.limit,
        offset=page.offset,
    )
    return page.envelope(items, total)


@router.get("/{case_id}", summary="Read a verification case")
def get_case(case_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The request, due date and how it was computed, acknowledgement, visit consent, the
    answer per item, evidence files (digests) and, on the importing side, the claims on the
    items concerned."""
    return cases.get_case(node, actor, case_id)


@router.get("/{case_id}/files/{file_id}", summary="Download an evidence file")
def get_file(case_id: IdPath, file_id: IdPath, node: NodeDep, actor: ActorDep) -> Response:
    """The file's bytes; the header `X-Content-SHA256` carries its SHA-256."""
    name, media_type, content, sha256 = cases.get_file(node, actor, case_id, file_id)
    return Response(
        content,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-SHA256": sha256,
        },
    )


@router.post("/{case_id}/acknowledge", summary="Acknowledge a verification request")
def acknowledge(case_id: IdPath, body: JsonBody, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Issuing officers: acknowledge receipt; `{"visit_consent": "GRANTED" | "REFUSED"}` answers
    a visit notice (before its consent deadline). Body may be `{}`."""
    verification_issuer.acknowledge(node, actor, case_id, body)
    return cases.get_case(node, actor, case_id)


@router.post("/{case_id}/answer", summary="Answer a verification request")
def answer(case_id: IdPath, body: JsonBody, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Issuing officers: `{"items": [{"item": 1, "result": "CONFIRMED" | "NOT_CONFIRMED" |
    "PARTIALLY_CONFIRMED", "findings": "..."}], "summary": "...", "attachments": [...]}`; one
    answer per item concerned. The CO becomes VERIFIED (all confirmed) or NOT_CONFIRMED."""
    verification_issuer.answer(node, actor, case_id, body)
    return cases.get_case(node, actor, case_id)
