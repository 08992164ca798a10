"""Reconciliation (P14): what was sent to and received from one partner since a date, with
counts and message ids, so both sides can compare their lists after an outage.

A sent message's exchange ends either at its receipt or at the business response that follows
it. Only a ``co.issued`` or ``co.notification`` is answered with a business response (ACCEPTED
or REJECTED); until then it is ``awaiting_response``. Every other message (a ``co.status``, a
utilisation notice, a verification message) is done once the partner's receipt says DELIVERED,
and is counted ``delivered`` — not left among the answers still awaited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import NotFound
from originlink.domain.messages import MessageType
from originlink.services.context import Node
from originlink.store.repos.outbox import SentEntry

#: Message types the partner answers with a business response after the receipt.
ANSWERED_TYPES = frozenset({MessageType.CO_ISSUED.value, MessageType.CO_NOTIFICATION.value})

#: The groups of sent messages, in the order a report lists them.
SENT_GROUPS = ("pending", "awaiting_response", "delivered", "accepted", "rejected", "dead")
_BY_STATUS = {
    "QUEUED": "pending",
    "SENDING": "pending",
    "RETRYING": "pending",
    "ACCEPTED": "accepted",
    "REJECTED": "rejected",
    "DEAD": "dead",
}


def sent_group(entry: SentEntry) -> str:
    """Where a sent message stands: a DELIVERED message still awaits its business response
    only if its type gets one."""
    if entry.status == "DELIVERED":
        return "awaiting_response" if entry.message_type in ANSWERED_TYPES else "delivered"
    return _BY_STATUS.get(entry.status, "pending")


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
    for group in SENT_GROUPS:
        ids = [r.message_id for r in sent if sent_group(r) == group]
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
