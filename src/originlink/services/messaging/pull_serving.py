"""Serving pulls (P2 pull and hybrid, P13) on the exporting gateway: the mailbox of a partner
that reads its messages instead of receiving pushes, and one CO by issuing country and number
— a signed ``co.issued`` message, only for the CO's importing party under an agreement both
share. The client side is :mod:`originlink.services.importing.pull_client`.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from originlink.domain.errors import Forbidden, NotFound
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType
from originlink.exchange.wire import WireMessage
from originlink.services.context import Node
from originlink.services.messaging.outgoing import co_payload
from originlink.services.messaging.sending import signed_by_node
from originlink.store.repos.outbox import OutboxMessage

MAILBOX_PAGE = 100


def serve_mailbox(
    node: Node, caller: str, *, cursor: int, limit: int = MAILBOX_PAGE
) -> dict[str, Any]:
    with node.store.transaction() as tx:
        if tx.partners.get(caller) is None:
            raise Forbidden(f"{caller} is not a partner of this node")
        entries = tx.mailbox.since(caller, cursor, min(limit, MAILBOX_PAGE))
        messages = []
        for entry in entries:
            messages.append(
                {
                    "envelope": json.loads(entry.envelope),
                    "payload": _b64(entry.payload),
                    "cursor": entry.seq,
                }
            )
            tx.mailbox.mark(entry.message_id, "FETCHED", node.now())
    next_cursor = entries[-1].seq if entries else cursor
    return {
        "messages": messages,
        "next_cursor": next_cursor,
        "more": len(entries) == min(limit, MAILBOX_PAGE),
    }


def serve_certificate(node: Node, caller: str, *, issuing_country: str, number: str) -> WireMessage:
    """The CO as a signed message for ``caller``, if ``caller`` is its importing party."""
    now = node.now()
    with node.store.transaction() as tx:
        partner = tx.partners.get(caller)
        if partner is None:
            raise Forbidden(f"{caller} is not a partner of this node")
        records = list(
            tx.certificates.find(
                side=Side.EXPORT.value, issuing_country=issuing_country, number=number
            )
        )
        if not records:
            raise NotFound(f"no CO {issuing_country} {number} was issued here")
        record = records[-1]
        if record.importing_country != partner.country or (
            record.agreement is not None and record.agreement not in partner.agreements
        ):
            raise Forbidden(
                f"{caller} is not the importing party of {number} under an "
                "agreement this node shares with it"
            )
        message = signed_by_node(
            node,
            message_type=MessageType.CO_ISSUED,
            recipient=caller,
            payload=co_payload(record),
            now=now,
            agreement=record.agreement,
            document=DocumentRef(
                issuing_country=issuing_country, number=number, status=record.status
            ),
        )
        tx.outbox.add(
            OutboxMessage.fresh(
                message_id=str(message.envelope.message_id),
                message_type="co.issued",
                recipient=caller,
                agreement=record.agreement,
                certificate_id=record.id,
                correlation_id=None,
                status="DELIVERED",
                route="pulled",
                envelope=message.envelope.stored_json(),
                payload=message.payload,
                now=now,
            )
        )
        waiting, _ = tx.outbox.search(
            certificate_id=record.id, recipient=caller, message_type="co.issued", status="QUEUED"
        )
        for queued in waiting:
            if queued.route == "mailbox":
                tx.outbox.update(
                    queued.message_id,
                    status="DELIVERED",
                    last_error=None,
                    updated_at=now,
                    receipt=json.dumps({"pulled_by_number": True}),
                )
                tx.mailbox.mark(queued.message_id, "FETCHED", now)
        tx.audit.append(
            at=now,
            actor=f"partner:{caller}",
            action="certificate.served",
            entity_type="certificate",
            entity_id=record.id,
            details={"message_id": str(message.envelope.message_id)},
        )
    return message


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
