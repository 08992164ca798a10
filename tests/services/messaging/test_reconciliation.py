"""services/messaging/reconciliation.py: what was sent to and received from one partner since a
date — counts by delivery group and message type, with or without the message ids, what the
partner pulled by number left out — for a partner only, for who may read messages. Each use case
runs on the in-memory unit of work of ``tests/services/fakes.py`` and on the SQL store
(SQLite, PostgreSQL), with the same outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.domain.clock import FrozenClock
from originlink.domain.errors import Forbidden, NotFound
from originlink.domain.messages import MessageType
from originlink.services.context import Node
from originlink.services.messaging.receipts import not_readable
from originlink.services.messaging.reconciliation import reconcile
from originlink.services.unit_of_work import Storage
from originlink.store.repos.inbox import InboxMessage
from originlink.store.repos.outbox import OutboxMessage
from originlink.testing import TestCA
from originlink.trust.signer import KeySigner
from tests.services.messaging.support import exchanging_node, queue
from tests.services.support import CUSTOMS, EXPORTER, OFFICER, message


def _tick(node: Node) -> None:
    assert isinstance(node.clock, FrozenClock)
    node.clock.advance(timedelta(minutes=1))


def _received(node: Node, jp_key: KeySigner, storage: Storage, *, applied: bool) -> str:
    wire = message(sender="JP-CUSTOMS", recipient="SG-CUSTOMS", signer=jp_key, now=node.now())
    message_id = str(wire.envelope.message_id)
    if not applied:
        not_readable(node, wire, code="X", detail="cannot be applied", findings=None)
        return message_id
    with storage.transaction() as tx:  # as the inbound handling keeps an applied message
        tx.inbox.add(
            InboxMessage(
                message_id=message_id,
                message_type="receipt",
                sender="JP-CUSTOMS",
                agreement=None,
                certificate_id=None,
                status="RECORDED",
                refused=False,
                refusal_code=None,
                envelope=wire.envelope.stored_json(),
                payload_digest=wire.envelope.payload_digest,
                receipt=None,
                response=None,
                loss_report=None,
                received_at=node.now(),
            )
        )
    return message_id


def test_a_partners_traffic_is_counted_by_group_and_type(storage: Storage, ca: TestCA) -> None:
    node, jp_key = exchanging_node(storage, ca)
    statuses = ["QUEUED", "RETRYING", "DELIVERED", "ACCEPTED", "REJECTED", "DEAD"]
    sent = {}
    for status in statuses:
        kind = MessageType.CO_STATUS if status == "DEAD" else MessageType.CO_UTILISATION
        message_id = str(queue(node, kind).envelope.message_id)
        with storage.transaction() as tx:
            tx.outbox.update(message_id, status=status)
        sent[status] = message_id
        _tick(node)
    with storage.transaction() as tx:  # a CO JP pulled by number: not a message sent to it
        tx.outbox.add(
            OutboxMessage.fresh(
                message_id="pulled-1",
                message_type="co.issued",
                recipient="JP-CUSTOMS",
                agreement="RCEP",
                certificate_id=None,
                correlation_id=None,
                status="DELIVERED",
                route="pulled",
                envelope="{}",
                payload=b"{}",
                now=node.now(),
            )
        )
    applied = _received(node, jp_key, storage, applied=True)
    _tick(node)
    refused = _received(node, jp_key, storage, applied=False)
    report = reconcile(node, OFFICER, "JP-CUSTOMS", since=None)
    assert (report["node"], report["partner"], report["since"]) == (
        "SG-CUSTOMS",
        "JP-CUSTOMS",
        None,
    )
    assert report["generated_at"] == node.now().isoformat()
    assert report["sent"] == {
        "total": 6,
        "pending": {"count": 2, "message_ids": [sent["QUEUED"], sent["RETRYING"]]},
        "awaiting_response": {"count": 0, "message_ids": []},
        "delivered": {"count": 1, "message_ids": [sent["DELIVERED"]]},
        "accepted": {"count": 1, "message_ids": [sent["ACCEPTED"]]},
        "rejected": {"count": 1, "message_ids": [sent["REJECTED"]]},
        "dead": {"count": 1, "message_ids": [sent["DEAD"]]},
        "by_type": {"co.utilisation": 5, "co.status": 1},
    }
    assert report["received"] == {
        "total": 2,
        "applied": {"count": 1, "message_ids": [applied]},
        "not_readable": {"count": 1, "message_ids": [refused]},
        "by_type": {"receipt": 2},
    }
    counts = reconcile(node, CUSTOMS, "JP-CUSTOMS", since=None, with_ids=False)
    assert counts["sent"]["pending"] == {"count": 2}
    assert counts["received"]["not_readable"] == {"count": 1}


def test_a_delivered_status_message_is_done_and_an_issued_co_awaits_its_answer(
    storage: Storage, ca: TestCA
) -> None:
    """A ``co.status`` gets no business response: once DELIVERED its exchange is over. A
    ``co.issued`` DELIVERED still awaits ACCEPTED or REJECTED, and leaves that group when the
    answer comes."""
    node, _ = exchanging_node(storage, ca)
    ids = {}
    for kind in (MessageType.CO_STATUS, MessageType.CO_ISSUED, MessageType.CO_NOTIFICATION):
        ids[kind] = str(queue(node, kind).envelope.message_id)
        with storage.transaction() as tx:
            tx.outbox.update(ids[kind], status="DELIVERED")
        _tick(node)
    sent = reconcile(node, OFFICER, "JP-CUSTOMS", since=None)["sent"]
    assert sent["delivered"] == {"count": 1, "message_ids": [ids[MessageType.CO_STATUS]]}
    assert sent["awaiting_response"] == {
        "count": 2,
        "message_ids": [ids[MessageType.CO_ISSUED], ids[MessageType.CO_NOTIFICATION]],
    }
    with storage.transaction() as tx:
        tx.outbox.update(ids[MessageType.CO_ISSUED], status="ACCEPTED")
    sent = reconcile(node, OFFICER, "JP-CUSTOMS", since=None, with_ids=False)["sent"]
    assert (sent["awaiting_response"], sent["delivered"], sent["accepted"]) == (
        {"count": 1},
        {"count": 1},
        {"count": 1},
    )


def test_only_traffic_since_the_date_is_counted(storage: Storage, ca: TestCA) -> None:
    node, jp_key = exchanging_node(storage, ca)
    queue(node)
    _received(node, jp_key, storage, applied=False)
    assert isinstance(node.clock, FrozenClock)
    since = node.clock.advance(timedelta(hours=2))
    later = str(queue(node).envelope.message_id)
    report = reconcile(node, OFFICER, "JP-CUSTOMS", since=since)
    assert report["since"] == since.isoformat()
    assert report["sent"]["total"] == 1 and report["sent"]["pending"]["message_ids"] == [later]
    assert report["received"]["total"] == 0


def test_only_a_partner_is_reconciled_by_who_may_read_messages(
    storage: Storage, ca: TestCA
) -> None:
    node, _ = exchanging_node(storage, ca)
    with pytest.raises(NotFound, match="KR-CUSTOMS is not a partner of this node"):
        reconcile(node, OFFICER, "KR-CUSTOMS", since=None)
    with pytest.raises(Forbidden, match="may not message read"):
        reconcile(node, EXPORTER, "JP-CUSTOMS", since=None)
