"""The hub (``processes.md`` §2 "Via hub"): store-and-forward between participants, routing on
the envelope header alone.

The hub authenticates the calling participant (HTTP signature) and checks that it is the
envelope's sender and that the recipient is a participant of the hub; it never reads, parses or
trusts the payload (the recipient checks the sender's envelope signature itself). It keeps the
message in the recipient's mailbox (for participants that pull) and, for participants with an
endpoint, queues it for forwarding with the same message id. When the recipient's signed receipt
comes back, the hub relays it to the sender, so delivery receipts come from the final
recipient. Every step is a tracking state: ``RECEIVED`` (in the hub), ``FORWARDING``,
``DELIVERED``, ``FETCHED`` (pulled from the mailbox), ``DEAD``.
"""

from __future__ import annotations

import json
from typing import Any

from originlink.domain.errors import AlreadyStored, Forbidden, InputError, NotFound, TrustError
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.exchange.transport import Response
from originlink.exchange.wire import (
    WireMessage,
    decode_message,
)
from originlink.services.context import Node
from originlink.services.messaging.inbound import Staged, handle_post
from originlink.services.messaging.receipts import Answer, receipt_message, refuse
from originlink.services.node.partners import cached_partners
from originlink.store.repos.outbox import OutboxMessage


def relay(
    node: Node,
    *,
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: bytes,
    remote: str | None = None,
) -> Answer:
    """Handle ``POST /g2g/v1/messages`` at a hub."""
    return handle_post(
        node, method=method, url=url, headers=headers, body=body, remote=remote, each=_relay_one
    )


def _relay_one(node: Node, item: Any, caller: str, body: bytes, remote: str | None) -> Staged:
    try:
        message = decode_message(item)
    except InputError as exc:
        return refuse(
            node,
            code="INPUT_UNREADABLE",
            detail=exc.detail,
            body=body,
            status=400,
            caller=caller,
            remote=remote,
        )
    envelope = message.envelope
    if envelope.sender != caller:
        return refuse(
            node,
            code="MSG_SENDER_MISMATCH",
            detail=f"{caller} may not send as {envelope.sender}",
            body=body,
            status=403,
            caller=caller,
            envelope=envelope,
            remote=remote,
        )
    partners = cached_partners(node)
    sender = partners.get(envelope.sender)
    recipient = partners.get(envelope.recipient)
    if sender is None:
        return refuse(
            node,
            code="UNKNOWN_SENDER",
            detail=f"{envelope.sender} is not a participant of this hub",
            body=body,
            status=403,
            caller=caller,
            envelope=envelope,
            remote=remote,
        )
    if recipient is None:
        return refuse(
            node,
            code="UNKNOWN_RECIPIENT",
            detail=f"{envelope.recipient} is not a participant of this hub",
            body=body,
            status=403,
            caller=caller,
            envelope=envelope,
            remote=remote,
        )
    forward = _forwards(recipient)

    def hold() -> Answer:
        stored = _store(node, message, forward=forward)
        receipt = receipt_message(
            node,
            recipient=envelope.sender,
            message_id=str(envelope.message_id),
            outcome=ReceiptOutcome.DELIVERED,
            code="HUB_ACCEPTED",
            detail=f"held by {node.identity.participant_id} for {envelope.recipient} ({stored})",
        )
        return Answer(200, receipt.to_bytes())

    return hold


def _store(node: Node, message: WireMessage, *, forward: bool) -> str:
    envelope = message.envelope
    message_id = str(envelope.message_id)
    now = node.now()
    envelope_json = envelope.stored_json()
    try:
        with node.store.transaction() as tx:
            fresh = tx.mailbox.put(
                message_id=message_id,
                recipient=envelope.recipient,
                sender=envelope.sender,
                message_type=envelope.message_type.value,
                envelope=envelope_json,
                payload=message.payload,
                now=now,
            )
            if not fresh:
                return "already held"
            if forward:
                tx.outbox.add(
                    OutboxMessage.fresh(
                        message_id=message_id,
                        message_type=envelope.message_type.value,
                        recipient=envelope.recipient,
                        agreement=envelope.agreement,
                        certificate_id=None,
                        correlation_id=str(envelope.correlation_id)
                        if envelope.correlation_id
                        else None,
                        status="QUEUED",
                        route="push",
                        envelope=envelope_json,
                        payload=message.payload,
                        now=now,
                    )
                )
            tx.audit.append(
                at=now,
                actor=f"participant:{envelope.sender}",
                action="hub.receive",
                entity_type="message",
                entity_id=message_id,
                details={
                    "recipient": envelope.recipient,
                    "type": envelope.message_type.value,
                    "forward": forward,
                },
            )
            for hook in node.hooks.on_message_queued:
                tx.after_commit(hook)
    except AlreadyStored:
        return "already held"
    return "forwarding" if forward else "in the recipient's mailbox"


def _forwards(participant: Any) -> bool:
    """Participants with an endpoint get messages pushed; ``pull`` ones read their mailbox."""
    return bool(participant.endpoint) and participant.model != "pull"


def relay_receipt(node: Node, message: OutboxMessage, receipt: WireMessage) -> None:
    """After forwarding: pass the final recipient's signed receipt back to the sender."""
    original = json.loads(message.envelope)
    sender = original.get("sender")
    if not sender or sender == node.identity.participant_id:
        return
    if receipt.envelope.message_type is not MessageType.RECEIPT:
        return
    with node.store.read() as tx:
        partner = tx.partners.get(sender)
    _store(node, receipt, forward=partner is not None and _forwards(partner))


def tracking(node: Node, caller: str, message_id: str) -> dict[str, Any]:
    """Where a message is, for its sender or its recipient."""
    with node.store.read() as tx:
        entry = tx.mailbox.get(message_id)
        outgoing = tx.outbox.get(message_id)
    if entry is None:
        raise NotFound(f"the hub holds no message {message_id}")
    if caller not in {entry.sender, entry.recipient}:
        raise Forbidden("only the sender or the recipient may track a message")
    if outgoing is not None:
        state = {
            "QUEUED": "RECEIVED",
            "SENDING": "FORWARDING",
            "RETRYING": "FORWARDING",
            "DELIVERED": "DELIVERED",
            "ACCEPTED": "DELIVERED",
            "DEAD": "DEAD",
        }.get(outgoing.status, outgoing.status)
    else:
        state = "FETCHED" if entry.state == "FETCHED" else "RECEIVED"
    return {
        "message_id": message_id,
        "sender": entry.sender,
        "recipient": entry.recipient,
        "message_type": entry.message_type,
        "state": state,
        "attempts": outgoing.attempts if outgoing else 0,
        "last_error": outgoing.last_error if outgoing else None,
        "received_at": entry.created_at.isoformat(),
    }


def dispatch(
    node: Node, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> Response:
    """The hub's routes as one function (HTTP API and in-process transport)."""
    from urllib.parse import parse_qs, urlsplit

    from originlink.services.messaging.dispatch import _problem, caller_of
    from originlink.services.messaging.pull_serving import serve_mailbox

    path = urlsplit(url).path
    try:
        if path == "/g2g/v1/messages" and method == "POST":
            answer = relay(node, method=method, url=url, headers=headers, body=body)
            return Response(answer.status, answer.body, {"content-type": answer.content_type})
        if path == "/g2g/v1/messages" and method == "GET":
            caller = caller_of(node, method, url, headers, body)
            cursor = int(parse_qs(urlsplit(url).query).get("cursor", ["0"])[0])
            page = serve_mailbox(node, caller, cursor=cursor)
            return Response(200, json.dumps(page).encode(), {"content-type": "application/json"})
        if path.startswith("/hub/v1/tracking/") and method == "GET":
            caller = caller_of(node, method, url, headers, body)
            data = tracking(node, caller, path.rsplit("/", 1)[-1])
            return Response(200, json.dumps(data).encode(), {"content-type": "application/json"})
    except TrustError as exc:
        return _problem(401, exc.code, exc.detail)
    except (NotFound, Forbidden) as exc:
        return _problem(exc.http_status, exc.code, exc.detail)
    return _problem(404, "NOT_FOUND", f"no hub route {method} {path}")
