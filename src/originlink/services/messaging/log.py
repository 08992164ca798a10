"""Reading the message log: outbound (with delivery state), inbound, refused traffic."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import NotFound
from originlink.services.context import Node
from originlink.services.messaging import delivery


def list_outbound(
    node: Node,
    actor: Actor,
    *,
    status: str | None = None,
    partner: str | None = None,
    message_type: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    actor.require(Permission.MESSAGE_READ)
    with node.store.read() as tx:
        rows, total = tx.outbox.search(
            status=status,
            recipient=partner,
            message_type=message_type,
            since=since,
            limit=limit,
            offset=offset,
        )
    return [r.summary() for r in rows], total


def list_inbound(
    node: Node,
    actor: Actor,
    *,
    partner: str | None = None,
    message_type: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    actor.require(Permission.MESSAGE_READ)
    with node.store.read() as tx:
        rows, total = tx.inbox.search(
            sender=partner, message_type=message_type, since=since, limit=limit, offset=offset
        )
    return [r.summary() for r in rows], total


def list_refused(
    node: Node,
    actor: Actor,
    *,
    code: str | None = None,
    partner: str | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Refused traffic: requests turned away before their sender was established, and
    authenticated messages whose content could not be accepted (NOT_READABLE)."""
    actor.require(Permission.MESSAGE_READ)
    with node.store.read() as tx:
        refused, total = tx.refused.search(
            code=code, since=since, sender=partner, limit=limit, offset=offset
        )
        unreadable, more = tx.inbox.search(
            refused=True, sender=partner, since=since, refusal_code=code, limit=limit, offset=offset
        )
    items = [{"stage": "transport", **r} for r in refused]
    items += [
        {
            "stage": "content",
            "claimed_sender": u.sender,
            "code": u.refusal_code,
            "claimed_message_id": u.message_id,
            "message_type": u.message_type,
            "received_at": u.received_at.isoformat(),
        }
        for u in unreadable
    ]
    items.sort(key=lambda i: str(i["received_at"]), reverse=True)
    return items[:limit], total + more


def show(node: Node, actor: Actor, message_id: str) -> dict[str, Any]:
    """One message, outbound or inbound, with its envelope, receipt and response."""
    actor.require(Permission.MESSAGE_READ)
    with node.store.read() as tx:
        out = tx.outbox.get(message_id)
        inc = tx.inbox.get(message_id)
    if out is None and inc is None:
        raise NotFound(f"no message {message_id}")
    result: dict[str, Any] = {"message_id": message_id}
    if out is not None:
        result["outbound"] = {
            **out.summary(),
            "envelope": json.loads(out.envelope),
            "receipt": json.loads(out.receipt) if out.receipt else None,
            "response": json.loads(out.response) if out.response else None,
            "payload_bytes": len(out.payload),
        }
    if inc is not None:
        result["inbound"] = {
            **inc.summary(),
            "envelope": json.loads(inc.envelope) if inc.envelope else None,
            "receipt": json.loads(inc.receipt) if inc.receipt else None,
            "response": json.loads(inc.response) if inc.response else None,
        }
    return result


def resend(node: Node, actor: Actor, message_id: str) -> dict[str, Any]:
    actor.require(Permission.MESSAGE_RESEND)
    return delivery.resend(node, message_id, actor_label=actor.label).summary()
