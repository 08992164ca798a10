"""services/importing/reviews.py: claims listed for post-clearance review — only lines still
holding quantity, once per line and reason (on SQLite and PostgreSQL), the status hook that
lists them when a received CO is cancelled or replaced, and closing a review with a note."""

from __future__ import annotations

import json

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import Forbidden, NotFound, ValidationFailed
from originlink.domain.lifecycle import RecordStatus
from originlink.services.importing import claims, reviews
from originlink.services.node import audit
from originlink.store.repos.certificates import CertificateRecord
from originlink.testing.nodes import TestNode
from tests.claims_support import co_document, declaration, kg_item, line, receive
from tests.services.support import CUSTOMS


def _claimed(t: TestNode) -> CertificateRecord:
    """A received CO of two items: D-1 holds 500 of item 1 and 100 kg of item 2, D-2 held 200
    of item 1 until it was invalidated."""
    co = receive(t.node, co_document(extra_items=[kg_item()]))
    lines = [line(1, 1, "500"), line(2, 2, "100", unit="KGM", hs="721049")]
    claims.submit_declaration(t.node, CUSTOMS, declaration("D-1", "0", lines=lines))
    claims.submit_declaration(t.node, CUSTOMS, declaration("D-2", "200"))
    claims.invalidate(t.node, CUSTOMS, "D-2", reason="withdrawn")
    return co


def _listed(t: TestNode, **filters: object) -> list[tuple[str, int, str]]:
    found, _ = reviews.list_reviews(t.node, CUSTOMS, **filters)  # type: ignore[arg-type]
    return [(r["declaration_id"], r["item"], r["reason"]) for r in found]


def test_lines_still_holding_quantity_are_listed_once_per_reason(sg_on_db: TestNode) -> None:
    t = sg_on_db
    co = _claimed(t)
    now = t.clock.now()
    with t.node.store.transaction() as tx:
        first = reviews.list_claims(
            tx, certificate_id=co.id, reason="AUDIT", details={"why": "x"}, now=now, items=[1]
        )
        reviews.list_claims(
            tx, certificate_id=co.id, reason="AUDIT", details={"why": "x"}, now=now, items=[1]
        )
    assert first == [
        {"declaration_id": "D-1", "line_number": 1, "item": 1, "holds": "500", "unit_code": "H87"}
    ]
    assert _listed(t) == [("D-1", 1, "AUDIT")]  # D-2 holds nothing any more
    with t.node.store.transaction() as tx:
        both = reviews.list_claims(tx, certificate_id=co.id, reason="OTHER", details={}, now=now)
    assert [(e["item"], e["holds"], e["unit_code"]) for e in both] == [
        (1, "500", "H87"),
        (2, "100", "KGM"),
    ]
    assert _listed(t) == [("D-1", 1, "AUDIT"), ("D-1", 1, "OTHER"), ("D-1", 2, "OTHER")]
    found, _ = reviews.list_reviews(t.node, CUSTOMS, status="OPEN")
    assert found[0]["details"] == {"why": "x", **first[0]}


def test_nothing_held_means_nothing_listed_and_nothing_audited(sg: TestNode) -> None:
    co = receive(sg.node)
    with sg.node.store.transaction() as tx:
        assert (
            reviews.list_claims(
                tx, certificate_id=co.id, reason="X", details={}, now=sg.clock.now()
            )
            == []
        )
    assert (
        audit.records(sg.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=co.id)[-1][
            "action"
        ]
        == "certificate.received"
    )


def test_the_status_hook_lists_claims_of_a_received_co_cancelled_or_replaced(
    sg: TestNode,
) -> None:
    co = _claimed(sg)
    doc = co.document()
    with sg.node.store.transaction() as tx:
        for status in ("RECEIVED", "REJECTED"):
            reviews.list_for_review(tx, sg.node, co.with_(status=status), doc, "noise")
        own = co.with_(side="export", status="CANCELLED")  # this node's own CO: not listed here
        reviews.list_for_review(tx, sg.node, own, doc, "x")
    assert _listed(sg) == []
    with sg.node.store.transaction() as tx:
        replaced = co.with_(status=RecordStatus.REPLACED.value, replaced_by_id="new-co")
        reviews.list_for_review(tx, sg.node, replaced, doc, "replaced by RCEP-SG-2025-000200")
    assert _listed(sg) == [("D-1", 1, "CO_REPLACED"), ("D-1", 2, "CO_REPLACED")]
    found, _ = reviews.list_reviews(sg.node, CUSTOMS, certificate_id=co.id)
    assert found[0]["details"] == {
        "co_number": co.number,
        "co_status": "REPLACED",
        "status_reason": "replaced by RCEP-SG-2025-000200",
        "replaced_by": "new-co",
        "declaration_id": "D-1",
        "line_number": 1,
        "item": 1,
        "holds": "500",
        "unit_code": "H87",
    }
    rows = audit.records(sg.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=co.id)
    assert rows[-1]["action"] == "claims.review_listed"
    assert json.loads(rows[-1]["details"]) == {"claims": 2, "reason": "CO_REPLACED"}


def test_a_review_is_closed_once_with_the_officers_note(sg: TestNode) -> None:
    co = _claimed(sg)
    with sg.node.store.transaction() as tx:
        reviews.list_claims(tx, certificate_id=co.id, reason="X", details={}, now=sg.clock.now())
    (first, second), _ = reviews.list_reviews(sg.node, CUSTOMS)
    with pytest.raises(ValidationFailed, match="closing a review needs a note"):
        reviews.close_review(sg.node, CUSTOMS, first["id"], note="  ")
    with pytest.raises(NotFound, match="no review 999"):
        reviews.close_review(sg.node, CUSTOMS, 999, note="x")
    for actor in (sg.admin, sg.officer, sg.exporter):
        with pytest.raises(Forbidden, match="may not claim decide"):
            reviews.close_review(sg.node, actor, first["id"], note="x")
    closed = reviews.close_review(sg.node, CUSTOMS, first["id"], note=" duty recovered ")
    assert (closed["status"], closed["note"], closed["closed_by"]) == (
        "CLOSED",
        "duty recovered",
        "customs_officer:customs",
    )
    assert closed["closed_at"] == sg.clock.now().isoformat()
    assert [r["id"] for r in reviews.list_reviews(sg.node, CUSTOMS, status="OPEN")[0]] == [
        second["id"]
    ]
    assert [
        r["action"]
        for r in audit.records(
            sg.node, SYSTEM_ACTOR, entity_type="review", entity_id=str(first["id"])
        )
    ] == ["claims.review_closed"]


def test_only_customs_and_the_administrator_read_reviews(sg: TestNode) -> None:
    for actor in (sg.officer, sg.exporter):
        with pytest.raises(Forbidden, match="may not claim read"):
            reviews.list_reviews(sg.node, actor)
    assert reviews.list_reviews(sg.node, sg.admin) == ([], 0)
