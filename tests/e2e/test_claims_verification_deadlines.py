"""Verification deadlines between two gateways: UK-Albania's 10 months (NO_REPLY on both sides
on the moved clock), and RCEP's visit notice with its 30-day consent period (consent given,
and consent never given)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from originlink.services.verification import answers as verification_issuer
from originlink.services.verification import cases as case_views
from originlink.services.verification import requests as verification
from originlink.testing.network import Gateway, GatewaySpec, build_network
from tests.exchange_support import issue, sqlite_urls, two_gateways

#: The exporter applies for its own CO: its organisation is the example's exporter (EORI).
GB = GatewaySpec(
    "GB-HMRC",
    "GB",
    "HM Revenue & Customs",
    agreements=("UK-AL",),
    organisation="GB:EORI:GB123456789000",
)
AL = GatewaySpec("AL-CUSTOMS", "AL", "Albanian Customs", role="customs", agreements=("UK-AL",))
VISIT = {
    "proposed_date": "2025-04-15",
    "place": "Example Precision Pte Ltd, 1 Example Way, Singapore",
    "purpose": "Inspect the production records for item 1.",
    "officials": ["K. Tanaka"],
}


def _received(gateway: Gateway, country: str, number: str) -> str:
    with gateway.node.store.read() as tx:
        found = tx.certificates.find(side="import", issuing_country=country, number=number)
    return found[0].id


def _mirror(gateway: Gateway) -> dict:
    items, _ = case_views.list_cases(gateway.node, gateway.officer, side="export")
    return items[0]


def test_uk_albania_requests_lapse_after_ten_months_on_both_sides(tmp_path: Path) -> None:
    start = datetime(2025, 10, 28, 9, 0, tzinfo=UTC)  # after the example's declaration date
    net = build_network([GB, AL], sqlite_urls(tmp_path, 2), now=start)
    net.connect("GB-HMRC", "AL-CUSTOMS")
    gb, al = net["GB-HMRC"], net["AL-CUSTOMS"]
    issued = issue(gb, importing="AL", example="valid/uk-al-gb-al-eur1.json")
    net.drain()
    case = verification.request_verification(
        al.node,
        al.customs,
        {
            "certificate_id": _received(al, "GB", issued.certificate.number),
            "reasons": ["AUTHENTICITY"],
            "questions": ["Was this EUR.1 issued by your office?"],
            "visit": VISIT,
        },
    )
    assert case.opened_at == start
    assert case.due_at == datetime(2026, 8, 28, 9, 0, tzinfo=UTC)
    assert "10 months" in (case.deadline_note or "")
    assert case.visit_due_at is None and "sets no visit consent period" in (
        case.deadline_note or ""
    )
    net.drain()
    mirror = _mirror(gb)
    assert mirror["due_at"] == case.due_at.isoformat() and mirror["status"] == "OPEN"
    verification_issuer.acknowledge(gb.node, gb.officer, mirror["id"], {"remarks": "received"})
    net.drain()
    net.advance(timedelta(days=300))  # 2026-08-24: still inside the 10 months
    net.drain()
    assert case_views.get_case(al.node, al.customs, case.id)["status"] == "ACKNOWLEDGED"
    net.advance(timedelta(days=7))
    net.drain()
    assert case_views.get_case(al.node, al.customs, case.id)["status"] == "NO_REPLY"
    assert case_views.get_case(gb.node, gb.officer, mirror["id"])["status"] == "NO_REPLY"
    with al.node.store.read() as tx:
        record = tx.certificates.get(case.certificate_id or "")
    assert record is not None and record.verification_status == "NOT_CONFIRMED"
    net.close()


def test_rcep_visit_consent_is_given_or_lapses_after_thirty_days(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    first, second = issue(sg), issue(sg)
    net.drain()
    cases = [
        verification.request_verification(
            jp.node,
            jp.customs,
            {
                "certificate_id": _received(jp, "SG", co.certificate.number),
                "reasons": ["ORIGIN_CRITERION"],
                "questions": ["May we visit the producer?"],
                "visit": VISIT,
            },
        )
        for co in (first, second)
    ]
    assert all(c.visit_due_at == c.opened_at + timedelta(days=30) for c in cases)
    net.drain()
    mirrors = {m["certificate"]["number"]: m for m in _mirrors(sg)}
    consented = mirrors[first.certificate.number]
    verification_issuer.acknowledge(
        sg.node, sg.officer, consented["id"], {"visit_consent": "GRANTED"}
    )
    net.drain()
    assert case_views.get_case(jp.node, jp.customs, cases[0].id)["visit_status"] == "CONSENTED"
    net.advance(timedelta(days=31))
    net.drain()
    lapsed = case_views.get_case(jp.node, jp.customs, cases[1].id)
    assert lapsed["visit_status"] == "NO_CONSENT" and lapsed["status"] == "OPEN"
    mirror = case_views.get_case(sg.node, sg.officer, mirrors[second.certificate.number]["id"])
    assert mirror["visit_status"] == "NO_CONSENT"
    assert case_views.get_case(jp.node, jp.customs, cases[0].id)["visit_status"] == "CONSENTED"
    net.close()


def _mirrors(gateway: Gateway) -> list[dict]:
    items, _ = case_views.list_cases(gateway.node, gateway.officer, side="export")
    return items
