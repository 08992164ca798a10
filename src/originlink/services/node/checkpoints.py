"""Signed checkpoints of the audit chain: made, carried to partners, kept from partners.

The node signs (sequence, head hash, time) of its chain with its key at a regular interval
(:func:`checkpoint_due`, a worker-round task) and on demand (:func:`make_checkpoint`, ``originlink
audit checkpoint``). Every message it sends carries its latest checkpoint in the signed
envelope (:func:`latest_for_messages`); a partner that receives one checks its signature against
the trust lists and keeps it when it is newer than what it holds (:func:`keep_from_envelope`).
What a node holds of its partners is exported with :func:`partner_checkpoints_document`, and a
partner's export is what ``audit verify --partner-checkpoints`` compares this node's chain with
(:mod:`originlink.services.node.audit`). See :mod:`originlink.domain.checkpoints` for why.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from originlink.domain.authz import SYSTEM_ACTOR, Actor, Permission
from originlink.domain.checkpoints import EXPORT_FORMAT, AuditCheckpoint
from originlink.domain.errors import AlreadyStored, TrustError
from originlink.domain.messages import Envelope
from originlink.exchange.checkpoints import sign_checkpoint, verify_checkpoint
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.checkpoints import StoredCheckpoint
from originlink.trust.signer import Signer

log = logging.getLogger("originlink.audit")

#: How long a process trusts its memory of the latest checkpoint before reading it again
#: (another process, e.g. ``originlink audit checkpoint``, may have made a newer one).
_CACHE_SECONDS = 30.0


@dataclass
class _Latest:
    checkpoint: AuditCheckpoint | None = None
    read_at: float = float("-inf")


_LOCK = threading.Lock()
_KEY = "latest_checkpoint"


def _as_checkpoint(node: Node, stored: StoredCheckpoint) -> AuditCheckpoint:
    return AuditCheckpoint(
        node=stored.node or node.identity.participant_id,
        seq=stored.seq,
        head=stored.head,
        at=stored.at,
        signature=stored.signature,
    )


def _remember(node: Node, checkpoint: AuditCheckpoint | None) -> None:
    with _LOCK:
        node.memory[_KEY] = _Latest(checkpoint, time.monotonic())


def make_checkpoint(node: Node, actor: Actor) -> StoredCheckpoint | None:
    """Sign and keep a checkpoint of the chain's current head; None for an empty chain. When
    the head has not moved since the latest checkpoint, that one is returned again (also when
    another process signed the same head at the same moment)."""
    actor.require(Permission.AUDIT_READ)
    signer = node.require_gateway()
    try:
        stored = _sign_head(node, signer)
    except AlreadyStored:  # another process (the worker, the CLI) made this one just now
        with node.store.read() as tx:
            latest = tx.checkpoints.latest()
        stored = replace(latest, node=node.identity.participant_id) if latest else None
    if stored is not None:
        _remember(node, _as_checkpoint(node, stored))
    return stored


def _sign_head(node: Node, signer: Signer) -> StoredCheckpoint | None:
    with node.store.transaction() as tx:
        seq, head = tx.audit.head()
        if seq == 0:
            return None
        latest = tx.checkpoints.latest()
        if latest is not None and latest.seq >= seq:
            return replace(latest, node=node.identity.participant_id)
        signed = sign_checkpoint(
            node=node.identity.participant_id, seq=seq, head=head, at=node.now(), signer=signer
        )
        if not tx.checkpoints.add(seq=seq, head=head, at=signed.at, signature=signed.signature):
            raise AlreadyStored(f"a checkpoint of record {seq} exists")
        return StoredCheckpoint(signed.node, seq, head, signed.at, signed.signature)


def checkpoint_due(node: Node) -> int:
    """Worker-round task: a checkpoint when the interval has passed since the latest one and
    the chain has moved. Returns 0 either way: a checkpoint is bookkeeping that causes no
    further work, so it never keeps a worker's drain going."""
    if node.gateway is None:
        return 0
    interval = timedelta(seconds=node.settings.audit_checkpoint_seconds)
    known = latest_for_messages(node)
    if known is not None and node.now() - known.at < interval:
        return 0  # checked without reading the store (the cache is at most 30 s old)
    with node.store.read() as tx:
        seq, _ = tx.audit.head()
        latest = tx.checkpoints.latest()
    if seq == 0:
        return 0
    if latest is not None and (latest.seq >= seq or node.now() - latest.at < interval):
        return 0
    make_checkpoint(node, SYSTEM_ACTOR)
    return 0


def latest_for_messages(node: Node) -> AuditCheckpoint | None:
    """The checkpoint every message this node sends carries (its latest; read again from the
    store at most every 30 s, and at once after this process made one)."""
    with _LOCK:
        cached: _Latest | None = node.memory.get(_KEY)
    if cached is not None and time.monotonic() - cached.read_at < _CACHE_SECONDS:
        return cached.checkpoint
    with node.store.read() as tx:
        stored = tx.checkpoints.latest()
    checkpoint = _as_checkpoint(node, stored) if stored is not None else None
    _remember(node, checkpoint)
    return checkpoint


def keep_from_envelope(tx: UnitOfWork, node: Node, envelope: Envelope) -> str | None:
    """Keep the checkpoint an authenticated message carries, if it is its sender's, validly
    signed and newer than the one held; returns what was done (for logs and tests)."""
    checkpoint = envelope.checkpoint
    if checkpoint is None:
        return None
    if checkpoint.node != envelope.sender:
        log.warning("checkpoint of %s carried by %s ignored", checkpoint.node, envelope.sender)
        return "not the sender's"
    try:
        verify_checkpoint(checkpoint, node.trust)
    except TrustError as exc:
        log.warning("checkpoint from %s refused: %s (%s)", envelope.sender, exc.detail, exc.code)
        return exc.code
    held = tx.partner_checkpoints.get(envelope.sender)
    if held is not None and checkpoint.seq <= held.seq:
        if checkpoint.seq == held.seq and checkpoint.head != held.head:
            log.error(
                "%s signed two different heads for its audit record %s: its log was rewritten",
                envelope.sender,
                checkpoint.seq,
            )
            return "conflicting"
        return "older"
    kept = tx.partner_checkpoints.keep(
        StoredCheckpoint(
            checkpoint.node,
            checkpoint.seq,
            checkpoint.head,
            checkpoint.at,
            checkpoint.signature,
            received_at=node.now(),
            message_id=str(envelope.message_id),
        )
    )
    return "kept" if kept else "older"


def own_checkpoints(node: Node, actor: Actor) -> list[dict[str, Any]]:
    """This node's checkpoints, oldest first."""
    actor.require(Permission.AUDIT_READ)
    with node.store.read() as tx:
        rows = tx.checkpoints.all()
    return [replace(r, node=node.identity.participant_id).as_dict() for r in rows]


def partner_checkpoints_document(node: Node, actor: Actor) -> dict[str, Any]:
    """What this node holds of each partner's log, as the file a partner hands to
    ``originlink audit verify --partner-checkpoints``."""
    actor.require(Permission.AUDIT_READ)
    with node.store.read() as tx:
        held = tx.partner_checkpoints.all()
    return {
        "format": EXPORT_FORMAT,
        "exported_by": node.identity.participant_id,
        "exported_at": node.now().isoformat(),
        "checkpoints": [
            {
                **c.as_dict(),
                "received_at": c.received_at.isoformat() if c.received_at else None,
                "message_id": c.message_id,
            }
            for c in held
        ],
    }
