"""services/messaging/outgoing.py: what the issuing side sends when its COs change — to which
partners (country and agreement), in which form (the stored signed CO, a hybrid notification,
another payload format with its loss report), and the status messages with the new signed
version and the CO that replaces it."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from originlink.services.issuing import status_changes
from originlink.services.messaging import outgoing
from originlink.services.node import partners as partner_service
from originlink.store.repos.outbox import OutboxMessage
from originlink.testing.network import Gateway, Network
from tests.exchange_support import issue
from tests.services.messaging.support import partner


def _partners(sg: Gateway, *records: Any) -> None:
    with sg.node.store.transaction() as tx:
        for record in records:
            tx.partners.upsert(record)
    partner_service.forget_partners(sg.node)


def _sent(sg: Gateway, certificate_id: str) -> dict[tuple[str, str], OutboxMessage]:
    with sg.node.store.read() as tx:
        found, _ = tx.outbox.search(certificate_id=certificate_id)
    return {(m.recipient, m.message_type): m for m in found}


def test_the_recipients_are_the_partners_of_the_importing_country_under_the_agreement(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"]
    _partners(
        sg,
        replace(partner("JP-ATIGA", "JP"), agreements=("ATIGA",)),
        partner("JP-PORT", "JP"),
        partner("KR-CUSTOMS", "KR"),
    )
    record = issue(sg).certificate
    assert [p.participant_id for p in outgoing.recipients(sg.node, record)] == [
        "JP-CUSTOMS",
        "JP-PORT",
    ]
    non_preferential = record.with_(agreement=None)
    assert [p.participant_id for p in outgoing.recipients(sg.node, non_preferential)] == [
        "JP-ATIGA",
        "JP-CUSTOMS",
        "JP-PORT",
    ]
    assert outgoing.recipients(sg.node, record.with_(importing_country="NZ")) == []


def test_an_issued_co_goes_to_each_partner_in_its_own_form(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    _partners(
        sg,
        partner("JP-CUSTOMS", "JP", "hybrid"),
        replace(partner("JP-UBL", "JP"), payload_format="ubl"),
    )
    record = issue(sg).certificate
    sent = _sent(sg, record.id)
    assert sorted(sent) == [("JP-CUSTOMS", "co.notification"), ("JP-UBL", "co.issued")]
    note = sent[("JP-CUSTOMS", "co.notification")]
    assert json.loads(note.payload) == {
        "certificate_digest": record.digest,
        "issuing_country": "SG",
        "number": record.number,
        "copy_seq": 0,
    }
    assert json.loads(note.envelope)["document"]["status"] == "ISSUED"
    ubl = sent[("JP-UBL", "co.issued")]
    assert ubl.payload.lstrip().startswith(b"<") and record.number.encode() in ubl.payload
    assert json.loads(ubl.envelope)["payload_format"] == "ubl"
    assert ubl.loss_report is not None and isinstance(json.loads(ubl.loss_report), dict)
    with sg.node.store.read() as tx:
        stored = tx.certificates.get(record.id)
    assert stored is not None and stored.partner == "JP-CUSTOMS,JP-UBL"


def test_a_canonical_partner_gets_the_signed_co_as_stored(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    record = issue(sg).certificate
    (sent,) = _sent(sg, record.id).values()
    assert sent.payload == outgoing.co_payload(record) == record.document_json.encode()
    assert sent.loss_report is None


def test_a_co_for_a_country_without_a_partner_is_sent_nowhere(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    record = issue(sg, importing="NZ").certificate
    assert _sent(sg, record.id) == {}
    with sg.node.store.read() as tx:
        stored = tx.certificates.get(record.id)
    assert stored is not None and stored.partner is None


def test_a_status_change_sends_the_new_version_and_names_the_replacement(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    old = issue(sg).certificate
    new = issue(sg, kind="replacement", related=old.id).certificate
    status = _sent(sg, old.id)[("JP-CUSTOMS", "co.status")]
    payload = json.loads(status.payload)
    assert (payload["status"], payload["reason"]) == ("REPLACED", f"replaced by {new.number}")
    assert payload["replaced_by"] == {"issuing_country": "SG", "number": new.number}
    assert payload["effective_at"] == "2025-03-04T01:00:00+00:00"
    assert payload["document"]["certificate"]["status"] == "REPLACED"
    assert payload["document"]["certificate"]["version"] == 2
    assert json.loads(status.envelope)["document"]["status"] == "REPLACED"
    assert json.loads(status.envelope)["function_code"] == "5"
    cancelled = status_changes.cancel_certificate(sg.node, sg.officer, new.id, reason="error")
    payload = json.loads(_sent(sg, new.id)[("JP-CUSTOMS", "co.status")].payload)
    assert "replaced_by" not in payload and payload["status"] == "CANCELLED"
    assert payload["document"]["certificate"]["version"] == cancelled.version


def test_a_received_cos_status_change_is_not_sent_on(net: Network) -> None:
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    record = issue(sg).certificate
    net.drain()
    with jp.node.store.transaction() as tx:
        received = tx.certificates.find(side="import", issuing_country="SG", number=record.number)
        sent = outgoing.send_status(tx, jp.node, received[0], received[0].document(), "x")
    assert sent == []
