"""``/api/v1/claims``: preference claims (P4), the usage ledger, utilisation and the
post-clearance review list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from originlink.api.deps import MAX_CODE, ActorDep, IdPath, JsonBody, NodeDep, PageDep, SeqPath
from originlink.domain.errors import InputError
from originlink.services.importing import claim_records
from originlink.services.importing import claims as claim_service
from originlink.services.importing import reviews as review_service
from originlink.services.importing import utilisation as utilisation_service

router = APIRouter(tags=["claims"])

DECLARATION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "example": {
                    "id": "JP-2025-000042",
                    "importer": {"name": "Example Trading KK"},
                    "date": "2025-03-10",
                    "agreement": "RCEP",
                    "certificate": {"issuing_country": "SG", "number": "RCEP-SG-2025-000001"},
                    "lines": [
                        {
                            "line_number": 1,
                            "co_item": 1,
                            "hs_code": "8482.10",
                            "quantity": {"value": "400", "unit_code": "H87"},
                            "customs_value": {"value": "6083.33", "currency_code": "USD"},
                        }
                    ],
                }
            }
        },
    }
}


def _text(body: Any, key: str) -> str:
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, str):
        raise InputError(f"the request body needs {{'{key}': '...'}}", pointer=f"/{key}")
    return value


@router.post(
    "/claims", summary="Claim preference for a declaration", openapi_extra=DECLARATION_BODY
)
def post_claim(body: JsonBody, node: NodeDep, actor: ActorDep, response: Response) -> Any:
    """Decide every line of an import declaration (customs officers): GRANTED (the quantity is
    drawn from the CO item), DENIED or REFERRED, each with `reason_codes` and `facts`. A CO not
    held yet is pulled from the exporting partner first. Re-posting the same declaration returns
    the stored decision (`outcome: REPLAYED`, 200); other content under the same id is an
    amendment (`AMENDED`: earlier draws are re-credited, then decided again). A new declaration
    answers 201 (`DECIDED`)."""
    result = claim_service.submit_declaration(node, actor, body)
    response.status_code = 201 if result.outcome.value == "DECIDED" else 200
    return result.as_dict()


@router.get("/claims", summary="List declarations")
def list_claims(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    certificate_id: Annotated[
        str | None, Query(max_length=MAX_CODE, description="Received CO id.")
    ] = None,
    number: Annotated[str | None, Query(max_length=MAX_CODE, description="CO number.")] = None,
    status: Annotated[
        str | None, Query(max_length=MAX_CODE, description="DECIDED or INVALIDATED.")
    ] = None,
) -> dict[str, Any]:
    """Newest first, with each declaration's decision."""
    records, total = claim_records.list_declarations(
        node,
        actor,
        certificate_id=certificate_id,
        number=number,
        status=status,
        limit=page.limit,
        offset=page.offset,
    )
    return page.envelope([r.as_dict() for r in records], total)


@router.get("/claims/{declaration_id}", summary="Read a declaration")
def get_claim(declaration_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The declaration as posted, its revision, status and the decision of every line."""
    return claim_records.get_declaration(node, actor, declaration_id).as_dict()


@router.post("/claims/{declaration_id}/invalidate", summary="Invalidate a declaration")
def invalidate(declaration_id: IdPath, body: JsonBody, node: NodeDep, actor: ActorDep) -> Any:
    """Body `{"reason": "..."}`. Everything the declaration drew is re-credited (ledger rows)
    and the issuing side is told (`co.utilisation` with RECREDIT entries)."""
    record = claim_service.invalidate(node, actor, declaration_id, reason=_text(body, "reason"))
    return record.as_dict()


@router.post("/claims/{declaration_id}/redecide", summary="Decide a declaration again")
def redecide(declaration_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Re-credit and decide the stored declaration again (e.g. REFERRED lines once the CO
    arrived or its verification ended); `outcome: REDECIDED`."""
    return claim_service.decide_again(node, actor, declaration_id).as_dict()


@router.get("/certificates/{certificate_id}/usage", summary="Usage ledger of a received CO")
def usage(certificate_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Importing side: each item's quantity and remaining quantity, every ledger row (draws
    and re-credits) and the claims that hold quantity."""
    return claim_records.usage(node, actor, certificate_id)


@router.get("/certificates/{certificate_id}/utilisation", summary="Utilisation of an issued CO")
def utilisation(certificate_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Issuing side: per item, the quantity on the CO, what importing partners reported as
    used and re-credited, and each report (which partner, which declaration, when)."""
    return utilisation_service.utilisation_view(node, actor, certificate_id)


@router.get("/claim-reviews", summary="Claims listed for post-clearance review")
def list_reviews(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    status: Annotated[str | None, Query(max_length=MAX_CODE, description="OPEN or CLOSED.")] = None,
    certificate_id: Annotated[
        str | None, Query(max_length=MAX_CODE, description="Received CO id.")
    ] = None,
) -> dict[str, Any]:
    """Claims whose CO was later cancelled or replaced, or whose item's origin verification
    did not confirm it or lapsed without a reply."""
    items, total = review_service.list_reviews(
        node,
        actor,
        status=status,
        certificate_id=certificate_id,
        limit=page.limit,
        offset=page.offset,
    )
    return page.envelope(items, total)


@router.post("/claim-reviews/{review_id}/close", summary="Close a review")
def close_review(review_id: SeqPath, body: JsonBody, node: NodeDep, actor: ActorDep) -> Any:
    """Body `{"note": "..."}`: the officer's conclusion."""
    return review_service.close_review(node, actor, review_id, note=_text(body, "note"))
