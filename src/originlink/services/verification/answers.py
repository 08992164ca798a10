"""Retroactive verification (P8), the issuing authority's side: the ``verification.request``
handler opens the mirror case with the deadline computed here from the same profile and the
request time the message carries (a request whose stated deadline differs is refused);
:func:`acknowledge` and :func:`answer` send ``verification.ack`` and ``verification.response``
(correlated with the request's message id) and move the CO's verification overlay.
"""

from __future__ import annotations

import uuid
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.declarations import parse_input
from originlink.domain.errors import Conflict, NotFound
from originlink.domain.evidence import decode_files
from originlink.domain.lifecycle import Side, VerificationStatus
from originlink.domain.messages import MessageType
from originlink.domain.verification import (
    WAITING,
    AckInput,
    AckPayload,
    AnswerInput,
    CaseStatus,
    RequestPayload,
    ResponsePayload,
    check_answer_items,
    consent_deadline,
    overall_outcome,
    reply_deadline,
)
from originlink.services.context import Node
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.messaging.sending import send_message
from originlink.services.unit_of_work import UnitOfWork
from originlink.services.verification.requests import (
    apply_consent,
    audit_case,
    doc_ref,
    new_case,
    refuse,
    set_overlay,
    store_files,
    to_ms,
)
from originlink.store.repos.verification import CaseRecord


def on_request(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """Issuing side: open the mirror case with the deadline computed here."""
    request = parse_input(
        RequestPayload, inbound.payload_json(), root="payload", what="verification request"
    )
    ref = request.certificate
    records = tx.certificates.find(
        side=Side.EXPORT.value, issuing_country=ref.issuing_country, number=ref.number
    )
    if ref.issuing_country != node.identity.country or not records:
        raise refuse("payload.certificate", f"no CO {ref.number} was issued here")
    record = records[0]
    partner = tx.partners.get(inbound.sender)
    if partner is None or partner.country != record.importing_country:
        raise refuse("envelope.sender", f"{inbound.sender} is not the importing party")
    now = node.now()
    if request.requested_at > now + node.settings.clock_skew:
        raise refuse("payload.requested_at", "the request is dated in the future")
    items_on_co = {g.sequence_number for g in record.document().certificate.goods_items}
    if set(request.items) - items_on_co:
        raise refuse("payload.items", f"items {sorted(set(request.items) - items_on_co)} unknown")
    profile = node.profiles.get(record.agreement) if record.agreement else None
    rule = profile.rules.verification if profile is not None else None
    chosen = request.reply_period
    reply_days = (
        chosen.amount
        if chosen is not None
        and rule is not None
        and rule.reply_period_min is not None
        and chosen != rule.reply_period
        else None
    )
    deadline = reply_deadline(profile, request.requested_at, reply_days=reply_days)
    consent = consent_deadline(profile, request.requested_at) if request.visit else None
    if deadline.due_at != request.due_at or (
        consent is not None and consent.due_at != request.visit_consent_due_at
    ):
        raise refuse(
            "payload.due_at",
            f"the request states the deadline {request.due_at}; {record.agreement or 'no'} "
            f"profile gives {deadline.due_at} ({deadline.note})",
        )
    files = decode_files(
        request.attachments,
        root="payload.attachments",
        max_bytes=node.settings.max_attachment_bytes,
    )
    case = new_case(
        str(uuid.uuid4()),
        Side.EXPORT,
        record,
        partner=inbound.sender,
        payload=request,
        message_id=str(inbound.envelope.message_id),
        deadline_note=deadline.note + (f"; visit: {consent.note}" if consent else ""),
        now=now,
    )
    case = case.with_(request={**case.request, "remote_case_id": request.case_id})
    tx.cases.add(case)
    store_files(tx, case.id, "request", files, now)
    current = VerificationStatus(record.verification_status) if record.verification_status else None
    if current in (None, VerificationStatus.VERIFIED):
        set_overlay(
            tx,
            record,
            VerificationStatus.UNDER_VERIFICATION,
            actor=f"partner:{inbound.sender}",
            reason=f"verification requested ({case.id})",
            now=now,
        )
    audit_case(tx, case, f"partner:{inbound.sender}", "verification.received", now)
    return HandlerResult(status=case.status, certificate_id=record.id)


def _export_case(tx: UnitOfWork, case_id: str) -> CaseRecord:
    case = tx.cases.get(case_id, for_update=True)
    if case is None or case.side != Side.EXPORT.value:
        raise NotFound(f"no verification case {case_id} addressed to this node")
    return case


def acknowledge(node: Node, actor: Actor, case_id: str, data: Any) -> CaseRecord:
    """Issuing side: acknowledge a request (and consent to or refuse a proposed visit)."""
    actor.require(Permission.VERIFICATION_ANSWER)
    ack = parse_input(AckInput, data or {}, root="ack", what="acknowledgement")
    now = to_ms(node.now())
    with node.store.transaction() as tx:
        case = _export_case(tx, case_id)
        status = CaseStatus(case.status)
        if status is CaseStatus.OPEN:
            case = case.with_(status=CaseStatus.ACKNOWLEDGED.value, acknowledged_at=now)
        elif status is not CaseStatus.ACKNOWLEDGED or ack.visit_consent is None:
            raise Conflict(f"case {case_id} is {status.value}; there is nothing to acknowledge")
        case = apply_consent(case, ack.visit_consent, ack.remarks, now)
        payload = AckPayload(
            case_id=case.request.get("remote_case_id", case.id),
            acknowledged_at=case.acknowledged_at or now,
            visit_consent=ack.visit_consent,
            remarks=ack.remarks,
        )
        _reply(tx, node, case, MessageType.VERIFICATION_ACK, payload.model_dump(mode="json"))
        tx.cases.save(case.with_(updated_at=now))
        audit_case(tx, case, actor.label, "verification.acknowledge", now)
    return case


def answer(node: Node, actor: Actor, case_id: str, data: Any) -> CaseRecord:
    """Issuing side: answer per item; the CO's overlay follows and the response is sent."""
    actor.require(Permission.VERIFICATION_ANSWER)
    reply = parse_input(AnswerInput, data, root="answer", what="answer")
    files = decode_files(
        reply.attachments, root="answer.attachments", max_bytes=node.settings.max_attachment_bytes
    )
    now = to_ms(node.now())
    with node.store.transaction() as tx:
        case = _export_case(tx, case_id)
        if CaseStatus(case.status) not in WAITING:
            raise Conflict(
                f"case {case_id} is {case.status}"
                + (f" since its deadline {case.due_at.isoformat()}" if case.due_at else "")
            )
        results = check_answer_items(reply.items, list(case.request["items"]))
        record = tx.certificates.get(case.certificate_id or "", for_update=True)
        if record is None:
            raise NotFound(f"the CO of case {case_id} is gone")
        outcome = overall_outcome(results)
        if record.verification_status == VerificationStatus.UNDER_VERIFICATION.value:
            set_overlay(
                tx, record, outcome, actor=actor.label, reason=f"answered {case_id}", now=now
            )
        payload = ResponsePayload(
            case_id=case.request.get("remote_case_id", case.id),
            answered_at=now,
            items=reply.items,
            summary=reply.summary,
            attachments=[f.attachment() for f in files],
        )
        _reply(
            tx,
            node,
            case,
            MessageType.VERIFICATION_RESPONSE,
            payload.model_dump(mode="json", exclude_none=True),
        )
        response = payload.model_dump(mode="json", exclude_none=True)
        response["attachments"] = store_files(tx, case.id, "response", files, now)
        case = case.with_(
            status=CaseStatus.ANSWERED.value,
            answered_at=now,
            outcome=outcome.value,
            response=response,
            updated_at=now,
        )
        tx.cases.save(case)
        audit_case(tx, case, actor.label, "verification.answer", now)
    return case


def _reply(
    tx: UnitOfWork, node: Node, case: CaseRecord, kind: MessageType, payload: dict[str, Any]
) -> None:
    record = tx.certificates.get(case.certificate_id or "")
    send_message(
        tx,
        node,
        recipient=case.partner or "",
        message_type=kind,
        payload=payload,
        agreement=case.agreement,
        document=doc_ref(record) if record is not None else None,
        correlation_id=case.message_id,
        certificate_id=case.certificate_id,
    )
