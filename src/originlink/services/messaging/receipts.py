"""Answers to received messages: signed receipts, refusals and the inbox rows that keep them.

A message refused before its sender is established goes to the refused-traffic log only
(:func:`refuse`); a message that was authenticated but cannot be applied is kept in the inbox
as NOT_READABLE with its signed receipt (:func:`not_readable`), so a duplicate gets the same
answer again (:func:`duplicate_answer`) and never a positive one later.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from originlink.domain.errors import AlreadyStored
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.domain.safejson import compact_json
from originlink.exchange.wire import WireMessage
from originlink.services.context import Node
from originlink.services.messaging import refusals
from originlink.services.messaging.handlers import HandlerResult
from originlink.services.messaging.sending import signed_by_node
from originlink.store.repos.inbox import InboxMessage

log = logging.getLogger("originlink.inbound")

STATUS_FOR_CODE = {
    "INPUT_TOO_LARGE": 413,
    "INPUT_UNREADABLE": 400,
    "MSG_NOT_FOR_US": 421,
    "MSG_RELAY_NOT_ALLOWED": 403,
    "UNKNOWN_SENDER": 403,
    "AGREEMENT_NOT_SHARED": 403,
}


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json"


def receipt_message(
    node: Node,
    *,
    recipient: str,
    message_id: str | None,
    outcome: ReceiptOutcome,
    code: str | None = None,
    detail: str | None = None,
    warnings: list[str] | None = None,
) -> WireMessage:
    now = node.now()
    payload: dict[str, Any] = {
        "message_id": message_id,
        "received_at": now.isoformat(),
        "outcome": outcome.value,
    }
    if code:
        payload["code"] = code
    if detail:
        payload["detail"] = detail
    if warnings:
        payload["warnings"] = warnings
    safe_recipient = recipient if recipient and len(recipient) <= 64 else "unknown"
    return signed_by_node(
        node,
        message_type=MessageType.RECEIPT,
        recipient=safe_recipient,
        payload=json.dumps(payload).encode(),
        now=now,
        correlation_id=message_id if message_id and _is_uuid(message_id) else None,
    )


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def refuse(
    node: Node,
    *,
    code: str,
    detail: str,
    body: bytes,
    status: int,
    caller: str | None = None,
    envelope: Any = None,
    remote: str | None = None,
    body_bytes: int | None = None,
) -> Answer:
    """A signed NOT_READABLE receipt, with the refusal recorded (:func:`record_refusal`)."""
    record_refusal(
        node,
        code=code,
        detail=detail,
        body=body,
        caller=caller,
        envelope=envelope,
        remote=remote,
        body_bytes=body_bytes,
    )
    sender = getattr(envelope, "sender", None)
    message_id = str(getattr(envelope, "message_id", "") or "") or None
    receipt = receipt_message(
        node,
        recipient=sender or caller or "unknown",
        message_id=message_id,
        outcome=ReceiptOutcome.NOT_READABLE,
        code=code,
        detail=detail,
    )
    return Answer(status, receipt.to_bytes())


def record_refusal(
    node: Node,
    *,
    code: str,
    detail: str,
    body: bytes = b"",
    caller: str | None = None,
    envelope: Any = None,
    remote: str | None = None,
    body_bytes: int | None = None,
) -> None:
    """The refusal in the refused-traffic log: in full for an authenticated caller, as a
    sample or only a count otherwise (:mod:`.refusals`). ``body_bytes``: the declared size
    of a body refused before it was read."""
    sender = getattr(envelope, "sender", None)
    size = len(body) if body_bytes is None else body_bytes
    now = node.now()
    keep, closed = True, list[refusals.CountedRefusals]()
    if caller is None:
        keep, closed = refusals.counter(node).note(now, code, remote, size)
    if not keep and not closed:
        return
    with node.store.transaction() as tx:
        for counted in closed:
            tx.refused.add(**counted.row())
        if keep:
            tx.refused.add(
                received_at=now,
                code=code,
                detail=detail,
                body_bytes=size,
                caller=caller,
                claimed_sender=sender,
                claimed_message_id=str(getattr(envelope, "message_id", "") or "") or None,
                message_type=getattr(getattr(envelope, "message_type", None), "value", None),
                remote_address=remote,
                excerpt=body[:300].decode("utf-8", "replace"),
            )
    if keep:
        log.warning("refused %s from %s: %s", code, caller or sender or remote, detail)


def receipt_for(node: Node, envelope: Any, result: HandlerResult, via: str) -> WireMessage | None:
    """The signed receipt of an applied message; none for a reply that came inside the HTTP
    answer of our own message (nobody waits for it: its sender already has our message)."""
    if via == "reply":
        return None
    return receipt_message(
        node,
        recipient=envelope.sender,
        message_id=str(envelope.message_id),
        outcome=result.outcome,
        code=result.code,
        detail=result.detail,
        warnings=result.warnings,
    )


def duplicate_answer(stored: InboxMessage) -> Answer:
    """The first answer again: its receipt and the replies it carried."""
    if stored.receipt is None:
        return Answer(200, b"{}")
    data = json.loads(stored.receipt)
    replies = json.loads(stored.response).get("replies") if stored.response else None
    if replies:
        data["replies"] = replies
    status = 200 if not stored.refused else 422
    return Answer(status, compact_json(data))


def with_replies(receipt: dict[str, Any], replies: list[WireMessage]) -> bytes:
    if replies:
        receipt = {**receipt, "replies": [r.to_json() for r in replies]}
    return compact_json(receipt)


def not_readable(
    node: Node, message: WireMessage, *, code: str, detail: str, findings: Any
) -> Answer:
    envelope = message.envelope
    message_id = str(envelope.message_id)
    receipt = receipt_message(
        node,
        recipient=envelope.sender,
        message_id=message_id,
        outcome=ReceiptOutcome.NOT_READABLE,
        code=code,
        detail=detail,
    )
    response = {"findings": [f.as_dict() for f in findings]} if findings else None
    try:
        with node.store.transaction() as tx:
            inbox = tx.inbox
            stored = inbox.get(message_id)
            if stored is not None:
                return duplicate_answer(stored)
            inbox.add(
                inbox_row(
                    node,
                    message,
                    status="NOT_READABLE",
                    receipt=receipt,
                    certificate_id=None,
                    code=code,
                    response=response,
                    loss=None,
                    refused=True,
                )
            )
            tx.audit.append(
                at=node.now(),
                actor=f"partner:{envelope.sender}",
                action="message.not_readable",
                entity_type="message",
                entity_id=message_id,
                details={"code": code, "detail": detail[:500]},
            )
    except AlreadyStored:
        with node.store.read() as tx:
            stored = tx.inbox.get(message_id)
        if stored is not None:
            return duplicate_answer(stored)
        raise
    return Answer(422, receipt.to_bytes())


def inbox_row(
    node: Node,
    message: WireMessage,
    *,
    status: str,
    receipt: WireMessage | None,
    certificate_id: str | None,
    code: str | None,
    response: Any,
    loss: Any,
    refused: bool = False,
    replies: list[WireMessage] | None = None,
) -> InboxMessage:
    envelope = message.envelope
    now: datetime = node.now()
    return InboxMessage(
        message_id=str(envelope.message_id),
        message_type=envelope.message_type.value,
        sender=envelope.sender,
        agreement=envelope.agreement,
        certificate_id=certificate_id,
        status=status,
        refused=refused,
        refusal_code=code if refused else None,
        envelope=envelope.stored_json(),
        payload_digest=envelope.payload_digest,
        receipt=compact_json(receipt.to_json()).decode() if receipt else None,
        response=compact_json(
            {"response": response, "replies": [r.to_json() for r in replies]}
            if replies
            else response
        ).decode()
        if response is not None or replies
        else None,
        loss_report=json.dumps(loss) if loss is not None else None,
        received_at=now,
    )
