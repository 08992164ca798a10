"""Reconciliation (P14): what was sent to and received from one partner since a date, with
counts and message ids, so both sides can compare their lists after an outage."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import NotFound
from originlink.services.context import Node

SENT_GROUPS = {
    "pending": ("QUEUED", "SENDING", "RETRYING"),
    "delivered": ("DELIVERED",),
    "accepted": ("ACCEPTED",),
    "rejected": ("REJECTED",),
    "dead": ("DEAD",),
}


def reconcile(
    node: Node, actor: Actor, partner: str, *, since: datetime | None, with_ids: bool = True
) -> dict[str, Any]:
    actor.require(Permission.MESSAGE_READ)
    with node.store.read() as tx:
        if tx.partners.get(partner) is None:
            raise NotFound(f"{partner} is not a partner of this node")
        sent = tx.outbox.sent_to(partner, since=since)
        received = tx.inbox.received_from(partner, since=since)
    report: dict[str, Any] = {
        "node": node.identity.participant_id,
        "partner": partner,
        "since": since.isoformat() if since else None,
        "generated_at": node.now().isoformat(),
        "sent": {"total": len(sent)},
        "received": {"total": len(received)},
    }
    for group, statuses in SENT_GROUPS.items():
        ids = [r.message_id for r in sent if r.status in statuses]
        report["sent"][group] = {"count": len(ids), **({"message_ids": ids} if with_ids else {})}
    by_type: dict[str, int] = {}
    for row in sent:
        by_type[row.message_type] = by_type.get(row.message_type, 0) + 1
    report["sent"]["by_type"] = by_type
    accepted = [r.message_id for r in received if not r.refused]
    not_readable = [r.message_id for r in received if r.refused]
    report["received"]["applied"] = {
        "count": len(accepted),
        **({"message_ids": accepted} if with_ids else {}),
    }
    report["received"]["not_readable"] = {
        "count": len(not_readable),
        **({"message_ids": not_readable} if with_ids else {}),
    }
    received_types: dict[str, int] = {}
    for got in received:
        received_types[got.message_type] = received_types.get(got.message_type, 0) + 1
    report["received"]["by_type"] = received_types
    return report
