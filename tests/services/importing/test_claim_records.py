"""services/importing/claim_records.py: reading claims — one declaration, pages of them by CO
number, status or certificate, and a received CO's usage (items with what remains, the ledger,
the claims holding quantity); who may read them and what is not found."""

from __future__ import annotations

import pytest

from originlink.domain.errors import Forbidden, NotFound
from originlink.services.importing import claim_records, claims
from originlink.testing.nodes import TestNode
from tests.claims_support import co_document, declaration, receive
from tests.services.support import CUSTOMS, issued


def test_one_declaration_with_its_decision(sg: TestNode) -> None:
    receive(sg.node)
    decided = claims.submit_declaration(sg.node, CUSTOMS, declaration("D-1", "500")).record
    assert claim_records.get_declaration(sg.node, CUSTOMS, "D-1") == decided
    assert claim_records.get_declaration(sg.node, sg.admin, "D-1") == decided
    with pytest.raises(NotFound, match="no declaration D-2"):
        claim_records.get_declaration(sg.node, CUSTOMS, "D-2")


def test_declarations_are_found_by_number_status_and_certificate(sg: TestNode) -> None:
    first = receive(sg.node)
    receive(sg.node, co_document(number="RCEP-SG-2025-000124"))
    claims.submit_declaration(sg.node, CUSTOMS, declaration("D-1", "1"))
    claims.submit_declaration(sg.node, CUSTOMS, declaration("D-2", "1"))
    claims.submit_declaration(
        sg.node, CUSTOMS, declaration("D-3", "1", number="RCEP-SG-2025-000124")
    )
    claims.invalidate(sg.node, CUSTOMS, "D-2", reason="withdrawn")

    def ids(**filters: object) -> tuple[list[str], int]:
        found, total = claim_records.list_declarations(sg.node, CUSTOMS, **filters)  # type: ignore[arg-type]
        return sorted(d.id for d in found), total

    assert ids() == (["D-1", "D-2", "D-3"], 3)
    assert ids(number="RCEP-SG-2025-000123") == (["D-1", "D-2"], 2)
    assert ids(certificate_id=first.id, status="DECIDED") == (["D-1"], 1)
    assert ids(status="INVALIDATED") == (["D-2"], 1)
    page, total = claim_records.list_declarations(sg.node, CUSTOMS, limit=2, offset=2)
    assert len(page) == 1 and total == 3


def test_a_received_cos_usage_shows_items_ledger_and_claims(sg: TestNode) -> None:
    co = receive(sg.node)
    claims.submit_declaration(sg.node, CUSTOMS, declaration("D-1", "500"))
    claims.submit_declaration(sg.node, CUSTOMS, declaration("D-2", "200"))
    claims.invalidate(sg.node, CUSTOMS, "D-2", reason="withdrawn")
    usage = claim_records.usage(sg.node, CUSTOMS, co.id)
    assert usage["certificate"] == {"issuing_country": "SG", "number": "RCEP-SG-2025-000123"}
    assert (usage["status"], usage["verification_status"]) == ("RECEIVED", None)
    assert usage["items"] == [
        {
            "item": 1,
            "hs6": "848210",
            "unit_code": "H87",
            "quantity": "1200",
            "remaining": "700",
            "origin_status": None,
        }
    ]
    assert [(e["declaration_id"], e["delta"], e["reason"]) for e in usage["ledger"]] == [
        ("D-1", "-500", "DRAW"),
        ("D-2", "-200", "DRAW"),
        ("D-2", "+200", "RECREDIT_INVALIDATED"),
    ]
    assert usage["claims"] == [
        {"declaration_id": "D-1", "line_number": 1, "item": 1, "holds": "500", "unit_code": "H87"}
    ]


def test_usage_is_of_received_cos_only(sg: TestNode) -> None:
    exported = issued(sg).certificate
    for cert_id in (exported.id, "nope"):
        with pytest.raises(NotFound, match=f"no received certificate {cert_id}"):
            claim_records.usage(sg.node, CUSTOMS, cert_id)


def test_only_customs_and_the_administrator_read_claims(sg: TestNode) -> None:
    co = receive(sg.node)
    for actor in (sg.officer, sg.exporter):
        with pytest.raises(Forbidden, match="may not claim read"):
            claim_records.get_declaration(sg.node, actor, "D-1")
        with pytest.raises(Forbidden, match="may not claim read"):
            claim_records.list_declarations(sg.node, actor)
        with pytest.raises(Forbidden, match="may not claim read"):
            claim_records.usage(sg.node, actor, co.id)
    assert claim_records.usage(sg.node, sg.admin, co.id)["certificate_id"] == co.id
