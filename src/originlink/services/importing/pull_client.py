"""The pull client (P2 pull and hybrid, P13), on the importing gateway; what a partner serves
to it is in :mod:`originlink.services.messaging.pull_serving`.

* :func:`fetch_certificate` pulls one CO by issuing country and number (a claim quotes a CO not
  yet received);
* :func:`pull_announced` pulls what hybrid ``co.notification`` messages announced;
* :func:`poll_mailboxes` reads the mailboxes of partners marked ``poll``.

Everything pulled goes through the same checks and handlers as pushed messages.
"""

from __future__ import annotations

import json
import logging

from originlink.domain.errors import (
    InputError,
    NotFound,
    PermanentError,
    RetryableError,
    TrustError,
)
from originlink.domain.lifecycle import Side
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.exchange.wire import WireMessage, decode_message, parse_message
from originlink.services.context import Node
from originlink.services.importing.receiving import accept_document
from originlink.services.messaging.inbound import apply_message, check_message
from originlink.services.messaging.sending import send_message
from originlink.store.repos.certificates import CertificateRecord
from originlink.store.repos.partners import PartnerRecord

log = logging.getLogger("originlink.pull")

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
        tx.inbox.update(
            notification_id,
            status=result.status,
            certificate_id=result.certificate_id,
            # the business response it was answered with, beside what the notice announced
            response=json.dumps({"certificate_digest": announced, "response": result.response}),
        )
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


__all__ = [
    "fetch_certificate",
    "poll_mailboxes",
    "pull_announced",
]
