"""The importing side of a CO (P2, P3, P6, P7): ``co.issued``, ``co.notification``,
``co.status``.

A received CO is checked against the dataset and its agreement profile, its document signature
against the trust lists (the issuing authority must be listed for the CO's issuing country, its
agreement and the issuing-authority role), and that this node is the importing party. It is
stored as RECEIVED or REJECTED with its findings either way, its items are entered in the usage
ledger, and a ``business.response`` (ACCEPTED or REJECTED, with the findings) goes back.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from originlink.domain.dataset import CODocument, Relation
from originlink.domain.errors import InputError
from originlink.domain.findings import Finding, Level
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.domain.messages import BusinessOutcome, MessageType, PayloadFormat, ReceiptOutcome
from originlink.domain.quantities import item_capacities
from originlink.domain.safejson import loads_bounded
from originlink.domain.validation import ValidationContext, validate_document
from originlink.exchange.wire import WireMessage
from originlink.formats.registry import from_format
from originlink.services.context import Node
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.messaging.sending import reply_inline, send_message
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord
from originlink.trust.canonical import certificate_canonical_bytes
from originlink.trust.digests import certificate_digest, digest_bytes
from originlink.trust.document import verify_document


def _authority_code(doc: CODocument) -> str:
    for ident in doc.certificate.parties.issuing_authority.identifiers or []:
        if ident.scheme == "TRUSTLIST":
            return ident.value
    return doc.certificate.parties.issuing_authority.name[:64]


def check_received(
    node: Node,
    data: Any,
    *,
    sender: str,
    agreement: str | None,
    source_format: str | None = None,
    uncarried: frozenset[str] = frozenset(),
) -> tuple[CODocument | None, list[Finding], str | None]:
    """Dataset, profile, signature and importing-party checks of a received CO document;
    returns the document, the findings and the certificate's digest. A CO that arrived in a
    format with no place for some fields (``uncarried``) is not refused for lacking them."""
    report = validate_document(
        data,
        registry=node.profiles,
        context=ValidationContext(
            now=node.now(),
            clock_skew=node.settings.clock_skew,
            purpose="document",
            max_attachment_bytes=node.settings.max_attachment_bytes,
            source_format=source_format,
            uncarried_paths=uncarried,
        ),
    )
    findings = list(report.findings)
    doc = report.document
    if doc is None:
        return None, findings, None
    cert = doc.certificate
    if cert.importing_country != node.identity.country:
        findings.append(
            Finding(
                Level.SEVERE,
                "certificate.importing_country",
                "IMPORTING_PARTY",
                f"the CO is for {cert.importing_country}; this node imports for "
                f"{node.identity.country}",
                area="exchange",
            )
        )
    if agreement is not None and cert.agreement_code != agreement:
        findings.append(
            Finding(
                Level.SEVERE,
                "certificate.agreement.code",
                "AGREEMENT_MISMATCH",
                f"the envelope says {agreement}, the CO says {cert.agreement_code}",
                area="exchange",
            )
        )
    trust = node.require_trust()
    sender_list = trust.participant(sender)
    if sender_list is not None and sender_list.country != cert.issuing_country:
        findings.append(
            Finding(
                Level.SEVERE,
                "certificate.issuing_country",
                "ISSUER_COUNTRY_MISMATCH",
                f"{sender} is in {sender_list.country}, the CO says {cert.issuing_country}",
                area="exchange",
            )
        )
    canonical = certificate_canonical_bytes(cert)
    verification = verify_document(
        doc, trust, now=node.now(), skew=node.settings.clock_skew, canonical=canonical
    )
    digest = digest_bytes(canonical)
    for aspect in verification.failures:
        findings.append(
            Finding(
                Level.SEVERE,
                "signatures.issuing_authority",
                aspect.code or "SIGNATURE_INVALID",
                aspect.detail or "the document signature is not valid",
                area="signature",
            )
        )
    return doc, findings, digest


def store_received(
    tx: UnitOfWork,
    node: Node,
    doc: CODocument | None,
    findings: list[Finding],
    *,
    sender: str,
    raw: dict[str, Any],
    digest: str | None = None,
    raw_json: str | None = None,
) -> CertificateRecord | None:
    """Store a received CO (RECEIVED, or REJECTED with its findings); None when unparseable.
    A CO already held with the same digest is returned as it is (no second record).
    ``raw_json``, when the CO arrived as canonical JSON, is that text: it is kept exactly as
    received (the evidence), and ``raw`` is not serialised again."""
    if doc is None:
        return None
    cert = doc.certificate
    repo = tx.certificates
    digest = digest or certificate_digest(cert)
    copy_seq = 1 if cert.flag("certified_true_copy") else 0
    for existing in repo.find(
        side=Side.IMPORT.value,
        issuing_country=cert.issuing_country,
        number=cert.certificate_number or "",
    ):
        if existing.digest == digest:
            return existing
        copy_seq = max(copy_seq, existing.copy_seq + 1)
    now = node.now()
    severe = [f for f in findings if f.level is Level.SEVERE]
    status = RecordStatus.REJECTED if severe else RecordStatus.RECEIVED
    importer = cert.parties.importer
    record = CertificateRecord(
        id=str(uuid.uuid4()),
        side=Side.IMPORT.value,
        status=status.value,
        verification_status=None,
        issuing_country=cert.issuing_country,
        authority_code=_authority_code(doc),
        number=cert.certificate_number or "",
        copy_seq=copy_seq,
        agreement=cert.agreement_code,
        form_code=cert.form_code,
        exporting_country=cert.exporting_country,
        importing_country=cert.importing_country,
        organisation=None,
        importer_name=importer.name if importer else None,
        partner=sender,
        issue_datetime=cert.issue_datetime,
        validity_end_date=cert.validity_end_date or _validity(node, doc),
        version=cert.version,
        digest=digest,
        document_json=raw_json
        if raw_json is not None
        else json.dumps(raw, ensure_ascii=False, separators=(",", ":")),
        application_id=None,
        replaced_by_id=None,
        findings=[f.as_dict() for f in findings if f.level is not Level.INFO] or None,
        created_at=now,
        updated_at=now,
    )
    repo.add(record)
    repo.add_event(
        certificate_id=record.id,
        from_status=None,
        to_status=status.value,
        version=record.version,
        actor=f"partner:{sender}",
        reason="received" if not severe else severe[0].code,
        at=now,
    )
    if status is RecordStatus.RECEIVED:
        tx.certificate_items.add(record.id, item_capacities(doc))
    for ref in cert.references.related(Relation.REPLACES) if cert.references else []:
        repo.link_to_received(
            from_id=record.id,
            relation=Relation.REPLACES.value,
            issuing_country=ref.issuing_country,
            number=ref.number,
            at=now,
        )
        _point_to_replacement(tx, record, ref.issuing_country, ref.number, now)
    tx.audit.append(
        at=now,
        actor=f"partner:{sender}",
        action=f"certificate.{status.value.lower()}",
        entity_type="certificate",
        entity_id=record.id,
        after=record.summary(),
        details={"findings": len(severe)},
    )
    return record


def _point_to_replacement(
    tx: UnitOfWork, replacement: CertificateRecord, country: str, number: str, now: datetime
) -> None:
    """The issuer sends the replaced CO's ``co.status`` before the replacement's ``co.issued``
    (the status changes inside the issuance), so the REPLACED record could not name its
    replacement yet: it does once the replacement arrives."""
    for old in tx.certificates.find(
        side=Side.IMPORT.value, issuing_country=country, number=number, for_update=True
    ):
        if old.status == RecordStatus.REPLACED.value and old.replaced_by_id is None:
            tx.certificates.save(
                old.with_(replaced_by_id=replacement.id, updated_at=now),
                expected_version=old.version,
            )


def _validity(node: Node, doc: CODocument) -> Any:
    profile = node.profiles.get(doc.certificate.agreement_code or "")
    cert = doc.certificate
    if profile is None or cert.issue_datetime is None:
        return None
    departure = cert.transport.departure_datetime if cert.transport else None
    shipped = departure.date() if isinstance(departure, datetime) else departure
    return profile.validity_end(
        issued=cert.issue_datetime.date(),
        shipped=shipped,
        retroactive=cert.flag("issued_retroactively"),
    )


def respond(
    tx: UnitOfWork,
    node: Node,
    *,
    to: str,
    correlation_id: str,
    record: CertificateRecord | None,
    findings: list[Finding],
    agreement: str | None,
    inline: bool = False,
) -> tuple[dict[str, Any], list[WireMessage]]:
    """The business response (P3): inside the HTTP answer when the sender waits for it
    (``inline``), else queued as a message. Returns its payload and the inline replies."""
    accepted = record is not None and record.status == RecordStatus.RECEIVED.value
    payload = {
        "outcome": (BusinessOutcome.ACCEPTED if accepted else BusinessOutcome.REJECTED).value,
        "certificate_number": record.number if record else None,
        "issuing_country": record.issuing_country if record else None,
        "findings": [f.as_dict() for f in findings if f.level is not Level.INFO],
        "decided_at": node.now().isoformat(),
    }
    if inline:
        reply = reply_inline(
            tx,
            node,
            recipient=to,
            message_type=MessageType.BUSINESS_RESPONSE,
            payload=payload,
            agreement=agreement,
            correlation_id=correlation_id,
            certificate_id=record.id if record else None,
        )
        return payload, [reply]
    send_message(
        tx,
        node,
        recipient=to,
        message_type=MessageType.BUSINESS_RESPONSE,
        payload=payload,
        agreement=agreement,
        correlation_id=correlation_id,
        certificate_id=record.id if record else None,
    )
    return payload, []


def accept_document(
    tx: UnitOfWork,
    node: Node,
    raw: Any,
    *,
    sender: str,
    agreement: str | None,
    correlation_id: str,
    inline: bool = False,
    raw_json: str | None = None,
    source_format: str | None = None,
    uncarried: frozenset[str] = frozenset(),
) -> HandlerResult:
    """Check, store and answer a received CO (``raw``: its parsed JSON; ``raw_json``: the
    text it was parsed from, when it came as canonical JSON; ``source_format`` and
    ``uncarried``: the format it arrived in and the fields that format cannot carry)."""
    doc, findings, digest = check_received(
        node,
        raw,
        sender=sender,
        agreement=agreement,
        source_format=source_format,
        uncarried=uncarried,
    )
    if doc is None:
        severe = [f for f in findings if f.level is Level.SEVERE]
        first = severe[0] if severe else None
        raise InputError(
            f"the CO cannot be read: {first.code} at {first.path}: {first.message}"
            if first
            else "the CO cannot be read"
        )
    record = store_received(
        tx, node, doc, findings, sender=sender, raw=raw, digest=digest, raw_json=raw_json
    )
    response, replies = respond(
        tx,
        node,
        to=sender,
        correlation_id=correlation_id,
        record=record,
        findings=findings,
        agreement=agreement,
        inline=inline,
    )
    warnings = [f.one_line() for f in findings if f.level is Level.WARNING]
    return HandlerResult(
        status=record.status if record else "REJECTED",
        outcome=ReceiptOutcome.DELIVERED_WITH_WARNINGS if warnings else ReceiptOutcome.DELIVERED,
        certificate_id=record.id if record else None,
        warnings=warnings[:20],
        response=response,
        replies=replies,
    )


def on_co_issued(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """A pushed (or pulled) CO, in canonical JSON or, from a partner that exchanges in another
    format, in UBL, UN/CEFACT or ALADI COD (translated here; the loss report is kept)."""
    fmt = inbound.envelope.payload_format
    loss: dict[str, Any] | None = None
    raw_json: str | None = None
    uncarried: frozenset[str] = frozenset()
    if fmt is PayloadFormat.CANONICAL:
        raw = loads_bounded(inbound.payload, what="CO document")
        raw_json = inbound.payload.decode("utf-8")
    else:
        conversion = from_format(inbound.payload, fmt.value, profiles=node.profiles)
        raw = conversion.result.to_json_dict()
        loss = conversion.loss.as_dict()
        uncarried = conversion.uncarried
    result = accept_document(
        tx,
        node,
        raw,
        sender=inbound.sender,
        agreement=inbound.envelope.agreement,
        correlation_id=str(inbound.envelope.message_id),
        inline=inbound.inline,
        raw_json=raw_json,
        source_format=None if fmt is PayloadFormat.CANONICAL else fmt.value,
        uncarried=uncarried,
    )
    return replace(result, loss_report=loss) if loss is not None else result


def on_co_notification(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """Hybrid model: remember what to pull; the worker pulls the CO and answers."""
    payload = inbound.payload_json()
    if not isinstance(payload, dict) or not isinstance(payload.get("certificate_digest"), str):
        raise InputError("a co.notification carries {certificate_digest, ...}")
    if inbound.envelope.document is None:
        raise InputError("a co.notification names its document in the envelope")
    return HandlerResult(
        status="PENDING_PULL", response={"certificate_digest": payload["certificate_digest"]}
    )
