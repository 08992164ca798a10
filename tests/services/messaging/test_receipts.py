"""services/messaging/receipts.py: the answers a node gives to what it receives — signed
receipts (what they carry, to whom, correlated when they can be), refusals kept in the
refused-traffic log, NOT_READABLE kept once in the inbox, and a duplicate answered exactly as
the first time, with the replies it carried."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from originlink.domain.findings import Finding, Level
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.exchange.envelopes import verify_message
from originlink.exchange.wire import WireMessage, decode_message
from originlink.services.messaging import receipts
from originlink.services.messaging.handlers import HandlerResult
from originlink.store.repos.inbox import InboxMessage
from originlink.testing.network import Network
from tests.services.support import message


def _from_sg(net: Network, **kwargs: Any) -> WireMessage:
    return message(
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        signer=net["SG-CUSTOMS"].signer,
        now=net.clock.now(),
        **kwargs,
    )


def _payload(body: bytes) -> dict[str, Any]:
    decoded: dict[str, Any] = decode_message(json.loads(body)).payload_json()
    return decoded


def test_a_receipt_is_signed_by_this_node_and_says_what_became_of_the_message(
    net: Network,
) -> None:
    jp = net["JP-CUSTOMS"].node
    message_id = "00000000-0000-4000-8000-000000000007"
    receipt = receipts.receipt_message(
        jp,
        recipient="SG-CUSTOMS",
        message_id=message_id,
        outcome=ReceiptOutcome.DELIVERED_WITH_WARNINGS,
        warnings=["W-1 at x: y"],
    )
    assert verify_message(receipt, net["SG-CUSTOMS"].node.require_trust(), now=net.clock.now())
    envelope = receipt.envelope
    assert (envelope.message_type, envelope.sender, envelope.recipient) == (
        MessageType.RECEIPT,
        "JP-CUSTOMS",
        "SG-CUSTOMS",
    )
    assert str(envelope.correlation_id) == message_id
    assert receipt.payload_json() == {
        "message_id": message_id,
        "received_at": "2025-03-04T01:00:00+00:00",
        "outcome": "DELIVERED_WITH_WARNINGS",
        "warnings": ["W-1 at x: y"],
    }


def test_a_receipt_to_someone_unreadable_is_addressed_safely(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    receipt = receipts.receipt_message(
        jp,
        recipient="X" * 65,
        message_id="not-a-uuid",
        outcome=ReceiptOutcome.NOT_READABLE,
        code="INPUT_UNREADABLE",
        detail="not JSON",
    )
    assert receipt.envelope.recipient == "unknown" and receipt.envelope.correlation_id is None
    assert receipt.payload_json()["code"] == "INPUT_UNREADABLE"


def test_a_refusal_is_logged_with_what_could_be_read_and_answered_signed(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    claimed = _from_sg(net, message_type=MessageType.CO_ISSUED)
    body = b"x" * 1000
    answer = receipts.refuse(
        jp,
        code="MSG_SIGNATURE_INVALID",
        detail="the envelope signature does not verify",
        body=body,
        status=401,
        caller="SG-CUSTOMS",
        envelope=claimed.envelope,
        remote="192.0.2.1",
    )
    assert answer.status == 401
    assert _payload(answer.body) == {
        "message_id": str(claimed.envelope.message_id),
        "received_at": "2025-03-04T01:00:00+00:00",
        "outcome": "NOT_READABLE",
        "code": "MSG_SIGNATURE_INVALID",
        "detail": "the envelope signature does not verify",
    }
    with jp.store.read() as tx:
        (row,), _ = tx.refused.search()
    assert {
        k: row[k]
        for k in (
            "code",
            "caller",
            "claimed_sender",
            "message_type",
            "remote_address",
            "body_bytes",
        )
    } == {
        "code": "MSG_SIGNATURE_INVALID",
        "caller": "SG-CUSTOMS",
        "claimed_sender": "SG-CUSTOMS",
        "message_type": "co.issued",
        "remote_address": "192.0.2.1",
        "body_bytes": 1000,
    }
    assert row["claimed_message_id"] == str(claimed.envelope.message_id)
    assert row["excerpt"] == "x" * 300


def test_not_readable_is_kept_once_and_a_duplicate_gets_the_same_answer(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    wire = _from_sg(net)
    finding = Finding(Level.SEVERE, "payload", "SCHEMA-TYPE", "not an object", area="exchange")
    first = receipts.not_readable(
        jp, wire, code="VALIDATION_FAILED", detail="bad", findings=[finding]
    )
    again = receipts.not_readable(jp, wire, code="OTHER", detail="other", findings=None)
    assert (first.status, again.status) == (422, 422)
    assert _payload(again.body) == _payload(first.body)
    with jp.store.read() as tx:
        kept = tx.inbox.get(str(wire.envelope.message_id))
        _, total = tx.inbox.search()
    assert total == 1 and kept is not None
    assert (kept.status, kept.refused, kept.refusal_code) == (
        "NOT_READABLE",
        True,
        "VALIDATION_FAILED",
    )
    assert json.loads(kept.response or "")["findings"][0]["code"] == "SCHEMA-TYPE"
    duplicate = receipts.duplicate_answer(kept)
    assert duplicate.status == 422 and _payload(duplicate.body)["code"] == "VALIDATION_FAILED"


def test_a_duplicate_gets_its_first_receipt_and_the_replies_it_carried(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    wire = _from_sg(net)
    receipt = receipts.receipt_for(jp, wire.envelope, HandlerResult(status="RECORDED"), "push")
    assert receipt is not None
    reply = _from_sg(net, message_type=MessageType.BUSINESS_RESPONSE)
    row = receipts.inbox_row(
        jp,
        wire,
        status="RECEIVED",
        receipt=receipt,
        certificate_id="co-1",
        code=None,
        response={"outcome": "ACCEPTED"},
        loss={"dropped": []},
        replies=[reply],
    )
    assert json.loads(row.response or "") == {
        "response": {"outcome": "ACCEPTED"},
        "replies": [reply.to_json()],
    }
    assert json.loads(row.loss_report or "") == {"dropped": []}
    answer = receipts.duplicate_answer(row)
    data = json.loads(answer.body)
    assert answer.status == 200 and data["replies"] == [reply.to_json()]
    assert {k: v for k, v in data.items() if k != "replies"} == receipt.to_json()
    assert (
        receipts.receipt_for(jp, wire.envelope, HandlerResult(status="RECORDED"), "reply") is None
    )


def test_a_stored_message_without_receipt_is_answered_with_nothing() -> None:
    silent = InboxMessage(
        message_id="m",
        message_type="business.response",
        sender="SG-CUSTOMS",
        agreement=None,
        certificate_id=None,
        status="RECORDED_ACCEPTED",
        refused=False,
        refusal_code=None,
        envelope=None,
        payload_digest=None,
        receipt=None,
        response=None,
        loss_report=None,
        received_at=datetime(2025, 3, 4, tzinfo=UTC),
    )
    answer = receipts.duplicate_answer(silent)
    assert (answer.status, answer.body) == (200, b"{}")
    assert receipts.with_replies({"a": 1}, []) == b'{"a":1}'
