"""The message log: outbound (with delivery state), inbound, refused traffic; and queueing a
DEAD or REJECTED message again by hand, with the same message id."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import InvalidTransition, NotFound
from originlink.domain.lifecycle import DeliveryStatus, check_delivery_transition
from originlink.services.context import Node
from originlink.store.repos.outbox import OutboxMessage


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
    authenticated messages whose content could not be accepted (NOT_READABLE), newest first.
    The two logs are merged before the page is cut, so pages together are the whole list.
    ``count``: how many refusals a row stands for (unauthenticated noise beyond the samples
    of a minute is counted in one row, see ``refusals.py``)."""
    actor.require(Permission.MESSAGE_READ)
    window = offset + limit  # the page lies within the first `window` items of the merge
    with node.store.read() as tx:
        refused, total = tx.refused.search(
            code=code, since=since, sender=partner, limit=window, offset=0
        )
        unreadable, more = tx.inbox.search(
            refused=True, sender=partner, since=since, refusal_code=code, limit=window, offset=0
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
            "count": 1,
        }
        for u in unreadable
    ]
    items.sort(key=lambda i: str(i["received_at"]), reverse=True)
    return items[offset:window], total + more


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
        response = json.loads(inc.response) if inc.response else None
        result["inbound"] = {
            **inc.summary(),
            "envelope": json.loads(inc.envelope) if inc.envelope else None,
            "receipt": json.loads(inc.receipt) if inc.receipt else None,
            "response": response,
            "business_response": business_response_of(response),
        }
    return result


def business_response_of(stored: Any) -> dict[str, Any] | None:
    """The business response this node answered a received message with (ACCEPTED or REJECTED
    and its findings), from the response kept with it: the payload itself when it was queued,
    ``{"response": payload, "replies": [...]}`` when it went back inside the HTTP answer, or
    ``{"certificate_digest", "response"}`` for an announced CO once it was pulled."""
    for candidate in (stored, stored.get("response") if isinstance(stored, dict) else None):
        if isinstance(candidate, dict) and candidate.get("outcome") in {"ACCEPTED", "REJECTED"}:
            return {
                "outcome": candidate["outcome"],
                "findings": candidate.get("findings") or [],
                "decided_at": candidate.get("decided_at"),
            }
    return None


def resend(node: Node, actor: Actor, message_id: str) -> dict[str, Any]:
    """Queue a DEAD or REJECTED message again. The answer says how often it had been sent
    (``previous_attempts``) and how that ended (``previous_status``): ``attempts`` of the
    queued message is 0 again."""
    actor.require(Permission.MESSAGE_RESEND)
    with node.store.read() as tx:
        before = tx.outbox.get(message_id)
    updated = queue_again(node, message_id, actor_label=actor.label)
    summary = updated.summary()
    summary["previous_attempts"] = before.attempts if before else 0
    summary["previous_status"] = before.status if before else None
    return summary


def queue_again(node: Node, message_id: str, *, actor_label: str) -> OutboxMessage:
    """Queue a DEAD or REJECTED message again, same message id (manual re-send)."""
    now: datetime = node.now()
    with node.store.transaction() as tx:
        outbox = tx.outbox
        message = outbox.get(message_id)
        if message is None:
            raise NotFound(f"no outbound message {message_id}")
        try:
            check_delivery_transition(DeliveryStatus(message.status), DeliveryStatus.QUEUED)
        except InvalidTransition:
            raise InvalidTransition(
                f"message {message_id} is {message.status}; only DEAD or "
                "REJECTED messages are sent again"
            ) from None
        outbox.update(
            message_id,
            status="QUEUED",
            attempts=0,
            next_attempt_at=now,
            last_error=None,
            claimed_by=None,
            claimed_until=None,
            updated_at=now,
        )
        tx.audit.append(
            at=now,
            actor=actor_label,
            action="message.resend",
            entity_type="message",
            entity_id=message_id,
            details={"previous_status": message.status},
        )
        updated = outbox.get(message_id)
    for hook in node.hooks.on_message_queued:
        hook()
    assert updated is not None
    return updated
