"""Nothing lost, nothing applied twice, nothing accepted from anyone not trusted: outages,
duplicates, replays, bad signatures, unknown senders, agreement mismatches, oversized bodies."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest

from originlink.domain.lifecycle import Side
from originlink.exchange.transport import InProcessTransport
from originlink.services.messaging.delivery_outcomes import RetryPolicy
from originlink.testing import TestCA
from originlink.testing.network import Network, build_network
from tests.exchange_support import JP, SG, issue, sqlite_urls, two_gateways, unreadable_co


def _statuses(net: Network, gateway: str) -> dict[str, int]:
    with net[gateway].node.store.read() as tx:
        messages, _ = tx.outbox.search(limit=10_000)
    counts: dict[str, int] = {}
    for m in messages:
        counts[m.status] = counts.get(m.status, 0) + 1
    return counts


def test_a_partner_down_for_a_while_gets_every_message_exactly_once(tmp_path: Path) -> None:
    net = build_network(
        [SG, JP],
        sqlite_urls(tmp_path, 2),
        policy=RetryPolicy(base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=30)),
    )
    net.connect("SG-CUSTOMS", "JP-CUSTOMS")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    net.wires.set_down(jp.base_url)
    numbers = [issue(sg).certificate.number for _ in range(12)]
    for _ in range(4):
        net.drain()
        net.advance(timedelta(seconds=40))
    assert _statuses(net, "SG-CUSTOMS") == {"RETRYING": 12}
    with sg.node.store.read() as tx:
        sample = tx.outbox.search(limit=1)[0][0]
    assert sample.attempts >= 2 and "cannot be reached" in (sample.last_error or "")
    net.wires.set_down(jp.base_url, down=False)
    net.advance(timedelta(minutes=1))
    net.drain()
    assert _statuses(net, "SG-CUSTOMS") == {"ACCEPTED": 12}
    with jp.node.store.read() as tx:
        for number in numbers:
            assert (
                len(
                    tx.certificates.find(
                        side=Side.IMPORT.value, issuing_country="SG", number=number
                    )
                )
                == 1
            )
        _inbox, total = tx.inbox.search(message_type="co.issued", limit=100)
    assert total == 12
    net.close()


def test_the_retry_budget_ends_in_dead_and_resend_delivers(tmp_path: Path) -> None:
    net = build_network(
        [SG, JP],
        sqlite_urls(tmp_path, 2),
        policy=RetryPolicy(
            max_attempts=3, base_delay=timedelta(seconds=1), max_delay=timedelta(seconds=2)
        ),
    )
    net.connect("SG-CUSTOMS", "JP-CUSTOMS")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    net.wires.set_down(jp.base_url)
    issue(sg)
    for _ in range(5):
        net.drain()
        net.advance(timedelta(seconds=5))
    assert _statuses(net, "SG-CUSTOMS") == {"DEAD": 1}
    from originlink.services.messaging.log import queue_again as resend

    with sg.node.store.read() as tx:
        dead = tx.outbox.search(status="DEAD")[0][0]
    net.wires.set_down(jp.base_url, down=False)
    again = resend(sg.node, dead.message_id, actor_label="admin:test")
    assert again.status == "QUEUED" and again.message_id == dead.message_id
    net.drain()
    assert _statuses(net, "SG-CUSTOMS") == {"ACCEPTED": 1}
    net.close()


def _raw_post(
    net: Network, sender: str, recipient: str, body: bytes, signer: object | None = None
) -> tuple[int, dict]:
    gateway = net[sender]
    transport = InProcessTransport(signer or gateway.signer, net.clock, net.wires)
    response = transport.request("POST", net[recipient].base_url + "/g2g/v1/messages", body)
    answer = json.loads(response.body)
    return response.status, json.loads(base64.b64decode(answer["payload"]))


def _first_message(net: Network) -> bytes:
    sg = net["SG-CUSTOMS"]
    with sg.node.store.read() as tx:
        message = tx.outbox.search(limit=1)[0][0]
    return json.dumps(
        {
            "envelope": json.loads(message.envelope),
            "payload": base64.b64encode(message.payload).decode(),
        }
    ).encode()


def test_a_duplicate_gets_the_first_receipt_and_no_second_effect(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    issue(net["SG-CUSTOMS"])
    body = _first_message(net)
    status1, first = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", body)
    status2, second = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", body)
    assert status1 == status2 == 200
    assert first == second and first["outcome"] == "DELIVERED"
    with net["JP-CUSTOMS"].node.store.read() as tx:
        assert tx.inbox.search(message_type="co.issued")[1] == 1
        assert (
            tx.certificates.search(
                __import__(
                    "originlink.store.repos.certificates", fromlist=["CertificateFilter"]
                ).CertificateFilter(side="import"),
                limit=10,
                offset=0,
            )[1]
            == 1
        )
    net.close()


def test_a_duplicate_of_a_failed_message_never_gets_a_positive_receipt(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg = net["SG-CUSTOMS"]
    issue(sg)
    bad = unreadable_co(net)
    status1, first = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", bad.to_bytes())
    status2, second = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", bad.to_bytes())
    assert status1 == status2 == 422
    assert first["outcome"] == second["outcome"] == "NOT_READABLE"
    assert first == second
    net.close()


@pytest.mark.parametrize("tamper", ["payload", "envelope_type", "sender"])
def test_tampered_messages_are_refused_and_logged(tmp_path: Path, tamper: str) -> None:
    net = two_gateways(tmp_path)
    issue(net["SG-CUSTOMS"])
    data = json.loads(_first_message(net))
    if tamper == "payload":
        data["payload"] = base64.b64encode(b'{"certificate": {}}').decode()
        code = "MSG_DIGEST_MISMATCH"
    elif tamper == "envelope_type":
        data["envelope"]["message_type"] = "co.status"
        code = "MSG_SIGNATURE_INVALID"
    else:
        data["envelope"]["sender"] = "JP-CUSTOMS"
        code = "MSG_SIGNATURE_INVALID"
    status, receipt = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", json.dumps(data).encode())
    assert status == 401 and receipt["outcome"] == "NOT_READABLE" and receipt["code"] == code
    with net["JP-CUSTOMS"].node.store.read() as tx:
        refused, total = tx.refused.search(code=code)
        assert total == 1 and refused[0]["caller"] == "SG-CUSTOMS"
        assert tx.inbox.search()[1] == 0
    net.close()


def test_an_unknown_sender_is_refused(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    issue(net["SG-CUSTOMS"])
    stranger = TestCA().issue("XX-GATEWAY", "SG", "gateway")
    status, receipt = _raw_post(
        net, "SG-CUSTOMS", "JP-CUSTOMS", _first_message(net), signer=stranger
    )
    assert status == 401 and receipt["code"] == "HTTPSIG_UNKNOWN_KEY"
    net.close()


def test_a_trusted_participant_that_is_not_a_partner_is_refused(tmp_path: Path) -> None:
    from tests.exchange_support import NZ

    net = build_network([SG, JP, NZ], sqlite_urls(tmp_path, 3))
    net.connect("SG-CUSTOMS", "JP-CUSTOMS")
    issue(net["SG-CUSTOMS"])
    status, receipt = _raw_post(net, "NZ-CUSTOMS", "JP-CUSTOMS", _first_message(net))
    assert status == 403 and receipt["code"] == "MSG_RELAY_NOT_ALLOWED"
    net.close()


def test_a_shared_agreement_mismatch_is_refused(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg = net["SG-CUSTOMS"]
    from originlink.domain.messages import MessageType
    from originlink.exchange.envelopes import build_message

    message = build_message(
        message_type=MessageType.CO_ISSUED,
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        payload=b"{}",
        now=net.clock.now(),
        signer=sg.signer,
        agreement="ATIGA",
    )
    status, receipt = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", message.to_bytes())
    assert status == 403 and receipt["code"] == "AGREEMENT_NOT_SHARED"
    net.close()


def test_a_replay_outside_the_window_is_refused(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issue(sg)
    from originlink.exchange.transport import signed_request

    body = _first_message(net)
    request = signed_request("POST", jp.base_url + "/g2g/v1/messages", body, sg.signer, net.clock)
    headers = [(k.decode(), v.decode()) for k, v in request.headers.raw]
    from originlink.services.messaging.dispatch import dispatch

    net.advance(timedelta(minutes=6))
    late = dispatch(jp.node, "POST", str(request.url), headers, body)
    assert late.status == 401
    assert (
        json.loads(base64.b64decode(json.loads(late.body)["payload"]))["code"]
        == "HTTPSIG_REPLAY_WINDOW"
    )
    fresh = signed_request("POST", jp.base_url + "/g2g/v1/messages", body, sg.signer, net.clock)
    fresh_headers = [(k.decode(), v.decode()) for k, v in fresh.headers.raw]
    assert dispatch(jp.node, "POST", str(fresh.url), fresh_headers, body).status == 200
    again = dispatch(jp.node, "POST", str(fresh.url), fresh_headers, body)
    assert (
        json.loads(base64.b64decode(json.loads(again.body)["payload"]))["code"] == "HTTPSIG_REPLAY"
    )
    net.close()


def test_an_oversized_body_is_refused(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    from originlink.exchange.wire import MAX_MESSAGE_BYTES

    status, receipt = _raw_post(net, "SG-CUSTOMS", "JP-CUSTOMS", b" " * (MAX_MESSAGE_BYTES + 10))
    assert status == 413 and receipt["code"] == "INPUT_TOO_LARGE"
    net.close()


def test_a_co_for_another_importing_country_is_rejected_with_findings(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    from originlink.domain.messages import MessageType
    from originlink.services.messaging.sending import send_message

    for_nz = issue(sg, importing="NZ")
    with sg.node.store.transaction() as tx:
        message = send_message(
            tx,
            sg.node,
            recipient="JP-CUSTOMS",
            message_type=MessageType.CO_ISSUED,
            payload=json.dumps(for_nz.document.to_json_dict()).encode(),
            agreement="RCEP",
            certificate_id=for_nz.certificate.id,
        )
    net.drain()
    with sg.node.store.read() as tx:
        sent = tx.outbox.get(str(message.envelope.message_id))
    assert sent is not None and sent.status == "REJECTED"
    response = json.loads(sent.response or "{}")
    assert response["outcome"] == "REJECTED"
    assert any(f["code"] == "IMPORTING_PARTY" for f in response["findings"])
    with jp.node.store.read() as tx:
        record = tx.certificates.find(
            side=Side.IMPORT.value, issuing_country="SG", number=for_nz.certificate.number
        )[0]
    assert record.status == "REJECTED"
    net.close()
