"""``/api/v1/audit``: the audit chain (role ``admin``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from originlink.api.deps import MAX_CODE, MAX_COUNT, ActorDep, NodeDep
from originlink.services.node import audit as audit_service

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", summary="Read audit records")
def list_records(
    node: NodeDep,
    actor: ActorDep,
    entity_type: Annotated[
        str | None, Query(max_length=MAX_CODE, description="e.g. certificate, application")
    ] = None,
    entity_id: Annotated[
        str | None, Query(max_length=MAX_CODE, description="Id of the entity.")
    ] = None,
    after_seq: Annotated[
        int, Query(ge=0, le=MAX_COUNT, description="Only records after this one.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Records in chain order with actor, time, action, before/after digests and hashes."""
    items = audit_service.records(
        node, actor, entity_type=entity_type, entity_id=entity_id, after_seq=after_seq, limit=limit
    )
    return {"items": items, "next_after_seq": items[-1]["seq"] if items else None}


@router.get("/verify", summary="Verify the audit chain")
def verify(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Recompute every record's hash and link; names the first broken record."""
    return audit_service.verify(node, actor).as_dict()
