"""Push between two gateways in one process: issue at the exporting side, accepted at the
importing side, business response back; status updates applied at once."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import event

from originlink.domain.lifecycle import Side
from originlink.domain.messages import MessageType
from originlink.exchange.envelopes import build_message
from originlink.exchange.transport import InProcessTransport
from originlink.services.issuing import status_changes
from tests.exchange_support import issue, two_gateways


def _imported(gateway, number: str):  # type: ignore[no-untyped-def]
    with gateway.node.store.read() as tx:
        return tx.certificates.find(side=Side.IMPORT.value, issuing_country="SG", number=number)


def test_an_issued_co_is_pushed_accepted_and_answered(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    with sg.node.store.read() as tx:
        queued, _ = tx.outbox.search(certificate_id=issued.certificate.id)
    assert [m.status for m in queued] == ["QUEUED"]
    assert queued[0].payload == issued.certificate.document_json.encode()  # sent as stored
    net.drain()
    received = _imported(jp, issued.certificate.number)
    assert len(received) == 1 and received[0].status == "RECEIVED"
    assert received[0].digest == issued.certificate.digest
    # the importing side keeps, byte for byte, the signed CO the issuer stored and sent
    assert received[0].document_json == issued.certificate.document_json
    with sg.node.store.read() as tx:
        sent = tx.outbox.get(queued[0].message_id)
    assert sent is not None and sent.status == "ACCEPTED"
    assert sent.receipt is not None and '"receipt"' in sent.receipt
    net.close()


def test_cancellation_reaches_the_importing_side_at_once(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    status_changes.cancel_certificate(sg.node, sg.officer, issued.certificate.id, reason="error")
    net.drain()
    received = _imported(jp, issued.certificate.number)
    assert received[0].status == "CANCELLED"
    net.close()


def test_an_idle_delivery_round_only_looks_for_due_messages(tmp_path: Path) -> None:
    """Sender loops poll several times a second on every gateway: a round that claims nothing
    must not go on to read the partner list or take the write lock."""
    net = two_gateways(tmp_path)
    sg = net["SG-CUSTOMS"]
    statements: list[str] = []

    def record(statement: str) -> None:
        statements.append(" ".join(statement.split()))

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(record)

    # SQLite's own trace sees every statement, the BEGIN the store sends past SQLAlchemy too.
    engine = sg.node.store.engine
    event.listen(engine, "connect", trace)
    engine.dispose()
    assert sg.worker.send_round() == 0
    event.remove(engine, "connect", trace)
    engine.dispose()
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) == 1 and reads[0].startswith("SELECT outbox.message_id FROM outbox"), reads
    assert not any(s.startswith("BEGIN IMMEDIATE") for s in statements), statements
    net.close()


def test_a_co_is_kept_exactly_as_it_was_received(tmp_path: Path) -> None:
    """Another implementation may send the canonical JSON pretty-printed: the importing side
    keeps that text as it arrived (the evidence of what it was given), not a re-serialisation."""
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    pretty = json.dumps(
        json.loads(issued.certificate.document_json), indent=2, ensure_ascii=False
    ).encode()
    message = build_message(
        message_type=MessageType.CO_ISSUED,
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        payload=pretty,
        now=net.clock.now(),
        signer=sg.signer,
        agreement="RCEP",
    )
    transport = InProcessTransport(sg.signer, net.clock, net.wires)
    answer = transport.request("POST", jp.base_url + "/g2g/v1/messages", message.to_bytes())
    assert answer.status == 200
    received = _imported(jp, issued.certificate.number)
    assert len(received) == 1 and received[0].status == "RECEIVED"
    assert received[0].document_json == pretty.decode()
    net.close()


def test_the_readmes_g2g_endpoint_form_delivers_and_a_wrong_one_is_refused(
    tmp_path: Path,
) -> None:
    """``partners add --endpoint https://…/g2g`` (the README's form) made every CO DEAD with
    HTTP 404; it is the gateway's G2G API, tested at once, and a CO sent through it arrives.
    An endpoint where no G2G API answers is refused at ``partners add``, saying what answered,
    and the partner is left as it was."""
    from originlink.domain.authz import SYSTEM_ACTOR
    from originlink.domain.errors import Conflict
    from originlink.services.node import partners as partner_service

    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    record, note = partner_service.add_partner_checked(
        sg.node, SYSTEM_ACTOR, participant_id="JP-CUSTOMS", model="push",
        endpoint=jp.base_url + "/g2g", check=True,
    )  # fmt: skip
    assert record.endpoint == jp.base_url
    assert note == (
        "JP-CUSTOMS's gateway answered the connection test "
        f"(GET {jp.base_url}/g2g/v1/messages?limit=1: 200)"
    )
    try:
        partner_service.add_partner_checked(
            sg.node, SYSTEM_ACTOR, participant_id="JP-CUSTOMS", model="push",
            endpoint=jp.base_url + "/api/v1", check=True,
        )  # fmt: skip
        raise AssertionError("a wrong endpoint was accepted")
    except Conflict as exc:
        assert f"GET {jp.base_url}/api/v1/g2g/v1/messages?limit=1 was answered HTTP 404" in (
            exc.detail
        )
    assert partner_service.list_partners(sg.node, SYSTEM_ACTOR)[0].endpoint == jp.base_url
    issued = issue(sg)
    net.drain()
    assert len(_imported(jp, issued.certificate.number)) == 1
    with sg.node.store.read() as tx:
        sent, _ = tx.outbox.search(certificate_id=issued.certificate.id)
    assert [m.status for m in sent] == ["ACCEPTED"]
    net.close()


def test_the_importing_side_sees_its_own_decision_on_the_co_and_the_message(
    tmp_path: Path,
) -> None:
    """The CO read RECEIVED and the business response null at the importing side: its
    decision (ACCEPTED or REJECTED, with the findings) is on the CO and in ``messages show``."""
    from originlink.domain.authz import SYSTEM_ACTOR
    from originlink.services.issuing.certificates import business_decision, get_certificate
    from originlink.services.messaging import log

    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    received = _imported(jp, issued.certificate.number)[0]
    view = get_certificate(jp.node, jp.customs, received.id)
    assert view["status"] == "RECEIVED"
    assert view["business_response"]["outcome"] == "ACCEPTED"
    assert view["business_response"]["findings"] == [
        f for f in received.findings or [] if f["level"] != "INFO"
    ]
    with sg.node.store.read() as tx:
        sent, _ = tx.outbox.search(certificate_id=issued.certificate.id)
    shown = log.show(jp.node, SYSTEM_ACTOR, sent[0].message_id)["inbound"]
    assert shown["business_response"]["outcome"] == "ACCEPTED"
    assert shown["business_response"]["findings"] == view["business_response"]["findings"]
    # a CO the importing side rejected reads REJECTED, with the findings that say why
    severe = {"level": "SEVERE", "path": "certificate", "code": "DS-04", "message": "x"}
    rejected = received.with_(status="REJECTED", findings=[severe])
    assert business_decision(rejected)["outcome"] == "REJECTED"
    assert business_decision(rejected)["findings"] == [severe]
    net.close()
