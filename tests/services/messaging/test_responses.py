"""services/messaging/responses.py: the exporting side hears back — business responses and
receipts that come as messages must answer a message this node sent to that partner; a
decision is recorded once, a positive receipt delivers a message still on its way, and a
NOT_READABLE receipt kills it unless the partner had already decided."""

from __future__ import annotations

import json
from typing import Any

import pytest

from originlink.domain.errors import InputError
from originlink.domain.messages import MessageType
from originlink.services.messaging import responses
from originlink.services.messaging.handlers import HandlerResult
from originlink.services.node import audit
from originlink.store.repos.outbox import OutboxMessage
from originlink.testing.network import Network
from tests.exchange_support import issue
from tests.services.support import ADMIN, inbound, message


def _queued(net: Network) -> OutboxMessage:
    sg = net["SG-CUSTOMS"]
    record = issue(sg).certificate
    with sg.node.store.read() as tx:
        (sent,), _ = tx.outbox.search(certificate_id=record.id)
    return sent


def _from_jp(
    net: Network, kind: MessageType, payload: Any, correlation_id: str | None
) -> HandlerResult:
    wire = message(
        sender="JP-CUSTOMS",
        recipient="SG-CUSTOMS",
        signer=net["JP-CUSTOMS"].signer,
        now=net.clock.now(),
        payload=json.dumps(payload).encode(),
        message_type=kind,
        correlation_id=correlation_id,
    )
    handler = (
        responses.on_business_response
        if kind is MessageType.BUSINESS_RESPONSE
        else responses.on_receipt
    )
    sg = net["SG-CUSTOMS"].node
    with sg.store.transaction() as tx:
        return handler(tx, sg, inbound(wire))


def _status(net: Network, message_id: str) -> OutboxMessage:
    with net["SG-CUSTOMS"].node.store.read() as tx:
        found = tx.outbox.get(message_id)
    assert found is not None
    return found


def test_an_answer_must_name_a_message_this_node_sent_to_its_sender(net: Network) -> None:
    sent = _queued(net)
    for kind in (MessageType.BUSINESS_RESPONSE, MessageType.RECEIPT):
        with pytest.raises(InputError, match=f"a {kind.value} names the message it answers"):
            _from_jp(net, kind, {"outcome": "ACCEPTED"}, None)
        unknown = "00000000-0000-4000-8000-000000000001"
        with pytest.raises(InputError, match=f"{unknown} is not a message this node sent to JP"):
            _from_jp(net, kind, {"outcome": "ACCEPTED"}, unknown)
    with pytest.raises(InputError, match="says ACCEPTED or REJECTED in 'outcome'"):
        _from_jp(net, MessageType.BUSINESS_RESPONSE, {"outcome": "MAYBE"}, sent.message_id)
    with pytest.raises(InputError, match="says ACCEPTED or REJECTED"):
        _from_jp(net, MessageType.BUSINESS_RESPONSE, ["ACCEPTED"], sent.message_id)
    assert _status(net, sent.message_id).status == "QUEUED"


def test_a_business_decision_is_recorded_once(net: Network) -> None:
    sent = _queued(net)
    decision = {"outcome": "REJECTED", "findings": [{"code": "IMPORTING_PARTY"}]}
    result = _from_jp(net, MessageType.BUSINESS_RESPONSE, decision, sent.message_id)
    assert result.status == "RECORDED_REJECTED"
    rejected = _status(net, sent.message_id)
    assert rejected.status == "REJECTED" and json.loads(rejected.response or "") == decision
    later = _from_jp(net, MessageType.BUSINESS_RESPONSE, {"outcome": "ACCEPTED"}, sent.message_id)
    assert later.status == "RECORDED_ACCEPTED"
    assert _status(net, sent.message_id).status == "REJECTED"
    rows = audit.records(
        net["SG-CUSTOMS"].node, ADMIN, entity_type="message", entity_id=sent.message_id
    )
    assert [(r["action"], json.loads(r["details"] or "{}")) for r in rows][-1] == (
        "message.rejected",
        {"findings": 1},
    )


def test_a_positive_receipt_delivers_a_message_still_on_its_way(net: Network) -> None:
    sent = _queued(net)
    with net["SG-CUSTOMS"].node.store.transaction() as tx:
        tx.outbox.update(sent.message_id, status="SENDING", claimed_by="w-1")
    receipt = {"message_id": sent.message_id, "outcome": "DELIVERED_WITH_WARNINGS"}
    assert _from_jp(net, MessageType.RECEIPT, receipt, sent.message_id).status == "RECORDED"
    delivered = _status(net, sent.message_id)
    assert (delivered.status, delivered.claimed_by, delivered.claimed_until) == (
        "DELIVERED",
        None,
        None,
    )
    kept = json.loads(delivered.receipt or "")
    assert kept["payload"] == receipt and kept["envelope"]["sender"] == "JP-CUSTOMS"


def test_a_receipt_after_the_decision_is_kept_without_moving_the_message(net: Network) -> None:
    sent = _queued(net)
    _from_jp(net, MessageType.BUSINESS_RESPONSE, {"outcome": "ACCEPTED"}, sent.message_id)
    duplicate = {"message_id": sent.message_id, "outcome": "DUPLICATE"}
    _from_jp(net, MessageType.RECEIPT, duplicate, sent.message_id)
    accepted = _status(net, sent.message_id)
    assert accepted.status == "ACCEPTED"
    assert json.loads(accepted.receipt or "")["payload"]["outcome"] == "DUPLICATE"
    refused = {"message_id": sent.message_id, "outcome": "NOT_READABLE", "code": "X"}
    _from_jp(net, MessageType.RECEIPT, refused, sent.message_id)
    assert _status(net, sent.message_id).status == "ACCEPTED"


def test_a_not_readable_receipt_kills_the_message_with_the_partners_code(net: Network) -> None:
    sent = _queued(net)
    refused = {
        "message_id": sent.message_id,
        "outcome": "NOT_READABLE",
        "code": "MSG_TYPE_NOT_HANDLED",
        "detail": "not here",
    }
    _from_jp(net, MessageType.RECEIPT, refused, sent.message_id)
    dead = _status(net, sent.message_id)
    assert (dead.status, dead.last_error) == ("DEAD", "MSG_TYPE_NOT_HANDLED: not here")
