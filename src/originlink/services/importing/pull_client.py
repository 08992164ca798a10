"""Pulling (P2 pull and hybrid, P13): serving mailboxes and COs to partners, and fetching them.

Serving side (the exporting gateway):

* :func:`serve_mailbox` lists the messages waiting for the calling partner after a cursor;
* :func:`serve_certificate` returns one CO as a signed ``co.issued`` message, only to the
  importing party of that CO under an agreement both share.

Fetching side (the importing gateway):

* :func:`fetch_certificate` pulls one CO by issuing country and number (a claim quotes a CO not
  yet received);
* :func:`pull_announced` pulls what hybrid ``co.notification`` messages announced;
* :func:`poll_mailboxes` reads the mailboxes of partners marked ``poll``.

Everything pulled goes through the same checks and handlers as pushed messages.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from originlink.domain.errors import (
    Forbidden,
    InputError,
    NotFound,
    PermanentError,
    RetryableError,
    TrustError,
)
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType, ReceiptOutcome
from originlink.exchange.wire import WireMessage, decode_message, parse_message
from originlink.services.context import Node
from originlink.services.importing.receiving import accept_document
from originlink.services.messaging.inbound import apply_message, check_message
from originlink.services.messaging.outgoing import co_payload
from originlink.services.messaging.sending import send_message, signed_by_node
from originlink.store.repos.certificates import CertificateRecord
from originlink.store.repos.outbox import OutboxMessage
from originlink.store.repos.partners import PartnerRecord

log = logging.getLogger("originlink.pull")

MAILBOX_PAGE = 100


# --- serving ----------------------------------------------------------------------------------


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


# --- fetching ---------------------------------------------------------------------------------


def _get(node: Node, partner: PartnerRecord, path: str) -> bytes:
    if not partner.endpoint:
        raise NotFound(f"{partner.participant_id} has no endpoint to pull from")
    response = node.require_transport().request("GET", partner.endpoint.rstrip("/") + path)
    if response.status == 404:
        raise NotFound(f"{partner.participant_id} does not have {path.rsplit('/', 2)[-2:]}")
    if response.status >= 400:
        raise TrustError(
            f"{partner.participant_id} refused the pull with HTTP {response.status}",
            code="PULL_REFUSED",
        )
    return response.body


def fetch_certificate(node: Node, *, issuing_country: str, number: str) -> CertificateRecord:
    """Pull a CO from the exporting partner and store it (checked like a pushed one)."""
    with node.store.read() as tx:
        held = tx.certificates.find(
            side=Side.IMPORT.value, issuing_country=issuing_country, number=number
        )
        candidates = tx.partners.for_country(issuing_country, None)
    if held:
        return held[-1]
    if not candidates:
        raise NotFound(f"no partner in {issuing_country} to pull {number} from")
    last_error: Exception | None = None
    for partner in candidates:
        try:
            body = _get(node, partner, f"/g2g/v1/certificates/{issuing_country}/{number}")
        except NotFound as exc:
            last_error = exc
            continue
        message = parse_message(body)
        problem = check_message(node, message, partner.participant_id)
        if problem is not None:
            raise TrustError(f"the pulled CO was refused: {problem[1]}", code=problem[0])
        apply_message(node, message, caller=partner.participant_id, via="pull")
        with node.store.read() as tx:
            held = tx.certificates.find(
                side=Side.IMPORT.value, issuing_country=issuing_country, number=number
            )
        if held:
            return held[-1]
    raise last_error or NotFound(f"{number} could not be pulled")


def pull_announced(node: Node) -> int:
    """Pull the COs that hybrid ``co.notification`` messages announced. Each announcement is
    pulled on its own: one whose CO is refused (a digest or signature that does not match) is
    marked ``PULL_REFUSED`` with the reason and never tried again; one whose partner cannot be
    reached stays pending for the next round. Neither holds the others back."""
    with node.store.read() as tx:
        pending = tx.inbox.pending_pulls(limit=50)
    done = 0
    for message_id in pending:
        try:
            done += _pull_one(node, message_id)
        except RetryableError as exc:
            log.info("pull of %s postponed: %s", message_id, exc.one_line())
        except PermanentError as exc:
            _refuse_pull(node, message_id, exc)
            done += 1
    return done


def _refuse_pull(node: Node, notification_id: str, error: PermanentError) -> None:
    log.warning("pull of %s refused: %s", notification_id, error.one_line())
    with node.store.transaction() as tx:
        current = tx.inbox.get(notification_id)
        if current is None or current.status != "PENDING_PULL":
            return
        tx.inbox.update(notification_id, status="PULL_REFUSED", refusal_code=error.code)
        tx.audit.append(
            at=node.now(),
            actor=f"partner:{current.sender}",
            action="message.pull_refused",
            entity_type="message",
            entity_id=notification_id,
            details={"code": error.code, "detail": error.detail[:500]},
        )


def _pull_one(node: Node, notification_id: str) -> int:
    with node.store.read() as tx:
        note = tx.inbox.get(notification_id)
        if note is None or note.status != "PENDING_PULL" or note.envelope is None:
            return 0
        envelope = json.loads(note.envelope)
        partner = tx.partners.get(note.sender)
    if partner is None:
        return 0
    document = envelope.get("document") or {}
    announced = json.loads(note.response or "{}").get("certificate_digest")
    body = _get(
        node,
        partner,
        f"/g2g/v1/certificates/{document.get('issuing_country')}/{document.get('number')}",
    )
    message = parse_message(body)
    problem = check_message(node, message, partner.participant_id)
    if problem is not None:
        raise TrustError(f"the pulled CO was refused: {problem[1]}", code=problem[0])
    raw = message.payload_json()
    from originlink.domain.dataset import CODocument
    from originlink.trust.digests import certificate_digest

    if certificate_digest(CODocument.model_validate(raw).certificate) != announced:
        raise TrustError(
            "the pulled CO does not match the digest the notification announced",
            code="PULL_DIGEST_MISMATCH",
        )
    with node.store.transaction() as tx:
        current = tx.inbox.get(notification_id)
        if current is None or current.status != "PENDING_PULL":
            return 0
        result = accept_document(
            tx,
            node,
            raw,
            sender=partner.participant_id,
            agreement=envelope.get("agreement"),
            correlation_id=notification_id,
            raw_json=message.payload.decode("utf-8"),
        )
        tx.inbox.update(notification_id, status=result.status, certificate_id=result.certificate_id)
    return 1


def poll_mailboxes(node: Node) -> int:
    """Read the mailboxes of partners marked ``poll``; apply each message; send receipts."""
    with node.store.read() as tx:
        partners = [p for p in tx.partners.all() if p.poll and p.endpoint]
    done = 0
    for partner in partners:
        body = _get(node, partner, f"/g2g/v1/messages?cursor={partner.cursor}")
        from originlink.domain.safejson import loads_bounded

        page = loads_bounded(body, what="mailbox page")
        if not isinstance(page, dict) or not isinstance(page.get("messages"), list):
            raise InputError(f"{partner.participant_id}'s mailbox answer is not a page")
        for item in page["messages"]:
            message = decode_message(
                {"envelope": item.get("envelope"), "payload": item.get("payload")}
            )
            problem = check_message(node, message, partner.participant_id)
            if problem is None:
                answer = apply_message(node, message, caller=partner.participant_id, via="poll")
                outcome = (
                    ReceiptOutcome.DELIVERED
                    if answer.status == 200
                    else ReceiptOutcome.NOT_READABLE
                )
                _acknowledge(node, partner, message, outcome)
            done += 1
            with node.store.transaction() as tx:
                tx.partners.set_cursor(
                    partner.participant_id, int(item.get("cursor", 0)), node.now()
                )
    return done


def _acknowledge(
    node: Node, partner: PartnerRecord, message: WireMessage, outcome: ReceiptOutcome
) -> None:
    """A pulled message's receipt travels back as a message of its own."""
    payload = {
        "message_id": str(message.envelope.message_id),
        "received_at": node.now().isoformat(),
        "outcome": outcome.value,
    }
    with node.store.transaction() as tx:
        send_message(
            tx,
            node,
            recipient=partner.participant_id,
            message_type=MessageType.RECEIPT,
            payload=payload,
            agreement=message.envelope.agreement,
            correlation_id=str(message.envelope.message_id),
        )


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


__all__ = [
    "fetch_certificate",
    "poll_mailboxes",
    "pull_announced",
    "serve_certificate",
    "serve_mailbox",
]
