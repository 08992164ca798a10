"""services/messaging/sending.py: the transactional outbox's front door — a message queued in
the caller's unit of work exists if and only if it commits, wakes the worker only then, leaves
by the route its partner's model gives (push, hub, mailbox), is signed by the node's key, and
is refused for a non-partner; and answers that travel inline. Queueing runs on the in-memory
unit of work of ``tests/services/fakes.py`` and on the SQL store alike."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from originlink.domain.errors import ConfigurationError, NotFound
from originlink.domain.messages import MessageType, PayloadFormat
from originlink.exchange.envelopes import verify_message
from originlink.services.messaging.sending import reply_inline, send_message, signed_by_node
from originlink.services.node import audit
from originlink.services.node import partners as partner_service
from originlink.services.unit_of_work import Storage
from originlink.store.core import Store
from originlink.testing import TestCA
from tests.dbs import sqlite_url
from tests.services.messaging.support import exchanging_node, partner, queue
from tests.services.support import ADMIN


class Boom(Exception):
    pass


def test_a_message_exists_once_its_use_case_commits_and_only_then_wakes_the_worker(
    storage: Storage, ca: TestCA
) -> None:
    node, _ = exchanging_node(storage, ca)
    woken: list[int] = []
    node.hooks.on_message_queued.append(lambda: woken.append(len(woken)))
    with pytest.raises(Boom), storage.transaction() as tx:
        send_message(tx, node, recipient="JP-CUSTOMS", message_type=MessageType.RECEIPT, payload={})
        raise Boom
    with storage.read() as tx:
        assert tx.outbox.search()[1] == 0
    assert woken == []
    with storage.transaction() as tx:
        wire = send_message(
            tx,
            node,
            recipient="JP-CUSTOMS",
            message_type=MessageType.CO_UTILISATION,
            payload={"b": [1, "ü"], "a": None},
            agreement="RCEP",
            certificate_id="co-1",
            correlation_id="00000000-0000-4000-8000-000000000009",
        )
        assert woken == []
    assert woken == [0]
    message_id = str(wire.envelope.message_id)
    with storage.read() as tx:
        stored = tx.outbox.get(message_id)
    assert stored is not None
    assert (stored.status, stored.route, stored.recipient, stored.attempts) == (
        "QUEUED",
        "push",
        "JP-CUSTOMS",
        0,
    )
    assert stored.payload == '{"b":[1,"ü"],"a":null}'.encode() == wire.payload
    assert (stored.certificate_id, stored.correlation_id) == (
        "co-1",
        "00000000-0000-4000-8000-000000000009",
    )
    envelope = json.loads(stored.envelope)
    assert (envelope["sender"], envelope["recipient"], envelope["agreement"]) == (
        "SG-CUSTOMS",
        "JP-CUSTOMS",
        "RCEP",
    )
    assert (
        verify_message(wire, node.require_trust(), now=node.now()).participant.participant_id
        == "SG-CUSTOMS"
    )
    rows = audit.records(node, ADMIN, entity_type="message", entity_id=message_id)
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("message.queue.co.utilisation", "gateway:SG-CUSTOMS")
    ]
    assert json.loads(rows[0]["details"]) == {
        "certificate_id": "co-1",
        "correlation_id": "00000000-0000-4000-8000-000000000009",
        "model": "push",
        "recipient": "JP-CUSTOMS",
    }


def test_a_message_for_a_non_partner_is_refused_saying_how_to_add_it(
    storage: Storage, ca: TestCA
) -> None:
    node, _ = exchanging_node(storage, ca)
    with pytest.raises(NotFound, match="KR-CUSTOMS is not a partner of this node: add it with"):
        queue(node, recipient="KR-CUSTOMS")
    with storage.read() as tx:
        assert tx.outbox.search()[1] == 0


def test_a_node_without_its_key_sends_nothing(storage: Storage, ca: TestCA) -> None:
    node, _ = exchanging_node(storage, ca)
    node.gateway = None
    with pytest.raises(ConfigurationError, match="originlink keys init"):
        queue(node)
    with storage.read() as tx:
        assert tx.outbox.search()[1] == 0


def test_each_exchange_model_has_its_route(tmp_path: Path, ca: TestCA) -> None:
    store = Store(sqlite_url(tmp_path))
    node, _ = exchanging_node(store, ca)
    with store.transaction() as tx:
        tx.partners.upsert(partner("JP-CUSTOMS", "JP", "pull"))
        tx.partners.upsert(partner("KR-CUSTOMS", "KR", "hybrid"))
        tx.partners.upsert(replace(partner("NZ-CUSTOMS", "NZ", "hub"), hub="APAC-HUB"))
    partner_service.forget_partners(node)
    routes = {}
    for recipient in ("JP-CUSTOMS", "KR-CUSTOMS", "NZ-CUSTOMS"):
        wire = queue(node, recipient=recipient)
        with store.read() as tx:
            stored = tx.outbox.get(str(wire.envelope.message_id))
            waiting = tx.mailbox.get(str(wire.envelope.message_id))
        assert stored is not None
        routes[recipient] = (stored.route, waiting.state if waiting else None)
    assert routes == {
        "JP-CUSTOMS": ("mailbox", "WAITING"),  # the partner pulls it from this node's mailbox
        "KR-CUSTOMS": ("push", None),
        "NZ-CUSTOMS": ("hub", None),
    }
    store.dispose()


def test_bytes_travel_as_given_in_the_format_named_with_the_loss_kept(
    storage: Storage, ca: TestCA
) -> None:
    node, _ = exchanging_node(storage, ca)
    with storage.transaction() as tx:
        wire = send_message(
            tx,
            node,
            recipient="JP-CUSTOMS",
            message_type=MessageType.CO_ISSUED,
            payload=b"<CertificateOfOrigin/>",
            agreement="RCEP",
            payload_format=PayloadFormat.UBL,
            loss_report={"dropped": ["x"]},
        )
    with storage.read() as tx:
        stored = tx.outbox.get(str(wire.envelope.message_id))
    assert stored is not None and stored.payload == b"<CertificateOfOrigin/>"
    assert json.loads(stored.envelope)["payload_format"] == "ubl"
    assert json.loads(stored.loss_report or "null") == {"dropped": ["x"]}


def test_an_inline_answer_is_recorded_as_delivered_and_wakes_nobody(
    storage: Storage, ca: TestCA
) -> None:
    node, _ = exchanging_node(storage, ca)
    woken: list[str] = []
    node.hooks.on_message_queued.append(lambda: woken.append("wake"))
    with storage.transaction() as tx:
        wire = reply_inline(
            tx,
            node,
            recipient="KR-CUSTOMS",  # answers go back to whoever asked, partner or not
            message_type=MessageType.BUSINESS_RESPONSE,
            payload={"outcome": "ACCEPTED"},
            agreement="RCEP",
            correlation_id="00000000-0000-4000-8000-000000000001",
        )
    assert woken == []
    message_id = str(wire.envelope.message_id)
    with storage.read() as tx:
        stored = tx.outbox.get(message_id)
    assert stored is not None
    assert (stored.status, stored.route, stored.attempts) == ("DELIVERED", "inline", 1)
    assert str(wire.envelope.correlation_id) == "00000000-0000-4000-8000-000000000001"
    rows = audit.records(node, ADMIN, entity_type="message", entity_id=message_id)
    assert [r["action"] for r in rows] == ["message.reply.business.response"]


def test_every_message_a_node_originates_is_signed_with_its_key(
    storage: Storage, ca: TestCA
) -> None:
    node, _ = exchanging_node(storage, ca)
    wire = signed_by_node(
        node,
        message_type=MessageType.RECEIPT,
        recipient="JP-CUSTOMS",
        payload=b"{}",
        now=node.now(),
    )
    assert wire.envelope.signature is not None and wire.envelope.sender == "SG-CUSTOMS"
    assert (
        verify_message(wire, node.require_trust(), now=node.now()).participant.participant_id
        == "SG-CUSTOMS"
    )
