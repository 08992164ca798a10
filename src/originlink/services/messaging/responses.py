"""The exporting side hears back (P3): business responses, and receipts that arrive as
messages (relayed by a hub, or sent by a partner that pulled the message)."""

from __future__ import annotations

import json

from originlink.domain.errors import InputError
from originlink.domain.messages import BusinessOutcome, ReceiptOutcome
from originlink.services.context import Node
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.outbox import OutboxMessage

#: Statuses a business response may follow (it can overtake the HTTP answer of its message).
_BEFORE_DECISION = ("QUEUED", "SENDING", "RETRYING", "DELIVERED")


def _correlated(tx: UnitOfWork, inbound: Inbound) -> OutboxMessage:
    """The message this node sent that ``inbound`` answers (read once, for the handler too)."""
    correlation = inbound.envelope.correlation_id
    if correlation is None:
        raise InputError(
            f"a {inbound.envelope.message_type.value} names the message it "
            "answers in correlation_id"
        )
    message = tx.outbox.get(str(correlation))
    if message is None or message.recipient != inbound.sender:
        raise InputError(f"{correlation} is not a message this node sent to {inbound.sender}")
    return message


def on_business_response(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    current = _correlated(tx, inbound)
    message_id = current.message_id
    payload = inbound.payload_json()
    try:
        outcome = BusinessOutcome(str(payload.get("outcome")) if isinstance(payload, dict) else "")
    except ValueError:
        raise InputError("a business.response says ACCEPTED or REJECTED in 'outcome'") from None
    outbox = tx.outbox
    if current.status in _BEFORE_DECISION:
        outbox.update(
            message_id,
            status=outcome.value,
            response=json.dumps(payload),
            updated_at=node.now(),
        )
        tx.audit.append(
            at=node.now(),
            actor=f"partner:{inbound.sender}",
            action=f"message.{outcome.value.lower()}",
            entity_type="message",
            entity_id=message_id,
            details={"findings": len(payload.get("findings") or [])},
        )
    return HandlerResult(status=f"RECORDED_{outcome.value}")


def on_receipt(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """An asynchronous receipt: the final recipient's, relayed by a hub or sent after a pull."""
    current = _correlated(tx, inbound)
    message_id = current.message_id
    payload = inbound.payload_json()
    outcome = payload.get("outcome") if isinstance(payload, dict) else None
    outbox = tx.outbox
    receipt = json.dumps(
        {
            "envelope": inbound.envelope.model_dump(mode="json", exclude_none=True),
            "payload": payload,
        }
    )
    if outcome in {
        ReceiptOutcome.DELIVERED.value,
        ReceiptOutcome.DELIVERED_WITH_WARNINGS.value,
        ReceiptOutcome.DUPLICATE.value,
    }:
        if current.status in ("QUEUED", "SENDING", "RETRYING"):
            outbox.update(
                message_id,
                status="DELIVERED",
                receipt=receipt,
                claimed_by=None,
                claimed_until=None,
                updated_at=node.now(),
            )
        else:
            outbox.update(message_id, receipt=receipt, updated_at=node.now())
    elif outcome == ReceiptOutcome.NOT_READABLE.value and current.status not in (
        "ACCEPTED",
        "REJECTED",
    ):
        outbox.update(
            message_id,
            status="DEAD",
            receipt=receipt,
            last_error=f"{payload.get('code')}: {payload.get('detail')}",
            claimed_by=None,
            claimed_until=None,
            updated_at=node.now(),
        )
    return HandlerResult(status="RECORDED")
