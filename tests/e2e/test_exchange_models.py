"""Pull, hybrid and hub between gateways in one process (three gateways and a hub)."""

from __future__ import annotations

import json
from pathlib import Path

from originlink.domain.lifecycle import Side
from originlink.services.importing import pull_client as pull
from originlink.testing.network import build_network
from tests.exchange_support import HUB, JP, NZ, SG, issue, sqlite_urls, two_gateways


def _received(gateway, number: str) -> list:  # type: ignore[no-untyped-def]
    with gateway.node.store.read() as tx:
        return tx.certificates.find(side=Side.IMPORT.value, issuing_country="SG", number=number)


def _outbox_status(gateway, certificate_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    with gateway.node.store.read() as tx:
        messages, _ = tx.outbox.search(certificate_id=certificate_id)
    return [m.status for m in messages]


def test_pull_model_the_importer_reads_the_exporters_mailbox(tmp_path: Path) -> None:
    net = two_gateways(tmp_path, model="pull")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    assert _received(jp, issued.certificate.number) == []
    net.drain()
    pulled = _received(jp, issued.certificate.number)[0]
    assert pulled.status == "RECEIVED"
    assert pulled.document_json == issued.certificate.document_json  # kept as received
    assert _outbox_status(sg, issued.certificate.id) == ["ACCEPTED"]
    net.close()


def test_pull_by_number_when_a_declaration_quotes_a_co(tmp_path: Path) -> None:
    net = two_gateways(tmp_path, model="pull")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    record = pull.fetch_certificate(jp.node, issuing_country="SG", number=issued.certificate.number)
    assert record.status == "RECEIVED" and record.digest == issued.certificate.digest
    assert record.document_json == issued.certificate.document_json  # kept as received
    net.close()


def test_hybrid_model_notification_then_pull(tmp_path: Path) -> None:
    net = two_gateways(tmp_path, model="hybrid")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    with sg.node.store.read() as tx:
        sent, _ = tx.outbox.search(certificate_id=issued.certificate.id)
    assert [m.message_type for m in sent] == ["co.notification"]
    assert json.loads(sent[0].payload)["certificate_digest"] == issued.certificate.digest
    net.drain()
    pulled = _received(jp, issued.certificate.number)[0]
    assert pulled.status == "RECEIVED"
    assert pulled.document_json == issued.certificate.document_json  # kept as received
    with sg.node.store.read() as tx:
        sent, _ = tx.outbox.search(certificate_id=issued.certificate.id)
    by_type = {m.message_type: m.status for m in sent}
    assert by_type == {"co.notification": "ACCEPTED", "co.issued": "DELIVERED"}
    net.close()


def test_three_gateways_one_direct_one_through_the_hub(tmp_path: Path) -> None:
    net = build_network([SG, JP, NZ, HUB], sqlite_urls(tmp_path, 4))
    net.connect("SG-CUSTOMS", "JP-CUSTOMS")
    for participant in ("SG-CUSTOMS", "NZ-CUSTOMS"):
        net.join_hub(participant, "APAC-HUB")
    net.connect("SG-CUSTOMS", "NZ-CUSTOMS", model_ab="hub", model_ba="hub", hub="APAC-HUB")
    sg, jp, nz, hub = (net[p] for p in ("SG-CUSTOMS", "JP-CUSTOMS", "NZ-CUSTOMS", "APAC-HUB"))
    to_jp = issue(sg, importing="JP")
    to_nz = issue(sg, importing="NZ")
    net.drain()
    assert _received(jp, to_jp.certificate.number)[0].status == "RECEIVED"
    assert _received(nz, to_nz.certificate.number)[0].status == "RECEIVED"
    assert _outbox_status(sg, to_jp.certificate.id) == ["ACCEPTED"]
    assert _outbox_status(sg, to_nz.certificate.id) == ["ACCEPTED"]
    with sg.node.store.read() as tx:
        message = tx.outbox.search(certificate_id=to_nz.certificate.id)[0][0]
    assert message.receipt is not None and "NZ-CUSTOMS" in message.receipt
    from originlink.services.messaging.hub import tracking

    state = tracking(hub.node, "SG-CUSTOMS", message.message_id)
    assert state["state"] == "DELIVERED" and state["recipient"] == "NZ-CUSTOMS"
    net.close()


def test_hub_mailbox_for_a_participant_without_pushes(tmp_path: Path) -> None:
    net = build_network([SG, NZ, HUB], sqlite_urls(tmp_path, 3))
    net.join_hub("SG-CUSTOMS", "APAC-HUB")
    net.join_hub("NZ-CUSTOMS", "APAC-HUB", hub_pushes=False, poll=True)
    net.connect("SG-CUSTOMS", "NZ-CUSTOMS", model_ab="hub", model_ba="hub", hub="APAC-HUB")
    sg, nz = net["SG-CUSTOMS"], net["NZ-CUSTOMS"]
    issued = issue(sg, importing="NZ")
    net.drain()
    assert _received(nz, issued.certificate.number)[0].status == "RECEIVED"
    assert _outbox_status(sg, issued.certificate.id) == ["ACCEPTED"]
    net.close()


def test_translation_at_the_edge_ubl_through_the_hub(tmp_path: Path) -> None:
    """A partner that exchanges in UBL gets UBL (the loss report kept with the message); the
    receiver translates back, and the issuer's signature still verifies."""
    from originlink.domain.authz import SYSTEM_ACTOR
    from originlink.services.node import partners as partner_service

    net = build_network([SG, NZ, HUB], sqlite_urls(tmp_path, 3))
    for participant in ("SG-CUSTOMS", "NZ-CUSTOMS"):
        net.join_hub(participant, "APAC-HUB")
    net.connect("SG-CUSTOMS", "NZ-CUSTOMS", model_ab="hub", model_ba="hub", hub="APAC-HUB")
    partner_service.add_partner(
        net["SG-CUSTOMS"].node,
        SYSTEM_ACTOR,
        participant_id="NZ-CUSTOMS",
        model="hub",
        hub="APAC-HUB",
        payload_format="ubl",
    )
    sg, nz = net["SG-CUSTOMS"], net["NZ-CUSTOMS"]
    issued = issue(sg, importing="NZ")
    with sg.node.store.read() as tx:
        sent = tx.outbox.search(certificate_id=issued.certificate.id)[0][0]
    assert json.loads(sent.envelope)["payload_format"] == "ubl"
    assert sent.payload.startswith(b"<?xml")
    assert json.loads(sent.loss_report or "{}")["entries"]
    net.drain()
    record = _received(nz, issued.certificate.number)[0]
    assert record.status == "RECEIVED" and record.digest == issued.certificate.digest
    with nz.node.store.read() as tx:
        got = tx.inbox.get(sent.message_id)
    assert got is not None and got.loss_report is not None
    assert _outbox_status(sg, issued.certificate.id) == ["ACCEPTED"]
    net.close()


def test_a_co_received_in_a_format_without_a_certifying_official_is_not_refused_for_it(
    tmp_path: Path,
) -> None:
    """edi3 (UN/CEFACT) has no place for the certifying official's name: the receiver says so
    as a WARNING (DS-04), never SEVERE, for a CO that arrived in that format."""
    from originlink.domain.authz import SYSTEM_ACTOR
    from originlink.services.node import partners as partner_service

    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    partner_service.add_partner(
        sg.node,
        SYSTEM_ACTOR,
        participant_id="JP-CUSTOMS",
        model="push",
        endpoint=jp.base_url,
        payload_format="uncefact",
    )
    issued = issue(sg)
    net.drain()
    received = _received(jp, issued.certificate.number)[0]
    official = [f for f in received.findings or [] if f["code"] == "DS-04"]
    assert official and all(f["level"] == "WARNING" for f in official)
    assert official[0]["facts"]["source_format"] == "uncefact"
    net.close()
