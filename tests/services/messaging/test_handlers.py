"""services/messaging/handlers.py: what a message handler is given (the verified envelope, the
payload read as bounded JSON, who called) and what it returns by default; and that the handlers
a node is built with are one table covering every message type a node accepts."""

from __future__ import annotations

import pytest

from originlink.domain.errors import InputError, InputTooDeep
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.testing.network import Network
from tests.services.fakes import FakeStorage
from tests.services.support import inbound, message, node_on


def _received(net: Network, payload: bytes, *, caller: str | None = None) -> Inbound:
    wire = message(
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        signer=net["SG-CUSTOMS"].signer,
        now=net.clock.now(),
        payload=payload,
    )
    return inbound(wire, caller=caller)


def test_a_handler_reads_the_sender_from_the_envelope_whoever_delivered_it(
    net: Network,
) -> None:
    relayed = _received(net, b'{"outcome": "DELIVERED"}', caller="APAC-HUB")
    assert relayed.sender == "SG-CUSTOMS" and relayed.caller == "APAC-HUB"
    assert relayed.payload_json() == {"outcome": "DELIVERED"}
    assert relayed.inline is False


def test_a_payload_that_is_not_bounded_json_is_unreadable(net: Network) -> None:
    with pytest.raises(InputError, match="message payload"):
        _received(net, b"<xml/>").payload_json()
    with pytest.raises(InputError, match="duplicate member 'a'"):
        _received(net, b'{"a": 1, "a": 2}').payload_json()
    with pytest.raises(InputTooDeep):
        _received(net, b"[" * 100 + b"]" * 100).payload_json()


def test_a_result_says_delivered_unless_told_otherwise() -> None:
    first, second = HandlerResult(status="RECORDED"), HandlerResult(status="RECORDED")
    assert first.outcome is ReceiptOutcome.DELIVERED
    assert (first.certificate_id, first.code, first.response, first.loss_report) == (
        None,
        None,
        None,
        None,
    )
    assert first.warnings == [] and first.replies == []
    assert first.warnings is not second.warnings and first.replies is not second.replies


def test_every_message_type_but_trust_list_updates_has_its_handler() -> None:
    node = node_on(FakeStorage())
    assert set(node.handlers) == set(MessageType) - {MessageType.TRUSTLIST_UPDATE}
    assert all(callable(handler) for handler in node.handlers.values())
    other = node_on(FakeStorage())
    assert other.handlers == node.handlers and other.handlers is not node.handlers
