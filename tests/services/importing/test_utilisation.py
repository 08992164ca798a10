"""services/importing/utilisation.py: the ``co.utilisation`` notice the importing side queues
(its exact payload, and when there is nothing or nobody to tell), what the issuing side refuses
to record, and the issuing side's view of how each item was used. The round trip between two
gateways is in ``tests/e2e/test_claims_exchange.py``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from originlink.domain.errors import NotFound, ValidationFailed
from originlink.domain.lifecycle import Side
from originlink.domain.messages import MessageType
from originlink.services.importing import claims, utilisation
from originlink.services.messaging.handlers import HandlerResult
from originlink.store.repos.certificates import CertificateRecord
from originlink.testing.network import Network
from tests.claims_support import declaration
from tests.exchange_support import issue
from tests.services.support import STRANGER, inbound, message


def _notice(number: str, *entries: dict[str, Any], country: str = "SG") -> dict[str, Any]:
    return {
        "certificate": {"issuing_country": country, "number": number},
        "declaration_id": "JP-9",
        "declaration_date": "2025-03-04",
        "declaration_revision": 1,
        "declaration_status": "DECIDED",
        "reported_at": "2025-03-04T02:00:00Z",
        "entries": list(entries)
        or [{"kind": "USE", "line_number": 1, "item": 1, "quantity": "1", "unit_code": "H87"}],
    }


def _report(net: Network, notice: dict[str, Any], sender: str = "JP-CUSTOMS") -> HandlerResult:
    """Record ``notice`` at SG as if ``sender`` had sent it."""
    sg = net["SG-CUSTOMS"]
    wire = message(
        sender=sender,
        recipient="SG-CUSTOMS",
        signer=net[sender].signer,
        now=net.clock.now(),
        payload=json.dumps(notice).encode(),
        message_type=MessageType.CO_UTILISATION,
        agreement="RCEP",
    )
    with sg.node.store.transaction() as tx:
        return utilisation.on_utilisation(tx, sg.node, inbound(wire))


def _received(net: Network, number: str) -> CertificateRecord:
    with net["JP-CUSTOMS"].node.store.read() as tx:
        return tx.certificates.find(side=Side.IMPORT.value, issuing_country="SG", number=number)[0]


def test_a_claim_queues_one_entry_per_line_and_recredit_for_the_issuer(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    number = issue(net["SG-CUSTOMS"]).certificate.number
    net.drain()
    claims.submit_declaration(jp.node, jp.customs, declaration("JP-1", "400", number=number))
    amended = claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-1", "2000", number=number)
    )
    with jp.node.store.read() as tx:
        sent = tx.outbox.get(amended.record.decision["utilisation_notice"])
    assert sent is not None and (sent.message_type, sent.recipient) == (
        "co.utilisation",
        "SG-CUSTOMS",
    )
    assert json.loads(sent.envelope)["document"] == {
        "type": "861",
        "issuing_country": "SG",
        "number": number,
        "status": "RECEIVED",
    }
    assert json.loads(sent.payload) == {
        "certificate": {"issuing_country": "SG", "number": number},
        "declaration_id": "JP-1",
        "declaration_date": "2025-03-04",
        "declaration_revision": 2,
        "declaration_status": "AMENDED",
        "reported_at": "2025-03-04T01:00:00Z",
        "entries": [
            {
                "kind": "RECREDIT",
                "line_number": 1,
                "item": 1,
                "quantity": "400",
                "unit_code": "H87",
            },
            {
                "kind": "USE",
                "line_number": 1,
                "item": 1,
                "decision": "DENIED",
                "reason_codes": ["QUANTITY_EXCEEDED"],
                "quantity": "0",
                "unit_code": "H87",
            },
        ],
    }


def test_nothing_is_queued_without_a_partner_or_without_entries(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    number = issue(net["SG-CUSTOMS"]).certificate.number
    net.drain()
    record = _received(net, number)
    unknown = record.with_(partner="XX-NOBODY")
    with jp.node.store.transaction() as tx:
        options: dict[str, Any] = {
            "declaration_id": "JP-1",
            "declaration_date": date(2025, 3, 4),
            "revision": 1,
            "status": "INVALIDATED",
        }
        assert (
            utilisation.notify(tx, jp.node, record, outcomes=[], recredited=[], **options) is None
        )
        other_co = [
            {
                "certificate_id": "other",
                "line_number": 1,
                "item": 1,
                "quantity": "1",
                "unit_code": "H87",
            }
        ]
        assert (
            utilisation.notify(tx, jp.node, record, outcomes=[], recredited=other_co, **options)
            is None
        )
        assert (
            utilisation.notify(
                tx,
                jp.node,
                unknown,
                outcomes=[],
                recredited=[{**other_co[0], "certificate_id": record.id}],
                **options,
            )
            is None
        )
    with jp.node.store.read() as tx:
        assert tx.outbox.search(message_type="co.utilisation")[1] == 0


def test_the_issuer_refuses_notices_about_cos_it_did_not_issue_to_the_sender(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"]
    for_jp = issue(sg).certificate.number
    for_nz = issue(sg, importing="NZ").certificate.number
    cases = [
        (_notice(for_jp, country="MY"), "payload.certificate.issuing_country", "issued in MY"),
        (_notice("RCEP-SG-2025-009999"), "payload.certificate.number", "no CO RCEP-SG-2025-009999"),
        (_notice(for_nz), "envelope.sender", "JP-CUSTOMS is not the importing party"),
    ]
    for notice, path, reason in cases:
        with pytest.raises(ValidationFailed, match=reason) as info:
            _report(net, notice)
        assert [(f.code, f.path) for f in info.value.findings] == [("UTILISATION_REFUSED", path)]
    with pytest.raises(ValidationFailed) as info:
        _report(net, {**_notice(for_jp), "entries": []})
    assert info.value.findings[0].path.startswith("payload.entries")
    with sg.node.store.read() as tx:
        assert (
            tx.utilisation.of(
                tx.certificates.find(side="export", issuing_country="SG", number=for_jp)[0].id
            )
            == []
        )


def test_the_issuers_view_nets_uses_and_recredits_per_item(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    co = issue(sg).certificate
    use = {
        "kind": "USE",
        "line_number": 1,
        "item": 1,
        "decision": "GRANTED",
        "quantity": "400.5",
        "unit_code": "H87",
    }
    back = {
        "kind": "RECREDIT",
        "line_number": 1,
        "item": 1,
        "quantity": "100.25",
        "unit_code": "H87",
    }
    stray = {**use, "item": 7}  # not on the CO: kept, not shown
    result = _report(net, _notice(co.number, use, back, stray))
    assert (result.status, result.certificate_id) == ("RECORDED", co.id)
    view = utilisation.utilisation_view(sg.node, sg.officer, co.id)
    assert (view["certificate_id"], view["status"]) == (co.id, "ISSUED")
    (item,) = view["items"]
    assert (item["item"], item["hs_code"], item["quantity"], item["unit_code"]) == (
        1,
        "848210",
        "1200",
        "H87",
    )
    assert (item["used"], item["recredited"], item["net_used"]) == ("400.5", "100.25", "300.25")
    assert [
        (r["kind"], r["quantity"], r["reported_by"], r["declaration_id"]) for r in item["reports"]
    ] == [
        ("USE", "400.5", "JP-CUSTOMS", "JP-9"),
        ("RECREDIT", "100.25", "JP-CUSTOMS", "JP-9"),
    ]


def test_the_view_is_for_who_may_read_the_certificate(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    co = issue(sg).certificate
    with pytest.raises(NotFound, match=f"no certificate {co.id}"):
        utilisation.utilisation_view(sg.node, STRANGER, co.id)
    with pytest.raises(NotFound):
        utilisation.utilisation_view(sg.node, sg.officer, "nope")
    mine = utilisation.utilisation_view(sg.node, sg.exporter, co.id)
    assert mine["items"][0]["used"] == "0" and mine["items"][0]["reports"] == []
