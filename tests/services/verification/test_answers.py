"""services/verification/answers.py: the issuing authority's side of retroactive verification —
the ``verification.request`` handler (the mirror case, and every request it refuses: a CO not
issued here, a sender that is not the importing party, a date in the future, unknown items, a
deadline the profile does not give), and acknowledging and answering (who may, once, in time,
what is sent back)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from originlink.domain.messages import MessageType
from originlink.services.messaging.handlers import HandlerResult
from originlink.services.node import audit
from originlink.services.verification import answers, cases, deadlines
from originlink.store.repos.verification import CaseRecord
from tests.exchange_support import issue
from tests.services.support import inbound, message
from tests.services.verification.support import Verification, open_case

ANSWER = {
    "items": [
        {"item": 1, "result": "CONFIRMED", "findings": "cost sheets checked"},
        {"item": 2, "result": "CONFIRMED", "findings": "mill certificate checked"},
    ],
    "summary": "origin confirmed",
}


def _request_payload(v: Verification, case: CaseRecord) -> dict[str, Any]:
    with v.jp.node.store.read() as tx:
        sent = tx.outbox.get(case.message_id or "")
    assert sent is not None
    payload: dict[str, Any] = json.loads(sent.payload)
    return payload


def _on_request(v: Verification, payload: dict[str, Any]) -> HandlerResult:
    wire = message(
        sender="JP-CUSTOMS",
        recipient="SG-CUSTOMS",
        signer=v.jp.signer,
        now=v.net.clock.now(),
        payload=json.dumps(payload).encode(),
        message_type=MessageType.VERIFICATION_REQUEST,
        agreement="RCEP",
    )
    with v.sg.node.store.transaction() as tx:
        return answers.on_request(tx, v.sg.node, inbound(wire))


def _mirror(v: Verification) -> dict[str, Any]:
    found, total = cases.list_cases(v.sg.node, v.sg.officer, side="export")
    assert total == 1
    return found[0]


def test_a_request_opens_the_mirror_case_with_the_same_deadline(v: Verification) -> None:
    case = open_case(v, items=[2])
    v.net.drain()
    mirror = _mirror(v)
    assert (mirror["side"], mirror["status"], mirror["partner"]) == ("export", "OPEN", "JP-CUSTOMS")
    assert mirror["certificate_id"] == v.issued.certificate.id
    assert mirror["due_at"] == case.due_at.isoformat()  # type: ignore[union-attr]
    assert mirror["request"]["remote_case_id"] == case.id
    assert mirror["request"]["items"] == [2]
    with v.sg.node.store.read() as tx:
        record = tx.certificates.get(v.issued.certificate.id)
    assert record is not None and record.verification_status == "UNDER_VERIFICATION"
    actions = [
        r["action"] for r in audit.records(v.sg.node, SYSTEM_ACTOR, entity_type="verification")
    ]
    assert actions == ["verification.received"]


def test_requests_the_issuer_cannot_accept_are_refused_saying_where(v: Verification) -> None:
    case = open_case(v)
    good = _request_payload(v, case)
    for_nz = issue(v.sg, importing="NZ").certificate.number
    later = (v.net.clock.now() + timedelta(hours=1)).isoformat()
    cases_ = [
        (
            {**good, "certificate": {"issuing_country": "SG", "number": "RCEP-SG-2025-009999"}},
            "payload.certificate",
            "was issued here",
        ),
        (
            {
                **good,
                "certificate": {"issuing_country": "MY", "number": good["certificate"]["number"]},
            },
            "payload.certificate",
            "was issued here",
        ),
        (
            {**good, "certificate": {"issuing_country": "SG", "number": for_nz}},
            "envelope.sender",
            "JP-CUSTOMS is not the importing party",
        ),
        ({**good, "requested_at": later}, "payload.requested_at", "dated in the future"),
        ({**good, "items": [1, 5]}, "payload.items", "items [5] unknown"),
        ({**good, "due_at": "2026-01-01T00:00:00Z"}, "payload.due_at", "profile gives"),
    ]
    for payload, path, reason in cases_:
        with pytest.raises(ValidationFailed, match=re.escape(reason)) as info:
            _on_request(v, payload)
        assert [(f.code, f.path) for f in info.value.findings] == [("VERIFICATION_REFUSED", path)]
    assert cases.list_cases(v.sg.node, v.sg.officer) == ([], 0)
    accepted = _on_request(v, good)
    assert (accepted.status, accepted.certificate_id) == ("OPEN", v.issued.certificate.id)


def test_acknowledging_is_for_the_issuing_officer_once(v: Verification) -> None:
    case = open_case(v)
    v.net.drain()
    mirror_id = _mirror(v)["id"]
    for actor in (v.sg.exporter, v.sg.customs):
        with pytest.raises(Forbidden, match="may not verification answer"):
            answers.acknowledge(v.sg.node, actor, mirror_id, {})
    with pytest.raises(NotFound, match=f"no verification case {case.id} addressed to this node"):
        answers.acknowledge(v.jp.node, v.jp.officer, case.id, {})
    acknowledged = answers.acknowledge(v.sg.node, v.sg.officer, mirror_id, {"remarks": "on it"})
    assert acknowledged.status == "ACKNOWLEDGED"
    assert acknowledged.acknowledged_at == v.net.clock.now()
    with pytest.raises(Conflict, match="is ACKNOWLEDGED; there is nothing to acknowledge"):
        answers.acknowledge(v.sg.node, v.sg.officer, mirror_id, None)
    with v.sg.node.store.read() as tx:
        sent, _ = tx.outbox.search(message_type="verification.ack")
    (ack,) = sent
    assert ack.correlation_id == case.message_id and ack.recipient == "JP-CUSTOMS"
    assert json.loads(ack.payload) == {
        "case_id": case.id,
        "acknowledged_at": "2025-03-04T01:00:00Z",
        "visit_consent": None,
        "remarks": "on it",
    }


def test_an_answer_moves_the_issuers_co_and_is_sent_back_once(v: Verification) -> None:
    case = open_case(v)
    v.net.drain()
    mirror_id = _mirror(v)["id"]
    with pytest.raises(Forbidden):
        answers.answer(v.sg.node, v.sg.customs, mirror_id, ANSWER)
    with pytest.raises(ValidationFailed, match="item 3 is not concerned"):
        answers.answer(
            v.sg.node,
            v.sg.officer,
            mirror_id,
            {"items": [*ANSWER["items"], {"item": 3, "result": "CONFIRMED", "findings": "x"}]},
        )
    answered = answers.answer(v.sg.node, v.sg.officer, mirror_id, ANSWER)
    assert (answered.status, answered.outcome) == ("ANSWERED", "VERIFIED")
    with v.sg.node.store.read() as tx:
        record = tx.certificates.get(v.issued.certificate.id)
        sent, _ = tx.outbox.search(message_type="verification.response")
    assert record is not None and record.verification_status == "VERIFIED"
    (response,) = sent
    assert response.correlation_id == case.message_id
    assert json.loads(response.payload)["case_id"] == case.id
    with pytest.raises(Conflict, match=f"case {mirror_id} is ANSWERED"):
        answers.answer(v.sg.node, v.sg.officer, mirror_id, ANSWER)
    v.net.drain()
    assert cases.get_case(v.jp.node, v.jp.customs, case.id)["outcome"] == "VERIFIED"


def test_a_case_past_its_deadline_is_not_answered(v: Verification) -> None:
    case = open_case(v)
    v.net.drain()
    mirror_id = _mirror(v)["id"]
    assert case.due_at is not None
    v.net.advance(case.due_at - v.net.clock.now())
    assert deadlines.run_due(v.sg.node) == 1
    with pytest.raises(
        Conflict, match=re.escape(f"is NO_REPLY since its deadline {case.due_at.isoformat()}")
    ):
        answers.answer(v.sg.node, v.sg.officer, mirror_id, ANSWER)
    with pytest.raises(Conflict, match="is NO_REPLY; there is nothing to acknowledge"):
        answers.acknowledge(v.sg.node, v.sg.officer, mirror_id, {})
