"""services/verification/deadlines.py: deadlines that pass while nobody acts — nothing before
the moment, then NO_REPLY once (the CO not confirmed, the items asked about marked, their
claims listed for review), a visit's consent deadline on its own, an answered case left alone,
and the worker's rounds applying them."""

from __future__ import annotations

from datetime import timedelta

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.importing import claim_records, reviews
from originlink.services.node import audit
from originlink.services.verification import answers, cases, deadlines
from originlink.store.repos.verification import CaseRecord
from tests.services.verification.support import Verification, open_case

VISIT = {"proposed_date": "2025-04-15", "place": "Factory, Jurong", "purpose": "records"}


def _until(v: Verification, moment: object, *, offset: timedelta = timedelta(0)) -> None:
    assert moment is not None
    v.net.clock.set(moment + offset)  # type: ignore[operator]


def _case(v: Verification, case: CaseRecord) -> dict[str, object]:
    return cases.get_case(v.jp.node, v.jp.customs, case.id)


def test_nothing_lapses_before_its_deadline(v: Verification) -> None:
    case = open_case(v)
    _until(v, case.due_at, offset=-timedelta(seconds=1))
    assert deadlines.run_due(v.jp.node) == 0
    assert deadlines.lapse(v.jp.node, case.id) == 0
    assert _case(v, case)["status"] == "OPEN"
    assert deadlines.lapse(v.jp.node, "no-such-case") == 0


def test_a_request_without_reply_lapses_once_with_its_effects(v: Verification) -> None:
    case = open_case(v, items=[2])
    _until(v, case.due_at)
    assert deadlines.run_due(v.jp.node) == 1
    assert _case(v, case)["status"] == "NO_REPLY"
    usage = claim_records.usage(v.jp.node, v.jp.customs, v.received_id)
    assert usage["verification_status"] == "NOT_CONFIRMED"
    assert {i["item"]: i["origin_status"] for i in usage["items"]} == {1: None, 2: "NO_REPLY"}
    listed, _ = reviews.list_reviews(v.jp.node, v.jp.customs)
    assert [(r["declaration_id"], r["item"], r["reason"]) for r in listed] == [
        ("JP-1", 2, "VERIFICATION_NO_REPLY")
    ]
    assert listed[0]["details"]["case_id"] == case.id
    v.net.advance(timedelta(days=1))
    assert deadlines.run_due(v.jp.node) == 0  # lapsed once
    assert reviews.list_reviews(v.jp.node, v.jp.customs)[1] == 1


def test_a_visit_not_consented_lapses_on_its_own_deadline(v: Verification) -> None:
    case = open_case(v, visit=VISIT)
    assert case.visit_due_at is not None and case.due_at is not None
    assert case.visit_due_at < case.due_at
    _until(v, case.visit_due_at)
    assert deadlines.run_due(v.jp.node) == 1
    view = _case(v, case)
    assert (view["status"], view["visit_status"]) == ("OPEN", "NO_CONSENT")
    _until(v, case.due_at)
    assert deadlines.run_due(v.jp.node) == 1
    view = _case(v, case)
    assert (view["status"], view["visit_status"]) == ("NO_REPLY", "NO_CONSENT")


def test_an_answered_case_does_not_lapse(v: Verification) -> None:
    case = open_case(v)
    v.net.drain()
    (mirror,), _ = cases.list_cases(v.sg.node, v.sg.officer, side="export")
    answers.answer(
        v.sg.node,
        v.sg.officer,
        mirror["id"],
        {
            "items": [
                {"item": 1, "result": "CONFIRMED", "findings": "ok"},
                {"item": 2, "result": "CONFIRMED", "findings": "ok"},
            ]
        },
    )
    v.net.drain()
    _until(v, case.due_at, offset=timedelta(days=1))
    assert deadlines.run_due(v.jp.node) == 0
    assert deadlines.run_due(v.sg.node) == 0
    assert _case(v, case)["status"] == "ANSWERED"


def test_the_workers_rounds_apply_deadlines_on_both_sides(v: Verification) -> None:
    case = open_case(v)
    v.net.drain()
    _until(v, case.due_at)
    v.net.drain()
    assert _case(v, case)["status"] == "NO_REPLY"
    (mirror,), _ = cases.list_cases(v.sg.node, v.sg.officer, side="export")
    assert mirror["status"] == "NO_REPLY"
    with v.sg.node.store.read() as tx:
        record = tx.certificates.get(v.issued.certificate.id)
    assert record is not None and record.verification_status == "NOT_CONFIRMED"
    assert reviews.list_reviews(v.sg.node, v.sg.customs) == ([], 0)  # the issuer holds no claims
    rows = audit.records(v.sg.node, SYSTEM_ACTOR, entity_type="verification")
    assert [(r["action"], r["actor"]) for r in rows][-1] == (
        "verification.deadline",
        "system:verification",
    )
