"""What the issuing side sends when its COs change (P2, P6, P7): hooks run inside the issuing or
status-change transaction, so the message exists exactly when the change was committed."""

from __future__ import annotations

from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType, PayloadFormat
from originlink.formats.registry import to_format
from originlink.services.context import Node
from originlink.services.messaging.sending import send_message
from originlink.services.node.partners import cached_partners
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord
from originlink.store.repos.partners import PartnerRecord


def recipients(node: Node, record: CertificateRecord) -> list[PartnerRecord]:
    """The partners of the importing country that share the CO's agreement."""
    return sorted(
        (
            p
            for p in cached_partners(node).values()
            if p.country == record.importing_country
            and (record.agreement is None or record.agreement in p.agreements)
        ),
        key=lambda p: p.participant_id,
    )


def _ref(record: CertificateRecord, status: str) -> DocumentRef:
    return DocumentRef(issuing_country=record.issuing_country, number=record.number, status=status)


def co_payload(record: CertificateRecord) -> bytes:
    """A signed CO in canonical JSON, as sent: its stored JSON, which is that signed document
    already serialised (no second serialisation of the whole CO per message)."""
    return record.document_json.encode("utf-8")


def translated(
    node: Node, record: CertificateRecord, doc: CODocument, fmt: str
) -> tuple[bytes, PayloadFormat, dict[str, Any] | None]:
    """The CO in the partner's format (translation at the edge) and the loss report."""
    if fmt == PayloadFormat.CANONICAL.value:
        return co_payload(record), PayloadFormat.CANONICAL, None
    profile = node.profiles.get(doc.certificate.agreement_code or "")
    conversion = to_format(doc, fmt, profile=profile)
    return conversion.result, PayloadFormat(fmt), conversion.loss.as_dict()


def send_issued(
    tx: UnitOfWork, node: Node, record: CertificateRecord, doc: CODocument
) -> list[str]:
    """``co.issued`` (or ``co.notification`` for hybrid partners) to the importing side, in
    the partner's payload format; the loss report of the translation stays with the message."""
    sent = []
    targets = recipients(node, record)
    for partner in targets:
        loss: dict[str, Any] | None = None
        if partner.model == "hybrid":
            payload: Any = {
                "certificate_digest": record.digest,
                "issuing_country": record.issuing_country,
                "number": record.number,
                "copy_seq": record.copy_seq,
            }
            message_type = MessageType.CO_NOTIFICATION
            payload_format = PayloadFormat.CANONICAL
        else:
            payload, payload_format, loss = translated(node, record, doc, partner.payload_format)
            message_type = MessageType.CO_ISSUED
        message = send_message(
            tx,
            node,
            recipient=partner.participant_id,
            message_type=message_type,
            payload=payload,
            agreement=record.agreement,
            document=_ref(record, "ISSUED"),
            certificate_id=record.id,
            payload_format=payload_format,
            loss_report=loss,
        )
        sent.append(str(message.envelope.message_id))
    if sent:
        tx.certificates.set_partner(record.id, ",".join(p.participant_id for p in targets))
    return sent


def send_status(
    tx: UnitOfWork, node: Node, record: CertificateRecord, doc: CODocument, reason: str
) -> list[str]:
    """``co.status`` with the newly signed version, to every partner that was sent the CO."""
    if record.side != Side.EXPORT.value:
        return []
    payload: dict[str, Any] = {
        "status": record.status,
        "reason": reason,
        "effective_at": record.updated_at.isoformat(),
        "document": doc.to_json_dict(),
    }
    if record.replaced_by_id:
        replacing = tx.certificates.get(record.replaced_by_id)
        if replacing is not None:
            payload["replaced_by"] = {
                "issuing_country": replacing.issuing_country,
                "number": replacing.number,
            }
    sent = []
    for partner in recipients(node, record):
        message = send_message(
            tx,
            node,
            recipient=partner.participant_id,
            message_type=MessageType.CO_STATUS,
            payload=payload,
            agreement=record.agreement,
            document=_ref(record, record.status),
            certificate_id=record.id,
        )
        sent.append(str(message.envelope.message_id))
    return sent
