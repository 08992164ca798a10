"""Reading and verifying the audit chain."""

from __future__ import annotations

from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.services.context import Node
from originlink.store.audit import ChainReport


def verify(node: Node, actor: Actor) -> ChainReport:
    """Recompute the whole chain; the report names the first broken record, if any."""
    actor.require(Permission.AUDIT_READ)
    with node.store.read() as tx:
        return tx.audit.verify_chain()


def records(
    node: Node,
    actor: Actor,
    *,
    entity_type: str | None = None,
    entity_id: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    actor.require(Permission.AUDIT_READ)
    with node.store.read() as tx:
        rows = tx.audit.records(
            entity_type=entity_type, entity_id=entity_id, after_seq=after_seq, limit=limit
        )
    return [{**r, "at": r["at"].isoformat()} for r in rows]
