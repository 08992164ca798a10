"""``/api/v1/audit``: the audit chain (role ``admin``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from originlink.api.deps import ActorDep, NodeDep
from originlink.services.node import audit as audit_service
from originlink.services.node import checkpoints as checkpoint_service

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", summary="Read audit records")
def list_records(
    node: NodeDep,
    actor: ActorDep,
    entity_type: Annotated[str | None, Query(description="e.g. certificate, application")] = None,
    entity_id: Annotated[str | None, Query(description="Id of the entity.")] = None,
    after_seq: Annotated[int, Query(ge=0, description="Only records after this one.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Records in chain order with actor, time, action, before/after digests and hashes."""
    items = audit_service.records(
        node, actor, entity_type=entity_type, entity_id=entity_id, after_seq=after_seq, limit=limit
    )
    return {"items": items, "next_after_seq": items[-1]["seq"] if items else None}


@router.get("/verify", summary="Verify the audit chain")
def verify(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Recompute every record's hash and link, check this node's signed checkpoints and
    compare the chain with them; names the first record that fails. (What partners hold is
    compared with `originlink audit verify --partner-checkpoints FILE`.)"""
    return audit_service.verify(node, actor).as_dict()


@router.post("/checkpoints", summary="Sign a checkpoint of the audit chain now")
def make_checkpoint(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Signs (sequence, head hash, time) of the chain with the node's key (the worker also
    makes one every `[audit] checkpoint_seconds`); partners receive it with the next message.
    `checkpoint` is null for an empty chain."""
    made = checkpoint_service.make_checkpoint(node, actor)
    return {"checkpoint": made.as_dict() if made is not None else None}


@router.get("/checkpoints", summary="This node's signed checkpoints")
def list_checkpoints(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Every checkpoint this node signed of its audit chain, oldest first."""
    return {"items": checkpoint_service.own_checkpoints(node, actor)}


@router.get("/partner-checkpoints", summary="What this node holds of its partners' logs")
def partner_checkpoints(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The latest checkpoint received from each partner (signature checked on receipt), in
    the file format a partner's `audit verify --partner-checkpoints` reads."""
    return checkpoint_service.partner_checkpoints_document(node, actor)
