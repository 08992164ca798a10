"""Retroactive verification (P8) on both sides.

Importing customs: :func:`request_verification` opens a case on a received CO (reasons, items,
questions, evidence files, optional visit notice), puts the CO and the items concerned UNDER
VERIFICATION and sends ``verification.request``. The ``.ack`` and ``.response`` handlers record
the issuer's acknowledgement, visit consent and answer; the answer sets every item's outcome, the
CO's (VERIFIED only when every item is CONFIRMED, else NOT_CONFIRMED) and lists the claims it
affects — those on items not confirmed go to post-clearance review.

The issuing authority's side (the ``.request`` handler, ``acknowledge``, ``answer``) is in
:mod:`originlink.services.verification.answers`; deadlines are applied by
:mod:`originlink.services.verification.deadlines`.

Message payloads are :class:`~originlink.domain.verification.RequestPayload`, ``AckPayload`` and
``ResponsePayload`` (JSON); ``.ack`` and ``.response`` carry the request's message id as
``correlation_id``. Evidence travels inside the payload as base64 with its size and SHA-256,
checked on receipt, and is kept in the database with its digest.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.declarations import CoReference, parse_input
from originlink.domain.errors import Conflict, NotFound, ValidationFailed
from originlink.domain.evidence import DecodedFile, decode_files
from originlink.domain.findings import Finding, Level
from originlink.domain.lifecycle import (
    RecordStatus,
    Side,
    VerificationStatus,
    check_verification_transition,
)
from originlink.domain.messages import DocumentRef, MessageType
from originlink.domain.quantities import micros_text
from originlink.domain.verification import (
    AckPayload,
    CaseStatus,
    ItemResult,
    RequestInput,
    RequestPayload,
    ResponsePayload,
    VisitStatus,
    answer_accepted,
    check_answer_items,
    check_case_transition,
    consent_deadline,
    overall_outcome,
    reply_deadline,
)
from originlink.services.context import Node
from originlink.services.importing import reviews
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.messaging.sending import send_message
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord
from originlink.store.repos.verification import CaseRecord

SYSTEM = "system:verification"


def to_ms(moment: datetime) -> datetime:
    """Times as messages carry them (milliseconds), so both sides compute the same deadline."""
    return moment.replace(microsecond=moment.microsecond - moment.microsecond % 1000)


def refuse(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        message, [Finding(Level.SEVERE, path, "VERIFICATION_REFUSED", message, "exchange")]
    )


def set_overlay(
    tx: UnitOfWork,
    record: CertificateRecord,
    target: VerificationStatus,
    *,
    actor: str,
    reason: str,
    now: datetime,
    correcting_lapse: bool = False,
) -> None:
    """Move the CO's verification status (``correcting_lapse``: an answer given in time
    replaces the NOT_CONFIRMED its lapse set)."""
    current = VerificationStatus(record.verification_status) if record.verification_status else None
    check_verification_transition(current, target, correcting_lapse=correcting_lapse)
    certs = tx.certificates
    updated = record.with_(verification_status=target.value, updated_at=now)
    if not certs.save(updated, expected_version=record.version):
        raise Conflict(f"certificate {record.number} changed concurrently; try again")
    certs.add_event(
        certificate_id=record.id,
        from_status=record.verification_status,
        to_status=target.value,
        version=record.version,
        actor=actor,
        reason=reason,
        at=now,
    )
    tx.audit.append(
        at=now,
        actor=actor,
        action=f"certificate.verification.{target.value.lower()}",
        entity_type="certificate",
        entity_id=record.id,
        details={"reason": reason},
    )


def store_files(
    tx: UnitOfWork, case_id: str, part: str, files: Sequence[DecodedFile], now: datetime
) -> list[dict[str, object]]:
    repo = tx.case_files
    for f in files:
        repo.add(
            file_id=str(uuid.uuid4()),
            case_id=case_id,
            part=part,
            name=f.name,
            media_type=f.media_type,
            content=f.content,
            sha256=f.sha256,
            at=now,
        )
    return [f.meta() for f in files]


def doc_ref(record: CertificateRecord) -> DocumentRef:
    return DocumentRef(
        issuing_country=record.issuing_country, number=record.number, status=record.status
    )


# --- importing customs ------------------------------------------------------------------------


def request_verification(node: Node, actor: Actor, data: Any) -> CaseRecord:
    """Open a verification case on a received CO and send the request to its issuer."""
    actor.require(Permission.VERIFICATION_REQUEST)
    request = parse_input(RequestInput, data, root="request", what="verification request")
    files = decode_files(
        request.attachments,
        root="request.attachments",
        max_bytes=node.settings.max_attachment_bytes,
    )
    now = to_ms(node.now())
    with node.store.transaction() as tx:
        record = tx.certificates.get(request.certificate_id, for_update=True)
        if record is None or record.side != Side.IMPORT.value:
            raise NotFound(f"no received certificate {request.certificate_id}")
        if record.status == RecordStatus.REJECTED.value:
            raise Conflict(f"{record.number} was rejected on receipt; there is nothing to verify")
        if not record.partner or tx.partners.get(record.partner) is None:
            raise Conflict(f"{record.number} came from no known partner to ask")
        known = sorted(tx.ledger.items(record.id))
        items = sorted(set(request.items)) if request.items else known
        unknown = sorted(set(items) - set(known))
        if unknown:
            raise refuse("request.items", f"items {unknown} are not on {record.number}")
        profile = node.profiles.get(record.agreement) if record.agreement else None
        deadline = reply_deadline(profile, now, reply_days=request.reply_days)
        consent = consent_deadline(profile, now) if request.visit is not None else None
        set_overlay(
            tx,
            record,
            VerificationStatus.UNDER_VERIFICATION,
            actor=actor.label,
            reason="verification requested",
            now=now,
        )
        tx.ledger.set_origin_status(record.id, items, "UNDER_VERIFICATION")
        case_id = str(uuid.uuid4())
        payload = RequestPayload(
            case_id=case_id,
            certificate=CoReference(issuing_country=record.issuing_country, number=record.number),
            reasons=request.reasons,
            items=items,
            questions=request.questions,
            requested_at=now,
            reply_period=deadline.period,
            due_at=deadline.due_at,
            visit=request.visit,
            visit_consent_due_at=consent.due_at if consent else None,
            attachments=[f.attachment() for f in files],
        )
        message = send_message(
            tx,
            node,
            recipient=record.partner,
            message_type=MessageType.VERIFICATION_REQUEST,
            payload=payload.model_dump(mode="json", exclude_none=True),
            agreement=record.agreement,
            document=doc_ref(record),
            certificate_id=record.id,
        )
        case = new_case(
            case_id,
            Side.IMPORT,
            record,
            partner=record.partner,
            payload=payload,
            message_id=str(message.envelope.message_id),
            deadline_note=deadline.note + (f"; visit: {consent.note}" if consent else ""),
            now=now,
        )
        tx.cases.add(case)
        store_files(tx, case_id, "request", files, now)
        audit_case(tx, case, actor.label, "verification.request", now)
    return case


def new_case(
    case_id: str,
    side: Side,
    record: CertificateRecord,
    *,
    partner: str,
    payload: RequestPayload,
    message_id: str,
    deadline_note: str,
    now: datetime,
) -> CaseRecord:
    request = payload.model_dump(mode="json", exclude_none=True)
    request["attachments"] = [
        {k: v for k, v in a.items() if k != "content"} for a in request.get("attachments", [])
    ]
    return CaseRecord(
        id=case_id,
        side=side.value,
        certificate_id=record.id,
        issuing_country=record.issuing_country,
        number=record.number,
        partner=partner,
        agreement=record.agreement,
        status=CaseStatus.OPEN.value,
        request=request,
        response=None,
        opened_at=now,
        due_at=payload.due_at,
        updated_at=now,
        message_id=message_id,
        deadline_note=deadline_note,
        acknowledged_at=None,
        answered_at=None,
        outcome=None,
        visit_status=VisitStatus.PROPOSED.value if payload.visit is not None else None,
        visit_due_at=payload.visit_consent_due_at,
    )


def audit_case(tx: UnitOfWork, case: CaseRecord, actor: str, action: str, now: datetime) -> None:
    tx.audit.append(
        at=now,
        actor=actor,
        action=action,
        entity_type="verification",
        entity_id=case.id,
        after={"status": case.status, "due_at": case.due_at.isoformat() if case.due_at else None},
        details={"side": case.side, "certificate_id": case.certificate_id},
    )


def _case_for(tx: UnitOfWork, side: Side, inbound: Inbound) -> CaseRecord:
    correlation = inbound.envelope.correlation_id
    case = tx.cases.by_message(side.value, str(correlation), for_update=True)
    if case is None or case.partner != inbound.sender:
        raise refuse("envelope.correlation_id", f"no verification request {correlation} to them")
    return case


def on_ack(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """Importing side: the issuer acknowledged (and perhaps consented to the visit)."""
    ack = parse_input(AckPayload, inbound.payload_json(), root="payload", what="acknowledgement")
    case = _case_for(tx, Side.IMPORT, inbound)
    now = node.now()
    if case.status == CaseStatus.OPEN.value:
        check_case_transition(CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED)
        case = case.with_(status=CaseStatus.ACKNOWLEDGED.value, acknowledged_at=ack.acknowledged_at)
    case = apply_consent(case, ack.visit_consent, ack.remarks, now)
    tx.cases.save(case.with_(updated_at=now))
    audit_case(tx, case, f"partner:{inbound.sender}", "verification.ack", now)
    return HandlerResult(status=case.status, certificate_id=case.certificate_id)


def apply_consent(
    case: CaseRecord, consent: str | None, remarks: str | None, now: datetime
) -> CaseRecord:
    request = dict(case.request)
    if remarks:
        request["ack_remarks"] = remarks
    if consent is None:
        return case.with_(request=request)
    if case.visit_status != VisitStatus.PROPOSED.value:
        raise refuse(
            "payload.visit_consent",
            f"no visit awaits consent in this case (visit: {case.visit_status or 'none'})",
        )
    status = VisitStatus.CONSENTED if consent == "GRANTED" else VisitStatus.REFUSED
    request["visit_consent_at"] = now.isoformat()
    return case.with_(visit_status=status.value, request=request)


def on_response(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """Importing side: the issuer's answer per item updates the items, the CO and the claims."""
    reply = parse_input(ResponsePayload, inbound.payload_json(), root="payload", what="answer")
    case = _case_for(tx, Side.IMPORT, inbound)
    status = CaseStatus(case.status)
    if not answer_accepted(status, case.due_at, reply.answered_at):
        raise refuse(
            "payload.answered_at",
            f"the case is {status.value} (deadline {case.due_at}); an answer given at "
            f"{reply.answered_at} cannot close it",
        )
    results = check_answer_items(reply.items, list(case.request["items"]))
    files = decode_files(
        reply.attachments, root="payload.attachments", max_bytes=node.settings.max_attachment_bytes
    )
    now = node.now()
    record = tx.certificates.get(case.certificate_id or "", for_update=True)
    if record is None:
        raise NotFound(f"the CO of case {case.id} is gone")
    ledger = tx.ledger
    for item, result in results.items():
        ledger.set_origin_status(record.id, [item], result.value)
    outcome = overall_outcome(results)
    if record.verification_status != outcome.value:
        set_overlay(
            tx,
            record,
            outcome,
            actor=f"partner:{inbound.sender}",
            reason=f"verification answered ({case.id})",
            now=now,
            correcting_lapse=status is CaseStatus.NO_REPLY,
        )
    affected = affected_claims(tx, record.id, results)
    doubtful = [i for i, r in results.items() if r is not ItemResult.CONFIRMED]
    if doubtful:
        reviews.list_claims(
            tx,
            certificate_id=record.id,
            reason="ORIGIN_NOT_CONFIRMED",
            details={"case_id": case.id, "co_number": record.number},
            now=now,
            items=doubtful,
        )
    response = reply.model_dump(mode="json", exclude_none=True)
    response["attachments"] = store_files(tx, case.id, "response", files, now)
    response["affected_claims"] = affected
    answered = case.with_(
        status=CaseStatus.ANSWERED.value,
        answered_at=reply.answered_at,
        outcome=outcome.value,
        response=response,
        updated_at=now,
    )
    tx.cases.save(answered)
    audit_case(tx, answered, f"partner:{inbound.sender}", "verification.response", now)
    return HandlerResult(status=answered.status, certificate_id=record.id)


def affected_claims(
    tx: UnitOfWork, certificate_id: str, results: dict[int, ItemResult] | list[int]
) -> list[dict[str, Any]]:
    """Claims holding quantity of the items concerned, with each item's outcome."""
    items = list(results)
    out = []
    for held in tx.ledger.claims_on(certificate_id, items):
        entry: dict[str, Any] = {
            "declaration_id": held.declaration_id,
            "line_number": held.line_number,
            "item": held.sequence_number,
            "holds": micros_text(held.net_micros),
            "unit_code": held.unit_code,
        }
        if isinstance(results, dict):
            entry["item_result"] = results[held.sequence_number].value
        out.append(entry)
    return out
