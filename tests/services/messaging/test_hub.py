"""services/messaging/hub.py: a hub routing on the envelope alone — whom it refuses (a caller
sending as someone else, a sender or recipient that is no participant, an unreadable item),
holding a message once (in the mailbox of a participant that pulls, queued for one that is
pushed to), tracking for the two ends only, relaying receipts, and its routes. Traffic through a
hub between gateways is in ``tests/e2e/test_exchange_models.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from originlink.domain.errors import Forbidden, NotFound
from originlink.domain.messages import MessageType
from originlink.exchange.transport import InProcessTransport, Response
from originlink.exchange.wire import WireMessage, batch_body, decode_message
from originlink.services.messaging import hub
from originlink.services.messaging.pull_serving import serve_mailbox
from originlink.services.node import audit
from originlink.store.repos.outbox import OutboxMessage
from originlink.testing.network import Network, build_network
from tests.exchange_support import HUB, JP, NZ, SG, sqlite_urls
from tests.services.support import ADMIN, message

HUB_ID = "APAC-HUB"


@pytest.fixture
def hub_net(tmp_path: Path) -> Iterator[Network]:
    """SG and JP join the hub, which pushes to SG and keeps JP's messages in a mailbox; NZ is
    trusted but has not joined."""
    network = build_network([SG, JP, NZ, HUB], sqlite_urls(tmp_path, 4))
    network.join_hub("SG-CUSTOMS", HUB_ID)
    network.join_hub("JP-CUSTOMS", HUB_ID, hub_pushes=False)
    yield network
    network.close()


def _post(net: Network, caller: str, *messages: WireMessage) -> Response:
    transport = InProcessTransport(net[caller].signer, net.clock, net.wires)
    body = (
        messages[0].to_bytes()
        if len(messages) == 1
        else batch_body([m.to_json() for m in messages])
    )
    return transport.request("POST", net[HUB_ID].base_url + "/g2g/v1/messages", body)


def _as(net: Network, signer: str, sender: str, recipient: str, **kwargs: Any) -> WireMessage:
    return message(
        sender=sender, recipient=recipient, signer=net[signer].signer, now=net.clock.now(), **kwargs
    )


def _receipt(body: bytes) -> dict[str, Any]:
    payload: dict[str, Any] = decode_message(json.loads(body)).payload_json()
    return payload


def test_the_hub_refuses_whom_it_cannot_route_for(hub_net: Network) -> None:
    cases = [
        (
            "SG-CUSTOMS",
            _as(hub_net, "SG-CUSTOMS", "JP-CUSTOMS", "SG-CUSTOMS"),
            403,
            "MSG_SENDER_MISMATCH",
        ),
        (
            "NZ-CUSTOMS",
            _as(hub_net, "NZ-CUSTOMS", "NZ-CUSTOMS", "JP-CUSTOMS"),
            403,
            "UNKNOWN_SENDER",
        ),
        (
            "SG-CUSTOMS",
            _as(hub_net, "SG-CUSTOMS", "SG-CUSTOMS", "NZ-CUSTOMS"),
            403,
            "UNKNOWN_RECIPIENT",
        ),
    ]
    for caller, wire, status, code in cases:
        answer = _post(hub_net, caller, wire)
        assert (answer.status, _receipt(answer.body)["code"]) == (status, code)
    transport = InProcessTransport(hub_net["SG-CUSTOMS"].signer, hub_net.clock, hub_net.wires)
    garbled = transport.request(
        "POST", hub_net[HUB_ID].base_url + "/g2g/v1/messages", b'{"envelope": {}, "payload": 1}'
    )
    assert garbled.status == 400 and _receipt(garbled.body)["code"] == "INPUT_UNREADABLE"
    with hub_net[HUB_ID].node.store.read() as tx:
        assert tx.refused.search()[1] == 4
        assert tx.mailbox.since("JP-CUSTOMS", 0, 10) == []


def test_a_message_is_held_once_for_its_recipient(hub_net: Network) -> None:
    node = hub_net[HUB_ID].node
    to_jp = _as(hub_net, "SG-CUSTOMS", "SG-CUSTOMS", "JP-CUSTOMS")
    to_sg = _as(hub_net, "JP-CUSTOMS", "JP-CUSTOMS", "SG-CUSTOMS")
    first = _receipt(_post(hub_net, "SG-CUSTOMS", to_jp).body)
    assert (first["outcome"], first["code"]) == ("DELIVERED", "HUB_ACCEPTED")
    assert first["detail"] == "held by APAC-HUB for JP-CUSTOMS (in the recipient's mailbox)"
    again = _receipt(_post(hub_net, "SG-CUSTOMS", to_jp).body)
    assert again["detail"] == "held by APAC-HUB for JP-CUSTOMS (already held)"
    pushed = _receipt(_post(hub_net, "JP-CUSTOMS", to_sg).body)
    assert pushed["detail"] == "held by APAC-HUB for SG-CUSTOMS (forwarding)"
    with node.store.read() as tx:
        assert [e.message_id for e in tx.mailbox.since("JP-CUSTOMS", 0, 10)] == [
            str(to_jp.envelope.message_id)
        ]
        queued = tx.outbox.get(str(to_sg.envelope.message_id))
        assert tx.outbox.get(str(to_jp.envelope.message_id)) is None
    assert queued is not None and (queued.recipient, queued.status, queued.route) == (
        "SG-CUSTOMS",
        "QUEUED",
        "push",
    )
    assert queued.payload == to_sg.payload  # the same bytes, never read or changed
    rows = audit.records(node, ADMIN, entity_type="message")
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("hub.receive", "participant:SG-CUSTOMS"),
        ("hub.receive", "participant:JP-CUSTOMS"),
    ]


def test_a_message_is_tracked_for_its_two_ends_only(hub_net: Network) -> None:
    node = hub_net[HUB_ID].node
    to_jp = _as(hub_net, "SG-CUSTOMS", "SG-CUSTOMS", "JP-CUSTOMS")
    to_sg = _as(hub_net, "JP-CUSTOMS", "JP-CUSTOMS", "SG-CUSTOMS")
    _post(hub_net, "SG-CUSTOMS", to_jp)
    _post(hub_net, "JP-CUSTOMS", to_sg)
    held, forwarded = str(to_jp.envelope.message_id), str(to_sg.envelope.message_id)
    with pytest.raises(NotFound, match="the hub holds no message nope"):
        hub.tracking(node, "SG-CUSTOMS", "nope")
    with pytest.raises(Forbidden, match="only the sender or the recipient"):
        hub.tracking(node, "NZ-CUSTOMS", held)
    state = hub.tracking(node, "JP-CUSTOMS", held)
    assert (state["state"], state["sender"], state["attempts"]) == ("RECEIVED", "SG-CUSTOMS", 0)
    serve_mailbox(node, "JP-CUSTOMS", cursor=0)
    assert hub.tracking(node, "SG-CUSTOMS", held)["state"] == "FETCHED"
    assert hub.tracking(node, "SG-CUSTOMS", forwarded)["state"] == "RECEIVED"
    with node.store.transaction() as tx:
        tx.outbox.update(forwarded, status="RETRYING", attempts=2, last_error="down")
    moving = hub.tracking(node, "JP-CUSTOMS", forwarded)
    assert (moving["state"], moving["attempts"], moving["last_error"]) == ("FORWARDING", 2, "down")


def test_the_final_recipients_receipt_is_relayed_to_the_sender(hub_net: Network) -> None:
    node = hub_net[HUB_ID].node
    original = _as(hub_net, "SG-CUSTOMS", "SG-CUSTOMS", "JP-CUSTOMS")
    forwarded = OutboxMessage.fresh(
        message_id=str(original.envelope.message_id),
        message_type="receipt",
        recipient="JP-CUSTOMS",
        agreement=None,
        certificate_id=None,
        correlation_id=None,
        status="DELIVERED",
        route="push",
        envelope=original.envelope.stored_json(),
        payload=original.payload,
        now=hub_net.clock.now(),
    )
    receipt = _as(
        hub_net,
        "JP-CUSTOMS",
        "JP-CUSTOMS",
        "SG-CUSTOMS",
        correlation_id=str(original.envelope.message_id),
    )
    hub.relay_receipt(node, forwarded, receipt)
    not_a_receipt = _as(
        hub_net,
        "JP-CUSTOMS",
        "JP-CUSTOMS",
        "SG-CUSTOMS",
        message_type=MessageType.BUSINESS_RESPONSE,
    )
    hub.relay_receipt(node, forwarded, not_a_receipt)
    own = forwarded.with_(
        envelope=_as(hub_net, "SG-CUSTOMS", HUB_ID, "JP-CUSTOMS").envelope.stored_json()
    )
    hub.relay_receipt(node, own, _as(hub_net, "JP-CUSTOMS", "JP-CUSTOMS", HUB_ID))
    with node.store.read() as tx:
        relayed = tx.outbox.get(str(receipt.envelope.message_id))
        assert tx.outbox.get(str(not_a_receipt.envelope.message_id)) is None
        assert tx.outbox.search()[1] == 1
    assert relayed is not None and (relayed.recipient, relayed.status) == ("SG-CUSTOMS", "QUEUED")
    assert relayed.payload == receipt.payload


def test_the_hubs_routes_answer_problems_for_what_they_do_not_serve(hub_net: Network) -> None:
    transport = InProcessTransport(hub_net["SG-CUSTOMS"].signer, hub_net.clock, hub_net.wires)
    base = hub_net[HUB_ID].base_url
    unknown = transport.request("GET", base + "/g2g/v1/certificates/SG/X-1")
    assert unknown.status == 404 and json.loads(unknown.body)["code"] == "NOT_FOUND"
    missing = transport.request("GET", base + "/hub/v1/tracking/nope")
    assert missing.status == 404
    assert json.loads(missing.body)["detail"] == "the hub holds no message nope"
    page = transport.request("GET", base + "/g2g/v1/messages?cursor=0")
    assert page.status == 200 and json.loads(page.body)["messages"] == []
    unsigned = hub.dispatch(hub_net[HUB_ID].node, "GET", base + "/hub/v1/tracking/x", [], b"")
    assert unsigned.status == 401


def test_a_batch_is_answered_message_by_message(hub_net: Network) -> None:
    good = _as(hub_net, "SG-CUSTOMS", "SG-CUSTOMS", "JP-CUSTOMS")
    posing = _as(hub_net, "SG-CUSTOMS", "JP-CUSTOMS", "SG-CUSTOMS")
    answer = _post(hub_net, "SG-CUSTOMS", good, posing)
    assert answer.status == 200
    receipts = [decode_message(r).payload_json() for r in json.loads(answer.body)["receipts"]]
    assert [(r["outcome"], r["code"]) for r in receipts] == [
        ("DELIVERED", "HUB_ACCEPTED"),
        ("NOT_READABLE", "MSG_SENDER_MISMATCH"),
    ]
