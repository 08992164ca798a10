"""Reading and verifying the audit chain, against the checkpoints that vouch for it.

The chain on its own shows a record changed without recomputing the later hashes, or removed
from the middle. What it cannot show — records removed at the end with the head rolled back,
or a record changed with every later hash recomputed — the signed checkpoints show: this node's
own (unless the rewrite re-signed them too, with the node's key) and, above all, those its
partners hold (``--partner-checkpoints``), which nobody here can change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.checkpoints import (
    THIS_NODE,
    AuditCheckpoint,
    HeldCheckpoints,
    VouchedHead,
    compare_with_checkpoints,
)
from originlink.domain.errors import TrustError
from originlink.exchange.checkpoints import verify_checkpoint
from originlink.services.context import Node
from originlink.store.audit import ChainReport


def verify(
    node: Node, actor: Actor, *, partner_checkpoints: Sequence[HeldCheckpoints] = ()
) -> ChainReport:
    """Recompute the whole chain, check every checkpoint's signature and compare the chain
    with the checkpoints (this node's, and those in ``partner_checkpoints`` about this node);
    the report names the first record that fails, if any."""
    actor.require(Permission.AUDIT_READ)
    me = node.identity.participant_id
    with node.store.read() as tx:
        report = tx.audit.verify_chain()
        own = tx.checkpoints.all()
        vouched: list[VouchedHead] = []
        checked: list[tuple[AuditCheckpoint, str]] = [
            (
                AuditCheckpoint(node=me, seq=c.seq, head=c.head, at=c.at, signature=c.signature),
                THIS_NODE,
            )
            for c in own
        ]
        held = [(c, f"partner {h.held_by}") for h in partner_checkpoints for c in h.checkpoints]
        about_me = [(c, who) for c, who in held if c.node == me]
        for checkpoint, who in checked + about_me:
            try:
                verify_checkpoint(checkpoint, node.trust, own=node.gateway)
            except TrustError as exc:
                return replace(
                    report,
                    ok=False,
                    first_broken_seq=checkpoint.seq,
                    reason=f"the checkpoint for record {checkpoint.seq} held by {who} is not "
                    f"this node's signature: {exc.detail} ({exc.code})",
                    checkpoints=len(own),
                    partner_checkpoints=len(about_me),
                )
            vouched.append(
                VouchedHead(checkpoint.seq, checkpoint.head, checkpoint.at.isoformat(), who)
            )
        report = replace(report, checkpoints=len(own), partner_checkpoints=len(about_me))
        if not report.ok:
            return report
        failure = compare_with_checkpoints(
            vouched, last_seq=report.records, hash_at=tx.audit.hash_at
        )
    if failure is not None:
        return replace(report, ok=False, first_broken_seq=failure.seq, reason=failure.reason)
    return report


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
