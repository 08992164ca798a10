"""services/importing/claims.py: preference claims on one customs node, on SQLite and
PostgreSQL: every decision and reason code through the service, partial use, idempotency,
amendment, deciding again, invalidation, re-credit, the audit of each decision, and
post-clearance review after cancellation or replacement. Claims between two gateways (the
utilisation notice, pulling a CO not yet held) are in ``tests/e2e/test_claims_exchange.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from originlink.domain.lifecycle import RecordStatus
from originlink.services.importing import claim_records, claims, reviews
from originlink.services.issuing.status_changes import change_status
from originlink.services.node import audit
from originlink.services.node import users as user_service
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.claims_support import co_document, declaration, kg_item, line, receive


@pytest.fixture
def jp(db_url: str) -> Iterator[TestNode]:
    tnode = build_test_node(
        db_url, ca=TestCA(), participant="JP-CUSTOMS", country="JP", timezone="Asia/Tokyo"
    )
    yield tnode
    tnode.close()


def customs(t: TestNode) -> Actor:
    record = user_service.add_user(t.node, SYSTEM_ACTOR, username="customs", role="customs_officer")
    return Actor(record.id, "customs", Role.CUSTOMS_OFFICER, via="test")


def decide(t: TestNode, data: dict) -> dict:
    return claims.submit_declaration(t.node, customs_of(t), data).as_dict()


_ACTORS: dict[int, Actor] = {}


def customs_of(t: TestNode) -> Actor:
    if id(t) not in _ACTORS:
        _ACTORS[id(t)] = customs(t)
    return _ACTORS[id(t)]


def only_line(result: dict) -> dict:
    assert len(result["lines"]) == 1
    return result["lines"][0]


def remaining(t: TestNode, cert_id: str, item: int = 1) -> int | None:
    with t.node.store.read() as tx:
        return tx.ledger.remaining(cert_id, item)


def test_partial_use_across_three_declarations(jp: TestNode) -> None:
    co = receive(jp.node)
    first = decide(jp, declaration("D-1", "500"))
    assert first["outcome"] == "DECIDED"
    assert only_line(first)["decision"] == "GRANTED"
    assert only_line(first)["facts"]["remaining_before"] == "1200"
    assert only_line(first)["facts"]["remaining_after"] == "700"
    second = only_line(decide(jp, declaration("D-2", "500")))
    assert second["decision"] == "GRANTED" and second["facts"]["remaining_after"] == "200"
    third = only_line(decide(jp, declaration("D-3", "300")))
    assert third["decision"] == "DENIED" and third["reason_codes"] == ["QUANTITY_EXCEEDED"]
    assert third["facts"]["remaining_before"] == "200" and third["facts"]["requested"] == "300"
    assert remaining(jp, co.id) == 200_000_000
    usage = claim_records.usage(jp.node, customs_of(jp), co.id)
    assert [e["delta"] for e in usage["ledger"]] == ["-500", "-500"]
    assert {c["declaration_id"] for c in usage["claims"]} == {"D-1", "D-2"}


def test_replaying_a_declaration_returns_the_stored_decision_without_drawing(
    jp: TestNode,
) -> None:
    co = receive(jp.node)
    data = declaration("D-1", "500")
    first = decide(jp, data)
    again = decide(jp, dict(reversed(list(data.items()))))
    assert again["outcome"] == "REPLAYED"
    assert again["lines"] == first["lines"] and again["revision"] == 1
    assert remaining(jp, co.id) == 700_000_000


def test_an_amendment_recredits_then_decides_again(jp: TestNode) -> None:
    co = receive(jp.node)
    decide(jp, declaration("D-1", "500"))
    amended = decide(jp, declaration("D-1", "800"))
    assert amended["outcome"] == "AMENDED" and amended["revision"] == 2
    assert amended["recredited"][0]["quantity"] == "500"
    assert only_line(amended)["facts"]["remaining_before"] == "1200"
    assert remaining(jp, co.id) == 400_000_000
    usage = claim_records.usage(jp.node, customs_of(jp), co.id)
    assert [e["reason"] for e in usage["ledger"]] == ["DRAW", "RECREDIT_AMENDED", "DRAW"]


def test_invalidation_recredits_and_closes_the_declaration(jp: TestNode) -> None:
    co = receive(jp.node)
    decide(jp, declaration("D-1", "500"))
    record = claims.invalidate(jp.node, customs_of(jp), "D-1", reason="declaration withdrawn")
    assert record.status == "INVALIDATED"
    assert record.decision["invalidated"]["recredited"][0]["quantity"] == "500"
    assert remaining(jp, co.id) == 1_200_000_000
    with pytest.raises(Conflict):
        decide(jp, declaration("D-1", "500"))
    with pytest.raises(Conflict):
        claims.invalidate(jp.node, customs_of(jp), "D-1", reason="again")


def test_each_line_is_decided_on_its_own(jp: TestNode) -> None:
    co = receive(jp.node, co_document(extra_items=[kg_item()]))
    result = decide(
        jp,
        declaration(
            "D-1",
            "0",
            lines=[
                line(1, 1, "100"),
                line(2, 9, "1"),  # not on the CO
                line(3, 2, "0.25", unit="TNE", hs="721049"),  # 250 kg of 500
                line(4, 1, "2", unit="KGM"),  # pieces cannot become kilograms
                line(5, 2, "1", hs="720000", unit="KGM"),
            ],
        ),
    )
    decisions = [(x["decision"], x["reason_codes"]) for x in result["lines"]]
    assert decisions == [
        ("GRANTED", ["ALL_CHECKS_PASSED"]),
        ("DENIED", ["ITEM_NOT_ON_CO"]),
        ("GRANTED", ["ALL_CHECKS_PASSED"]),
        ("DENIED", ["UNIT_NOT_CONVERTIBLE"]),
        ("DENIED", ["HS_MISMATCH"]),
    ]
    converted = result["lines"][2]["facts"]
    assert converted["converted_from"] == "TNE" and converted["converted_quantity"] == "250"
    assert converted["item_unit"] == "KGM" and converted["remaining_after"] == "250"
    assert result["lines"][4]["facts"]["item_hs6"] == "721049"
    assert result["summary"] == {"GRANTED": 2, "DENIED": 3, "REFERRED": 0}
    assert remaining(jp, co.id, 2) == 250_000_000


@pytest.mark.parametrize(
    ("status", "reason"),
    [(RecordStatus.CANCELLED, "CO_CANCELLED"), (RecordStatus.REPLACED, "CO_REPLACED")],
)
def test_a_cancelled_or_replaced_co_is_denied_and_its_claims_go_to_review(
    jp: TestNode, status: RecordStatus, reason: str
) -> None:
    co = receive(jp.node)
    decide(jp, declaration("D-1", "500"))
    with jp.node.store.transaction() as tx:
        change_status(jp.node, tx, SYSTEM_ACTOR, co, status, reason="issuer", now=jp.clock.now())
    denied = only_line(decide(jp, declaration("D-2", "1")))
    assert denied["decision"] == "DENIED" and reason in denied["reason_codes"]
    listed, total = reviews.list_reviews(jp.node, customs_of(jp), status="OPEN")
    assert total == 1
    assert listed[0]["declaration_id"] == "D-1" and listed[0]["reason"] == reason
    assert listed[0]["details"]["holds"] == "500"
    closed = reviews.close_review(jp.node, customs_of(jp), listed[0]["id"], note="duty paid")
    assert closed["status"] == "CLOSED"
    with pytest.raises(Conflict):
        reviews.close_review(jp.node, customs_of(jp), listed[0]["id"], note="again")


def test_expiry_agreement_and_importer_are_checked(jp: TestNode) -> None:
    receive(jp.node, co_document(validity_end=date(2025, 3, 3)))
    expired = only_line(decide(jp, declaration("D-1", "1")))
    assert expired["reason_codes"] == ["CO_EXPIRED"]
    assert expired["facts"]["validity_end_date"] == "2025-03-03"
    receive(jp.node, co_document(number="RCEP-SG-2025-000124"))
    wrong = only_line(
        decide(
            jp,
            declaration(
                "D-2",
                "1",
                number="RCEP-SG-2025-000124",
                agreement="ATIGA",
                importer="Somebody Else Ltd",
            ),
        )
    )
    assert wrong["decision"] == "DENIED"
    assert wrong["reason_codes"] == ["AGREEMENT_MISMATCH", "IMPORTER_MISMATCH"]
    assert wrong["facts"]["co_agreement"] == "RCEP"
    same = only_line(
        decide(
            jp,
            declaration("D-3", "1", number="RCEP-SG-2025-000124", importer="EXAMPLE trading, K.K."),
        )
    )
    assert same["decision"] == "GRANTED"


def test_rejected_cos_are_denied_with_the_reason(jp: TestNode) -> None:
    receive(jp.node, co_document(number="RCEP-SG-2025-000200"), signature_broken=True)
    bad = only_line(decide(jp, declaration("D-1", "1", number="RCEP-SG-2025-000200")))
    assert bad["reason_codes"] == ["SIGNATURE_INVALID"]
    assert bad["facts"]["rejection_codes"] == ["SIG_INTEGRITY"]


def test_a_co_nobody_can_provide_is_not_found(jp: TestNode) -> None:
    result = only_line(decide(jp, declaration("D-1", "1", number="RCEP-SG-2025-009999")))
    assert result["decision"] == "DENIED" and result["reason_codes"] == ["CO_NOT_FOUND"]
    assert "no partner in SG" in result["facts"]["pull"]


def test_items_under_verification_or_without_quantity_are_referred(jp: TestNode) -> None:
    no_qty = kg_item(sequence=3)
    del no_qty["net_weight"]
    co = receive(jp.node, co_document(extra_items=[no_qty]))
    with jp.node.store.transaction() as tx:
        tx.ledger.set_origin_status(co.id, [1], "UNDER_VERIFICATION")
    result = decide(
        jp, declaration("D-1", "0", lines=[line(1, 1, "1"), line(2, 3, "1", hs="721049")])
    )
    first, second = result["lines"]
    assert first["decision"] == "REFERRED"
    assert first["reason_codes"] == ["CO_UNDER_VERIFICATION", "RELEASE_UNDER_GUARANTEE"]
    assert first["facts"]["release_under_guarantee"].startswith("RCEP: RCEP-TXT Art 3.24.6")
    assert second["reason_codes"] == ["QUANTITY_NOT_ON_CO", "RELEASE_UNDER_GUARANTEE"]
    with jp.node.store.transaction() as tx:
        tx.ledger.set_origin_status(co.id, [1], "NOT_CONFIRMED")
    denied = only_line(decide(jp, declaration("D-2", "1")))
    assert denied["reason_codes"] == ["ORIGIN_NOT_CONFIRMED"]
    assert remaining(jp, co.id) == 1_200_000_000


def test_bad_declarations_are_refused_with_paths(jp: TestNode) -> None:
    receive(jp.node)
    cases = [
        (declaration("D-1", "-1"), "declaration.lines[0].quantity"),
        (declaration("D-1", "1", unit="XXX"), "declaration.lines[0].quantity"),
        (declaration("D-1", "1", hs_code="8482"), "declaration.lines[0].hs_code"),
        (declaration("D-1", "1", day="2025-03-09"), "declaration.date"),
        ({**declaration("D-1", "1"), "extra": 1}, "declaration.extra"),
    ]
    for data, path in cases:
        with pytest.raises(ValidationFailed) as info:
            decide(jp, data)
        assert info.value.findings[0].path == path, data
    twice = declaration("D-1", "1", lines=[line(1, 1, "1"), line(1, 1, "2")])
    with pytest.raises(ValidationFailed):
        decide(jp, twice)


def test_only_customs_decide_claims(jp: TestNode) -> None:
    receive(jp.node)
    for actor in (jp.exporter, jp.officer, jp.admin):
        with pytest.raises(Forbidden):
            claims.submit_declaration(jp.node, actor, declaration("D-1", "1"))
    with jp.node.store.read() as tx:
        assert tx.certificates.find(side="import", issuing_country="SG", number="x") == []


def test_a_declaration_is_decided_again_once_its_co_arrives(jp: TestNode) -> None:
    missing = only_line(decide(jp, declaration("D-1", "500")))
    assert missing["reason_codes"] == ["CO_NOT_FOUND"]
    co = receive(jp.node)
    again = claims.decide_again(jp.node, customs_of(jp), "D-1").as_dict()
    assert (again["outcome"], again["revision"], again["certificate_id"]) == (
        "REDECIDED",
        2,
        co.id,
    )
    assert only_line(again)["decision"] == "GRANTED" and again["recredited"] == []
    assert again["utilisation_notice"] is None  # the issuer is not a partner of this node
    twice = claims.decide_again(jp.node, customs_of(jp), "D-1").as_dict()
    assert twice["revision"] == 3 and twice["recredited"][0]["quantity"] == "500"
    assert remaining(jp, co.id) == 700_000_000
    usage = claim_records.usage(jp.node, customs_of(jp), co.id)
    assert [e["reason"] for e in usage["ledger"]] == ["DRAW", "RECREDIT_REDECIDED", "DRAW"]
    with pytest.raises(NotFound, match="no declaration D-9"):
        claims.decide_again(jp.node, customs_of(jp), "D-9")


def test_every_decision_is_audited_by_its_outcome(jp: TestNode) -> None:
    receive(jp.node)
    decide(jp, declaration("D-1", "500"))
    decide(jp, declaration("D-1", "500"))  # replayed: nothing new
    decide(jp, declaration("D-1", "600"))
    claims.decide_again(jp.node, customs_of(jp), "D-1")
    claims.invalidate(jp.node, customs_of(jp), "D-1", reason=" withdrawn ")
    rows = audit.records(jp.node, SYSTEM_ACTOR, entity_type="declaration", entity_id="D-1")
    assert [r["action"] for r in rows] == [
        "claim.decided",
        "claim.amended",
        "claim.redecided",
        "claim.invalidate",
    ]
    assert json.loads(rows[-1]["details"]) == {"reason": "withdrawn", "via": "test"}


def test_an_invalidation_needs_a_reason_a_declaration_and_a_customs_officer(jp: TestNode) -> None:
    receive(jp.node)
    decide(jp, declaration("D-1", "500"))
    with pytest.raises(ValidationFailed, match="an invalidation needs a reason"):
        claims.invalidate(jp.node, customs_of(jp), "D-1", reason=" ")
    with pytest.raises(NotFound, match="no declaration D-2"):
        claims.invalidate(jp.node, customs_of(jp), "D-2", reason="x")
    for actor in (jp.officer, jp.admin, jp.exporter):
        with pytest.raises(Forbidden):
            claims.invalidate(jp.node, actor, "D-1", reason="x")
        with pytest.raises(Forbidden):
            claims.decide_again(jp.node, actor, "D-1")
    assert claim_records.get_declaration(jp.node, customs_of(jp), "D-1").status == "DECIDED"


def test_an_importer_named_by_identifier_must_match_the_cos(jp: TestNode) -> None:
    raw = co_document()
    raw["certificate"]["parties"]["importer"]["identifiers"] = [
        {"scheme": "JP:CN", "value": "1234567890123"}
    ]
    receive(jp.node, raw)
    same = declaration("D-1", "1", importer="Whoever KK")
    same["importer"]["identifier"] = {"scheme": "JP:CN", "value": "1234567890123"}
    assert only_line(decide(jp, same))["decision"] == "GRANTED"
    other = declaration("D-2", "1")
    other["importer"]["identifier"] = {"scheme": "JP:CN", "value": "9999999999999"}
    assert only_line(decide(jp, other))["reason_codes"] == ["IMPORTER_MISMATCH"]
