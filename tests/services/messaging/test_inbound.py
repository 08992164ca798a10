"""services/messaging/inbound.py: receiving a message — the envelope and sender checks and the
code each failure is answered with (not for us, relayed by someone not allowed, no partner,
agreement missing or not shared), applying a message once (an unhandled type, a handler's
permanent or retryable error, replies that need no receipt), and the refusals before the sender
is known. Outages, duplicates and replays between gateways are in
``tests/e2e/test_exchange_faults.py``."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from originlink.domain.errors import Conflict, PartnerUnavailable, TrustError
from originlink.domain.messages import MessageType
from originlink.exchange.wire import MAX_MESSAGE_BYTES, WireMessage, decode_message
from originlink.services.context import Node
from originlink.services.messaging import inbound
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.node import audit
from originlink.services.node import partners as partner_service
from originlink.services.unit_of_work import UnitOfWork
from originlink.testing.network import Network
from tests.services.messaging.support import partner
from tests.services.support import ADMIN, message


def _from_sg(net: Network, **kwargs: Any) -> WireMessage:
    options: dict[str, Any] = {
        "sender": "SG-CUSTOMS",
        "recipient": "JP-CUSTOMS",
        "signer": net["SG-CUSTOMS"].signer,
        "now": net.clock.now(),
        **kwargs,
    }
    return message(**options)


def _check(net: Network, wire: WireMessage, caller: str = "SG-CUSTOMS") -> Any:
    return inbound.check_message(net["JP-CUSTOMS"].node, wire, caller)


def _handle(node: Node, message_type: MessageType, handler: Any) -> None:
    node.handlers = {**node.handlers, message_type: handler}


def _receipt(body: bytes) -> dict[str, Any]:
    """The payload of the signed receipt an answer carries."""
    payload: dict[str, Any] = decode_message(json.loads(body)).payload_json()
    return payload


def test_a_message_for_this_node_from_a_partner_passes(net: Network) -> None:
    assert _check(net, _from_sg(net)) is None
    assert (
        _check(net, _from_sg(net, message_type=MessageType.CO_UTILISATION, agreement="RCEP"))
        is None
    )


def test_each_failed_check_has_its_code_and_status(net: Network) -> None:
    tampered = _from_sg(net)
    tampered = WireMessage(tampered.envelope, b'{"changed": true}')
    code, _, status = _check(net, tampered)
    assert code.startswith("MSG_") and status == 401
    assert _check(net, _from_sg(net, recipient="NZ-CUSTOMS"))[0::2] == ("MSG_NOT_FOR_US", 421)
    assert _check(net, _from_sg(net), caller="JP-CUSTOMS") == (
        "MSG_RELAY_NOT_ALLOWED",
        "JP-CUSTOMS may not deliver messages from SG-CUSTOMS",
        403,
    )
    co_without_agreement = _from_sg(net, message_type=MessageType.CO_STATUS)
    assert _check(net, co_without_agreement) == (
        "AGREEMENT_NOT_SHARED",
        "a CO message must name its agreement",
        403,
    )
    assert _check(net, _from_sg(net, agreement="ATIGA")) == (
        "AGREEMENT_NOT_SHARED",
        "this node does not exchange under ATIGA with SG-CUSTOMS",
        403,
    )
    partner_service.remove_partner(net["JP-CUSTOMS"].node, ADMIN, "SG-CUSTOMS")
    assert _check(net, _from_sg(net))[0::2] == ("UNKNOWN_SENDER", 403)


def test_a_partner_reached_through_a_hub_may_be_relayed_by_that_hub_only(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    with jp.store.transaction() as tx:
        tx.partners.upsert(replace(partner("SG-CUSTOMS", "SG", "hub"), hub="APAC-HUB"))
    partner_service.forget_partners(jp)
    assert _check(net, _from_sg(net), caller="APAC-HUB") is None
    assert _check(net, _from_sg(net), caller="OTHER-HUB")[0] == "MSG_RELAY_NOT_ALLOWED"


def test_a_type_this_node_does_not_handle_is_not_readable_and_stays_so(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    wire = _from_sg(net, message_type=MessageType.TRUSTLIST_UPDATE)
    first = inbound.apply_message(jp, wire, caller="SG-CUSTOMS")
    assert first.status == 422
    assert _receipt(first.body)["outcome"] == "NOT_READABLE"
    assert _receipt(first.body)["code"] == "MSG_TYPE_NOT_HANDLED"
    again = inbound.apply_message(jp, wire, caller="SG-CUSTOMS")
    assert (again.status, again.body) == (422, first.body)
    with jp.store.read() as tx:
        kept = tx.inbox.get(str(wire.envelope.message_id))
    assert kept is not None and (kept.status, kept.refused, kept.refusal_code) == (
        "NOT_READABLE",
        True,
        "MSG_TYPE_NOT_HANDLED",
    )


def test_a_handlers_permanent_error_leaves_nothing_of_its_work(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node

    def half_done(tx: UnitOfWork, node: Node, message: Inbound) -> HandlerResult:
        tx.partners.upsert(partner("KR-CUSTOMS", "KR"))
        raise Conflict("the state does not allow it")

    _handle(jp, MessageType.RECEIPT, half_done)
    wire = _from_sg(net)
    answer = inbound.apply_message(jp, wire, caller="SG-CUSTOMS")
    assert answer.status == 422 and _receipt(answer.body)["code"] == "CONFLICT"
    with jp.store.read() as tx:
        assert tx.partners.get("KR-CUSTOMS") is None

    def untrusted(tx: UnitOfWork, node: Node, message: Inbound) -> HandlerResult:
        raise TrustError("not signed by a trusted issuer", code="SIG_CHAIN")

    _handle(jp, MessageType.RECEIPT, untrusted)
    answer = inbound.apply_message(jp, _from_sg(net), caller="SG-CUSTOMS")
    assert _receipt(answer.body)["code"] == "SIG_CHAIN"


def test_a_handlers_retryable_error_stores_nothing_so_the_sender_tries_again(
    net: Network,
) -> None:
    jp = net["JP-CUSTOMS"].node
    calls: list[int] = []

    def flaky(tx: UnitOfWork, node: Node, message: Inbound) -> HandlerResult:
        calls.append(1)
        if len(calls) == 1:
            raise PartnerUnavailable("the CO cannot be pulled now")
        return HandlerResult(status="RECORDED", certificate_id="co-1")

    _handle(jp, MessageType.RECEIPT, flaky)
    wire = _from_sg(net)
    with pytest.raises(PartnerUnavailable):
        inbound.apply_message(jp, wire, caller="SG-CUSTOMS")
    with jp.store.read() as tx:
        assert tx.inbox.get(str(wire.envelope.message_id)) is None
    answer = inbound.apply_message(jp, wire, caller="SG-CUSTOMS")
    assert answer.status == 200 and _receipt(answer.body)["outcome"] == "DELIVERED"
    with jp.store.read() as tx:
        kept = tx.inbox.get(str(wire.envelope.message_id))
    assert kept is not None and (kept.status, kept.certificate_id) == ("RECORDED", "co-1")
    rows = audit.records(jp, ADMIN, entity_type="message", entity_id=str(wire.envelope.message_id))
    assert [(r["action"], json.loads(r["details"])) for r in rows] == [
        (
            "message.receive.receipt",
            {"caller": "SG-CUSTOMS", "certificate_id": "co-1", "status": "RECORDED", "via": "push"},
        )
    ]


def test_a_reply_that_came_inside_our_own_answer_gets_no_receipt(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    _handle(jp, MessageType.RECEIPT, lambda tx, node, m: HandlerResult(status="RECORDED"))
    answer = inbound.apply_message(jp, _from_sg(net), caller="SG-CUSTOMS", via="reply")
    assert (answer.status, answer.body) == (200, b"{}")


def test_requests_refused_before_the_sender_is_known_go_to_the_refused_log(
    net: Network,
) -> None:
    jp = net["JP-CUSTOMS"].node
    url = net["JP-CUSTOMS"].base_url + "/g2g/v1/messages"
    big = inbound.receive(
        jp, method="POST", url=url, headers=[], body=b" " * (MAX_MESSAGE_BYTES + 1)
    )
    assert big.status == 413 and _receipt(big.body)["code"] == "INPUT_TOO_LARGE"
    unsigned = inbound.receive(
        jp, method="POST", url=url, headers=[], body=b"{}", remote="10.0.0.9"
    )
    assert unsigned.status == 401 and _receipt(unsigned.body)["code"].startswith("HTTPSIG")
    with jp.store.read() as tx:
        refused, total = tx.refused.search()
    assert total == 2
    assert {(r["code"], r["remote_address"]) for r in refused} >= {("INPUT_TOO_LARGE", None)}
    assert any(r["remote_address"] == "10.0.0.9" for r in refused)


def test_the_signing_key_is_looked_up_before_the_body_is_read(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    sg_key = net["SG-CUSTOMS"].signer
    signed = [
        ("Signature-Input", f'sig1=("@method");created=1;keyid="{sg_key.key_id}";nonce="n"'),
        ("Signature", "sig1=:AAAA:"),
    ]
    known = inbound.check_before_reading(
        jp, signed, method="POST", remote="10.0.0.1", declared_bytes=8_000_000
    )
    assert known == (None, "SG-CUSTOMS")
    unsigned, who = inbound.check_before_reading(
        jp, [], method="POST", remote="10.0.0.1", declared_bytes=8_000_000
    )
    assert who is None and unsigned is not None and unsigned.status == 401
    assert _receipt(unsigned.body)["code"] == "HTTPSIG_MISSING"
    stranger = [("Signature-Input", 'sig1=();keyid="beef"'), ("Signature", "sig1=:AAAA:")]
    refusal, _ = inbound.check_before_reading(
        jp, stranger, method="POST", remote="10.0.0.1", declared_bytes=8_000_000
    )
    assert refusal is not None and _receipt(refusal.body)["code"] == "HTTPSIG_UNKNOWN_KEY"
    with jp.store.read() as tx:
        rows, _ = tx.refused.search()
    assert {r["body_bytes"] for r in rows} == {8_000_000}  # the declared size, never read
    # a request without a body is authenticated by its route: nothing refused here
    assert inbound.check_before_reading(
        jp, stranger, method="GET", remote="10.0.0.1", declared_bytes=0
    ) == (None, None)


def test_signing_keys_are_looked_up_among_the_trusted_and_nonces_are_kept_per_node(
    net: Network,
) -> None:
    jp = net["JP-CUSTOMS"].node
    lookup = inbound.key_lookup(jp)
    sg_key = net["SG-CUSTOMS"].signer
    found = lookup(sg_key.key_id)
    assert found is not None and found[1] == "SG-CUSTOMS"
    assert lookup("0" * 64) is None
    assert inbound.nonce_cache(jp) is inbound.nonce_cache(jp)
    assert inbound.nonce_cache(jp) is not inbound.nonce_cache(net["SG-CUSTOMS"].node)
