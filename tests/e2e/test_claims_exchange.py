"""Claims between two gateways: the importing side claims a pushed CO in partial declarations,
the issuing side sees the utilisation; a CO not yet received is pulled first, and a partner that
cannot be reached leaves the claim REFERRED."""

from __future__ import annotations

from pathlib import Path

from originlink.services.importing import claims, reviews
from originlink.services.importing.utilisation import utilisation_view
from originlink.services.issuing import status_changes
from tests.claims_support import declaration
from tests.exchange_support import issue, two_gateways


def test_partial_claims_and_an_over_claim_reach_the_issuer_as_utilisation(
    tmp_path: Path,
) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    number = issued.certificate.number
    net.drain()
    decisions = [
        claims.submit_declaration(jp.node, jp.customs, declaration(d, q, number=number))
        for d, q in (("JP-1", "500"), ("JP-2", "600"), ("JP-3", "200"))
    ]
    lines = [d.record.decision["lines"][0] for d in decisions]
    assert [x["decision"] for x in lines] == ["GRANTED", "GRANTED", "DENIED"]
    assert lines[2]["reason_codes"] == ["QUANTITY_EXCEEDED"]
    assert all(d.record.decision["utilisation_notice"] for d in decisions)
    net.drain()
    view = utilisation_view(sg.node, sg.officer, issued.certificate.id)
    item = view["items"][0]
    assert item["quantity"] == "1200" and item["used"] == "1100" and item["net_used"] == "1100"
    reports = {r["declaration_id"]: r for r in item["reports"]}  # delivery order may vary
    assert sorted(reports) == ["JP-1", "JP-2", "JP-3"]
    assert reports["JP-1"]["reported_by"] == "JP-CUSTOMS" and reports["JP-1"]["quantity"] == "500"
    assert reports["JP-3"]["decision"] == "DENIED" and reports["JP-3"]["quantity"] == "0"

    claims.invalidate(jp.node, jp.customs, "JP-2", reason="declaration withdrawn")
    net.drain()
    item = utilisation_view(sg.node, sg.officer, issued.certificate.id)["items"][0]
    assert item["recredited"] == "600" and item["net_used"] == "500"
    net.close()


def test_cancellation_after_use_lists_the_claims_for_review(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-1", "100", number=issued.certificate.number)
    )
    status_changes.cancel_certificate(sg.node, sg.officer, issued.certificate.id, reason="wrong HS")
    net.drain()
    listed, total = reviews.list_reviews(jp.node, jp.customs, status="OPEN")
    assert total == 1 and listed[0]["reason"] == "CO_CANCELLED"
    assert listed[0]["declaration_id"] == "JP-1" and listed[0]["details"]["holds"] == "100"
    late = claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-2", "1", number=issued.certificate.number)
    )
    assert late.record.decision["lines"][0]["reason_codes"] == ["CO_CANCELLED"]
    net.close()


def test_a_co_not_yet_received_is_pulled_before_the_decision(tmp_path: Path) -> None:
    net = two_gateways(tmp_path, model="pull")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)  # waits in SG's mailbox; JP has not polled yet
    result = claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-1", "100", number=issued.certificate.number)
    )
    assert result.record.decision["lines"][0]["decision"] == "GRANTED"
    assert result.record.certificate_id is not None
    net.close()


def test_an_unreachable_partner_leaves_the_claim_referred(tmp_path: Path) -> None:
    net = two_gateways(tmp_path, model="pull")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.wires.set_down(sg.base_url)
    result = claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-1", "100", number=issued.certificate.number)
    )
    line = result.record.decision["lines"][0]
    assert line["decision"] == "REFERRED"
    assert line["reason_codes"] == ["CO_NOT_RECEIVED", "RELEASE_UNDER_GUARANTEE"]
    assert "PARTNER_UNAVAILABLE" in line["facts"]["pull"]
    net.wires.set_down(sg.base_url, down=False)
    again = claims.decide_again(jp.node, jp.customs, "JP-1")
    assert again.outcome.value == "REDECIDED"
    assert again.record.decision["lines"][0]["decision"] == "GRANTED"
    net.close()
