"""services/importing/receiving.py: the importing side's checks of a received CO (importing
party, agreement, issuer's country, signature), storing it once per version as RECEIVED or
REJECTED, the business response inline or queued, and the ``co.notification`` handler. The
push between two gateways is in ``tests/e2e/test_exchange_push.py``."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.findings import Level
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType
from originlink.services.importing import receiving
from originlink.services.node import audit
from originlink.testing.network import Gateway, Network
from tests.exchange_support import issue
from tests.services.support import inbound, message


def _raw(network: Network, **kwargs: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        issue(network["SG-CUSTOMS"], **kwargs).certificate.document_json
    )
    return data


def _codes(findings: list[Any]) -> list[str]:
    return [f.code for f in findings if f.level is Level.SEVERE]


def _received(jp: Gateway) -> list[Any]:
    with jp.node.store.read() as tx:
        return tx.certificates.find(
            side=Side.IMPORT.value, issuing_country="SG", number="RCEP-SG-2025-000001"
        )


def test_a_good_co_passes_every_check_and_keeps_the_issuers_digest(net: Network) -> None:
    raw = _raw(net)
    doc, findings, digest = receiving.check_received(
        net["JP-CUSTOMS"].node, raw, sender="SG-CUSTOMS", agreement="RCEP"
    )
    assert doc is not None and _codes(findings) == []
    with net["SG-CUSTOMS"].node.store.read() as tx:
        issued = tx.certificates.find(
            side="export", issuing_country="SG", number="RCEP-SG-2025-000001"
        )
    assert digest == issued[0].digest


def test_each_exchange_check_names_what_is_wrong(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    for_nz = _raw(net, importing="NZ")
    _, findings, _ = receiving.check_received(jp, for_nz, sender="SG-CUSTOMS", agreement="RCEP")
    assert _codes(findings) == ["IMPORTING_PARTY"]
    assert findings[-1].message == "the CO is for NZ; this node imports for JP"
    raw = _raw(net)
    _, findings, _ = receiving.check_received(jp, raw, sender="SG-CUSTOMS", agreement="ATIGA")
    assert _codes(findings) == ["AGREEMENT_MISMATCH"]
    _, findings, _ = receiving.check_received(jp, raw, sender="JP-CUSTOMS", agreement=None)
    assert _codes(findings) == ["ISSUER_COUNTRY_MISMATCH"]
    tampered = copy.deepcopy(raw)
    tampered["certificate"]["goods_items"][0]["description"] = "Something else"
    _, findings, _ = receiving.check_received(jp, tampered, sender="SG-CUSTOMS", agreement="RCEP")
    severe = [f for f in findings if f.level is Level.SEVERE]
    assert severe and {f.area for f in severe} == {"signature"}
    assert {f.path for f in severe} == {"signatures.issuing_authority"}


def test_an_unreadable_co_is_refused_before_anything_is_stored(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    doc, findings, digest = receiving.check_received(
        jp.node, {"certificate": 1}, sender="SG-CUSTOMS", agreement="RCEP"
    )
    assert doc is None and digest is None and _codes(findings)
    with (
        pytest.raises(InputError, match="the CO cannot be read: "),
        jp.node.store.transaction() as tx,
    ):
        receiving.accept_document(
            tx,
            jp.node,
            {"certificate": 1},
            sender="SG-CUSTOMS",
            agreement="RCEP",
            correlation_id="c",
        )
    with jp.node.store.transaction() as tx:
        assert (
            receiving.store_received(tx, jp.node, None, findings, sender="SG-CUSTOMS", raw={})
            is None
        )
    assert audit.records(jp.node, SYSTEM_ACTOR, entity_type="certificate") == []


def test_a_co_is_stored_once_per_version(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    raw = _raw(net)
    doc = CODocument.model_validate(raw)
    with jp.node.store.transaction() as tx:
        first = receiving.store_received(tx, jp.node, doc, [], sender="SG-CUSTOMS", raw=raw)
        again = receiving.store_received(tx, jp.node, doc, [], sender="SG-CUSTOMS", raw=raw)
    assert first is not None and again == first and first.copy_seq == 0
    other = copy.deepcopy(raw)
    other["certificate"]["goods_items"][0]["description"] = "Ball bearings, 11 cartons"
    with jp.node.store.transaction() as tx:
        second = receiving.store_received(
            tx, jp.node, CODocument.model_validate(other), [], sender="SG-CUSTOMS", raw=other
        )
    assert second is not None and second.id != first.id and second.copy_seq == 1
    assert [r.id for r in _received(jp)] == [first.id, second.id]
    assert (first.side, first.status, first.partner, first.organisation) == (
        "import",
        "RECEIVED",
        "SG-CUSTOMS",
        None,
    )
    assert first.authority_code == "SG-CUSTOMS" and first.importer_name == "Example Trading KK"


def test_a_rejected_co_is_kept_with_its_findings_but_gives_nothing_to_claim(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    raw = _raw(net, importing="NZ")
    doc, findings, digest = receiving.check_received(
        jp.node, raw, sender="SG-CUSTOMS", agreement="RCEP"
    )
    with jp.node.store.transaction() as tx:
        record = receiving.store_received(
            tx, jp.node, doc, findings, sender="SG-CUSTOMS", raw=raw, digest=digest
        )
    assert record is not None and record.status == "REJECTED"
    assert [f["code"] for f in record.findings or []] == ["IMPORTING_PARTY"]
    with jp.node.store.read() as tx:
        assert tx.ledger.items(record.id) == {}
        events = tx.certificates.events(record.id)
    assert [(e["to_status"], e["reason"], e["actor"]) for e in events] == [
        ("REJECTED", "IMPORTING_PARTY", "partner:SG-CUSTOMS")
    ]
    rows = audit.records(jp.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=record.id)
    assert [(r["action"], r["actor"], json.loads(r["details"])) for r in rows] == [
        ("certificate.rejected", "partner:SG-CUSTOMS", {"findings": 1})
    ]


def test_the_business_response_travels_inline_when_the_sender_waits(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    raw = _raw(net)
    with jp.node.store.transaction() as tx:
        waiting = receiving.accept_document(
            tx,
            jp.node,
            raw,
            sender="SG-CUSTOMS",
            agreement="RCEP",
            correlation_id=_uuid(1),
            inline=True,
        )
    assert waiting.status == "RECEIVED" and len(waiting.replies) == 1
    reply = waiting.replies[0]
    assert reply.envelope.message_type is MessageType.BUSINESS_RESPONSE
    assert str(reply.envelope.correlation_id) == _uuid(1)
    assert reply.payload_json()["outcome"] == "ACCEPTED"
    assert (
        waiting.response is not None
        and waiting.response["certificate_number"] == "RCEP-SG-2025-000001"
    )
    for_nz = _raw(net, importing="NZ")
    with jp.node.store.transaction() as tx:
        later = receiving.accept_document(
            tx, jp.node, for_nz, sender="SG-CUSTOMS", agreement="RCEP", correlation_id=_uuid(2)
        )
    assert later.status == "REJECTED" and later.replies == []
    with jp.node.store.read() as tx:
        sent, _ = tx.outbox.search(message_type="business.response")
    assert sorted((m.route, m.status, m.correlation_id) for m in sent) == [
        ("inline", "DELIVERED", _uuid(1)),
        ("push", "QUEUED", _uuid(2)),
    ]
    queued = next(m for m in sent if m.route == "push")
    response = json.loads(queued.payload)
    assert response["outcome"] == "REJECTED"
    assert [f["code"] for f in response["findings"]] == ["IMPORTING_PARTY"]


def test_a_notification_names_the_digest_and_the_document(net: Network) -> None:
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    ref = DocumentRef(issuing_country="SG", number="RCEP-SG-2025-000001", status="ISSUED")

    def note(payload: bytes, document: DocumentRef | None) -> Any:
        wire = message(
            sender="SG-CUSTOMS",
            recipient="JP-CUSTOMS",
            signer=sg.signer,
            now=net.clock.now(),
            payload=payload,
            message_type=MessageType.CO_NOTIFICATION,
            agreement="RCEP",
            document=document,
        )
        with jp.node.store.transaction() as tx:
            return receiving.on_co_notification(tx, jp.node, inbound(wire))

    with pytest.raises(InputError, match=r"carries \{certificate_digest"):
        note(b'{"certificate_digest": 7}', ref)
    with pytest.raises(InputError, match="names its document in the envelope"):
        note(b'{"certificate_digest": "abc"}', None)
    result = note(b'{"certificate_digest": "abc", "number": "RCEP-SG-2025-000001"}', ref)
    assert (result.status, result.response) == ("PENDING_PULL", {"certificate_digest": "abc"})


def _uuid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"
