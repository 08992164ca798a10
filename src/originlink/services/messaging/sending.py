"""Sending and receiving messages inside use-case transactions.

:func:`send_message` is the transactional outbox's front door: a use case calls it inside its
own transaction, so the message exists if and only if the state change that causes it was
committed. How the message then travels depends on the recipient's partner record:

=========  ============================================================================
push       the delivery worker POSTs it to the partner's ``/g2g/v1/messages``
hybrid     a CO travels as ``co.notification`` (header + digest); the partner pulls the CO
hub        the delivery worker POSTs it to the hub named in the partner record
pull       it waits in this node's mailbox until the partner reads ``/g2g/v1/messages``
=========  ============================================================================

What happens to a message that arrives is in :mod:`originlink.services.messaging.inbound`
(checks, the receipt) and in the handler the composition root maps to its type
(:mod:`originlink.services.messaging.handlers`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from originlink.domain.errors import NotFound
from originlink.domain.lifecycle import DeliveryStatus
from originlink.domain.messages import (
    DocumentRef,
    MessageType,
    PayloadFormat,
)
from originlink.exchange.envelopes import build_message
from originlink.exchange.wire import WireMessage
from originlink.services.context import Node
from originlink.services.node.checkpoints import latest_for_messages
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.outbox import OutboxMessage
from originlink.store.repos.partners import PartnerRecord

#: How messages to a partner leave, by the partner's exchange model.
ROUTES = {"push": "push", "hybrid": "push", "hub": "hub", "pull": "mailbox"}


def partner_of(node: Node, participant: str) -> PartnerRecord:
    from originlink.services.node.partners import cached_partners

    partner = cached_partners(node).get(participant)
    if partner is None:
        raise NotFound(
            f"{participant} is not a partner of this node: add it with 'originlink partners add'"
        )
    return partner


def signed_by_node(
    node: Node,
    *,
    message_type: MessageType,
    recipient: str,
    payload: bytes,
    now: datetime,
    agreement: str | None = None,
    document: DocumentRef | None = None,
    correlation_id: str | None = None,
    payload_format: PayloadFormat = PayloadFormat.CANONICAL,
) -> WireMessage:
    """A new message from this node, signed with its gateway key (every message a node
    originates: queued ones, inline answers, receipts, pulled certificates)."""
    return build_message(
        message_type=message_type,
        sender=node.identity.participant_id,
        recipient=recipient,
        payload=payload,
        now=now,
        signer=node.require_gateway(),
        agreement=agreement,
        document=document,
        correlation_id=correlation_id,
        payload_format=payload_format,
        checkpoint=latest_for_messages(node),
    )


def send_message(
    tx: UnitOfWork,
    node: Node,
    *,
    recipient: str,
    message_type: MessageType,
    payload: bytes | dict[str, Any] | list[Any],
    agreement: str | None = None,
    document: DocumentRef | None = None,
    correlation_id: str | None = None,
    certificate_id: str | None = None,
    payload_format: PayloadFormat = PayloadFormat.CANONICAL,
    loss_report: dict[str, Any] | None = None,
) -> WireMessage:
    """Queue a signed message for ``recipient`` in the caller's transaction."""
    partner = partner_of(node, recipient)
    data = (
        payload
        if isinstance(payload, bytes)
        else json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    )
    now = node.now()
    message = signed_by_node(
        node,
        message_type=message_type,
        recipient=recipient,
        payload=data,
        now=now,
        agreement=agreement,
        document=document,
        correlation_id=correlation_id,
        payload_format=payload_format,
    )
    envelope_json = message.envelope.stored_json()
    message_id = str(message.envelope.message_id)
    route = ROUTES[partner.model]
    if route == "mailbox":
        tx.mailbox.put(
            message_id=message_id,
            recipient=recipient,
            sender=node.identity.participant_id,
            message_type=message_type.value,
            envelope=envelope_json,
            payload=data,
            now=now,
        )
    tx.outbox.add(
        OutboxMessage.fresh(
            message_id=message_id,
            message_type=message_type.value,
            recipient=recipient,
            agreement=agreement,
            certificate_id=certificate_id,
            correlation_id=correlation_id,
            status=DeliveryStatus.QUEUED.value,
            route=route,
            envelope=envelope_json,
            payload=data,
            now=now,
            loss_report=json.dumps(loss_report) if loss_report is not None else None,
        )
    )
    tx.audit.append(
        at=now,
        actor=f"gateway:{node.identity.participant_id}",
        action=f"message.queue.{message_type.value}",
        entity_type="message",
        entity_id=message_id,
        details={
            "recipient": recipient,
            "model": partner.model,
            "certificate_id": certificate_id,
            "correlation_id": correlation_id,
        },
    )
    for hook in node.hooks.on_message_queued:
        tx.after_commit(hook)
    return message


def reply_inline(
    tx: UnitOfWork,
    node: Node,
    *,
    recipient: str,
    message_type: MessageType,
    payload: dict[str, Any],
    agreement: str | None,
    correlation_id: str,
    certificate_id: str | None = None,
) -> WireMessage:
    """A signed answer that travels inside the HTTP answer of the message it answers (the
    sender waits for it, so nothing is queued). It is recorded like any outbound message, as
    DELIVERED on route ``inline``; if the sender never saw it, it sends its message again and
    gets the same answer back (see ``receipts.duplicate_answer``)."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    now = node.now()
    message = signed_by_node(
        node,
        message_type=message_type,
        recipient=recipient,
        payload=data,
        now=now,
        agreement=agreement,
        correlation_id=correlation_id,
    )
    message_id = str(message.envelope.message_id)
    tx.outbox.add(
        OutboxMessage.fresh(
            message_id=message_id,
            message_type=message_type.value,
            recipient=recipient,
            agreement=agreement,
            certificate_id=certificate_id,
            correlation_id=correlation_id,
            status=DeliveryStatus.DELIVERED.value,
            route="inline",
            envelope=message.envelope.stored_json(),
            payload=data,
            now=now,
        )
    )
    tx.audit.append(
        at=now,
        actor=f"gateway:{node.identity.participant_id}",
        action=f"message.reply.{message_type.value}",
        entity_type="message",
        entity_id=message_id,
        details={"recipient": recipient, "correlation_id": correlation_id},
    )
    return message
