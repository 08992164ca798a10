"""services/verification/requests.py: the importing customs' side of retroactive verification —
opening a case (what it changes, what it sends, every refusal, nothing half-done), and the
``.ack`` and ``.response`` handlers (what they refuse, visit consent, an answer's effect on
items, CO and claims, and an answer given in time that arrives after the deadline ran). The
round trip between two gateways is in ``tests/e2e/test_claims_verification.py``."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from originlink.domain.messages import MessageType
from originlink.services.importing import claim_records, reviews
from originlink.services.node import audit
from originlink.services.verification import cases, deadlines
from originlink.services.verification import requests as verification
from originlink.services.verification.requests import to_ms
from originlink.testing.nodes import TestNode
from tests.claims_support import co_document, receive
from tests.services.support import CUSTOMS, issued
from tests.services.verification.support import Verification, from_sg, open_case, request

EVIDENCE = b"%PDF-1.4 invoice of the steel\n"


def _item_statuses(v: Verification) -> dict[int, Any]:
    usage = claim_records.usage(v.jp.node, v.jp.customs, v.received_id)
    return {i["item"]: i["origin_status"] for i in usage["items"]}


def _overlay(v: Verification) -> str | None:
    return claim_records.usage(v.jp.node, v.jp.customs, v.received_id)["verification_status"]


def test_times_are_kept_to_the_millisecond_as_messages_carry_them() -> None:
    moment = datetime(2025, 3, 4, 1, 2, 3, 456789, tzinfo=UTC)
    assert to_ms(moment) == datetime(2025, 3, 4, 1, 2, 3, 456000, tzinfo=UTC)


def test_a_request_puts_the_items_asked_about_under_verification_and_asks_the_issuer(
    v: Verification,
) -> None:
    attachment = {
        "name": "invoice.pdf",
        "media_type": "application/pdf",
        "content": base64.b64encode(EVIDENCE).decode(),
    }
    case = open_case(v, items=[2], attachments=[attachment], reply_days=30)
    assert (case.side, case.status, case.partner, case.agreement) == (
        "import",
        "OPEN",
        "SG-CUSTOMS",
        "RCEP",
    )
    assert case.due_at == case.opened_at + timedelta(days=30)
    assert case.request["items"] == [2]
    assert case.request["attachments"] == [
        {
            "name": "invoice.pdf",
            "media_type": "application/pdf",
            "size": len(EVIDENCE),
            "sha256": hashlib.sha256(EVIDENCE).hexdigest(),
        }
    ]
    assert _item_statuses(v) == {1: None, 2: "UNDER_VERIFICATION"}
    assert _overlay(v) == "UNDER_VERIFICATION"
    with v.jp.node.store.read() as tx:
        sent = tx.outbox.get(case.message_id or "")
    assert sent is not None and (sent.message_type, sent.recipient) == (
        "verification.request",
        "SG-CUSTOMS",
    )
    payload = json.loads(sent.payload)
    assert (payload["case_id"], payload["items"], payload["reply_period"]) == (
        case.id,
        [2],
        {"amount": 30, "unit": "days"},
    )
    assert base64.b64decode(payload["attachments"][0]["content"]) == EVIDENCE
    actions = [
        r["action"] for r in audit.records(v.jp.node, SYSTEM_ACTOR, entity_type="verification")
    ]
    assert actions == ["verification.request"]
    files = cases.get_case(v.jp.node, v.jp.customs, case.id)["files"]
    assert [(f["part"], f["name"]) for f in files] == [("request", "invoice.pdf")]


def test_only_customs_ask_and_only_about_a_usable_co_from_a_partner(
    v: Verification, sg: TestNode
) -> None:
    jp = v.jp
    for actor in (jp.officer, jp.exporter):
        with pytest.raises(Forbidden, match="may not verification request"):
            verification.request_verification(jp.node, actor, request(v))
    with pytest.raises(NotFound, match="no received certificate nope"):
        verification.request_verification(jp.node, jp.customs, request(v, certificate_id="nope"))
    own = issued(sg).certificate  # an exported CO is not asked about
    with pytest.raises(NotFound, match="no received certificate"):
        verification.request_verification(
            sg.node, CUSTOMS, {**request(v), "certificate_id": own.id}
        )
    rejected = receive(jp.node, signature_broken=True, sender="SG-CUSTOMS")
    with pytest.raises(Conflict, match="was rejected on receipt; there is nothing to verify"):
        verification.request_verification(
            jp.node, jp.customs, request(v, certificate_id=rejected.id)
        )
    # a CO kept from a sender that is no partner of this node
    stranger = receive(jp.node, co_document(number="RCEP-SG-2025-000124"), sender="KR-CUSTOMS")
    with pytest.raises(Conflict, match="came from no known partner to ask"):
        verification.request_verification(
            jp.node, jp.customs, request(v, certificate_id=stranger.id)
        )
    assert cases.list_cases(jp.node, jp.customs) == ([], 0)


def test_a_request_the_co_or_agreement_cannot_support_is_refused_saying_where(
    v: Verification,
) -> None:
    jp = v.jp
    for extra, path in [
        ({"items": [2, 9]}, "request.items"),
        ({"reply_days": 120}, "request.reply_days"),  # RCEP: 30 to 90 days
        ({"reasons": []}, "request.reasons"),
        ({"questions": "why?"}, "request.questions"),
    ]:
        with pytest.raises(ValidationFailed) as info:
            verification.request_verification(jp.node, jp.customs, request(v, **extra))
        assert info.value.findings[0].path == path, extra
    assert _overlay(v) is None and _item_statuses(v) == {1: None, 2: None}
    with jp.node.store.read() as tx:
        assert tx.outbox.search(message_type="verification.request")[1] == 0


def test_a_co_under_verification_is_not_asked_about_twice(v: Verification) -> None:
    open_case(v)
    with pytest.raises(Conflict, match="UNDER_VERIFICATION cannot become UNDER_VERIFICATION"):
        open_case(v)
    assert cases.list_cases(v.jp.node, v.jp.customs)[1] == 1


def _ack(v: Verification, correlation: str | None, **payload: Any) -> Any:
    body = {
        "case_id": "0" * 8 + "-0000-4000-8000-" + "0" * 12,
        "acknowledged_at": "2025-03-05T00:00:00Z",
        **payload,
    }
    with v.jp.node.store.transaction() as tx:
        return verification.on_ack(
            tx,
            v.jp.node,
            from_sg(v, MessageType.VERIFICATION_ACK, body, correlation_id=correlation),
        )


def test_an_acknowledgement_must_answer_our_request_to_that_partner(v: Verification) -> None:
    case = open_case(v)
    for correlation in (None, "00000000-0000-4000-8000-000000000001"):
        with pytest.raises(ValidationFailed, match="no verification request") as info:
            _ack(v, correlation)
        assert info.value.findings[0].path == "envelope.correlation_id"
    result = _ack(v, case.message_id, remarks="looking into it")
    assert (result.status, result.certificate_id) == ("ACKNOWLEDGED", v.received_id)
    view = cases.get_case(v.jp.node, v.jp.customs, case.id)
    assert view["acknowledged_at"] == "2025-03-05T00:00:00+00:00"
    assert view["request"]["ack_remarks"] == "looking into it"
    with pytest.raises(ValidationFailed, match="no visit awaits consent in this case") as info:
        _ack(v, case.message_id, visit_consent="GRANTED")
    assert info.value.findings[0].path == "payload.visit_consent"


def test_consent_to_a_proposed_visit_is_recorded_once(v: Verification) -> None:
    visit = {"proposed_date": "2025-04-15", "place": "Factory, Jurong", "purpose": "records"}
    case = open_case(v, visit=visit)
    assert case.visit_status == "PROPOSED" and case.visit_due_at is not None
    _ack(v, case.message_id, visit_consent="REFUSED")
    view = cases.get_case(v.jp.node, v.jp.customs, case.id)
    assert (view["status"], view["visit_status"]) == ("ACKNOWLEDGED", "REFUSED")
    with pytest.raises(ValidationFailed, match=r"visit: REFUSED"):
        _ack(v, case.message_id, visit_consent="GRANTED")


def _respond(v: Verification, correlation: str | None, answered_at: datetime, *items: Any) -> Any:
    body = {
        "case_id": "00000000-0000-4000-8000-000000000000",
        "answered_at": answered_at.isoformat(),
        "items": [{"item": i, "result": r, "findings": "checked"} for i, r in items],
    }
    with v.jp.node.store.transaction() as tx:
        return verification.on_response(
            tx,
            v.jp.node,
            from_sg(v, MessageType.VERIFICATION_RESPONSE, body, correlation_id=correlation),
        )


def test_an_answer_sets_each_item_the_co_and_lists_doubtful_claims(v: Verification) -> None:
    case = open_case(v)
    now = v.net.clock.now()
    with pytest.raises(ValidationFailed, match="items \\[2\\] are concerned but not answered"):
        _respond(v, case.message_id, now, (1, "CONFIRMED"))
    result = _respond(v, case.message_id, now, (1, "CONFIRMED"), (2, "PARTIALLY_CONFIRMED"))
    assert result.status == "ANSWERED"
    assert _item_statuses(v) == {1: "CONFIRMED", 2: "PARTIALLY_CONFIRMED"}
    assert _overlay(v) == "NOT_CONFIRMED"  # VERIFIED only when every item is confirmed
    view = cases.get_case(v.jp.node, v.jp.customs, case.id)
    assert (view["status"], view["outcome"]) == ("ANSWERED", "NOT_CONFIRMED")
    assert [
        (c["declaration_id"], c["item"], c["item_result"])
        for c in view["response"]["affected_claims"]
    ] == [
        ("JP-1", 1, "CONFIRMED"),
        ("JP-1", 2, "PARTIALLY_CONFIRMED"),
    ]
    listed, _ = reviews.list_reviews(v.jp.node, v.jp.customs)
    assert [(r["item"], r["reason"]) for r in listed] == [(2, "ORIGIN_NOT_CONFIRMED")]
    with pytest.raises(ValidationFailed, match="the case is ANSWERED"):
        _respond(v, case.message_id, now, (1, "CONFIRMED"), (2, "CONFIRMED"))


def test_an_answer_confirming_every_item_verifies_the_co(v: Verification) -> None:
    case = open_case(v)
    _respond(v, case.message_id, v.net.clock.now(), (1, "CONFIRMED"), (2, "CONFIRMED"))
    assert _overlay(v) == "VERIFIED"
    assert reviews.list_reviews(v.jp.node, v.jp.customs) == ([], 0)


def test_an_answer_after_the_deadline_ran_is_refused_unless_given_in_time(
    v: Verification,
) -> None:
    case = open_case(v)
    assert case.due_at is not None
    v.net.advance(case.due_at - v.net.clock.now() + timedelta(minutes=1))
    assert deadlines.run_due(v.jp.node) == 1
    with pytest.raises(ValidationFailed, match="the case is NO_REPLY") as info:
        _respond(
            v,
            case.message_id,
            case.due_at + timedelta(seconds=1),
            (1, "CONFIRMED"),
            (2, "CONFIRMED"),
        )
    assert info.value.findings[0].path == "payload.answered_at"


def test_an_answer_given_in_time_is_accepted_though_the_deadline_ran_before_it_came(
    v: Verification,
) -> None:
    """An answer sent before the deadline but received after it (it crossed the deadline run)
    still closes the case (``domain.verification.answer_accepted``), whatever it says."""
    case = open_case(v)
    assert case.due_at is not None
    v.net.advance(case.due_at - v.net.clock.now() + timedelta(minutes=1))
    deadlines.run_due(v.jp.node)
    in_time = case.due_at - timedelta(minutes=5)
    result = _respond(v, case.message_id, in_time, (1, "CONFIRMED"), (2, "CONFIRMED"))
    assert result.status == "ANSWERED"
    view = cases.get_case(v.jp.node, v.jp.customs, case.id)
    assert (view["status"], view["outcome"]) == ("ANSWERED", "VERIFIED")
