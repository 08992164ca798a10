"""services/messaging/delivery.py: the delivery worker — due messages sent in batches of at most
twenty per endpoint, every way a send can fail turned into a retry with back-off or DEAD once
the budget is spent (a partner gone, a hub without endpoint, a partner down, an answer without
receipts, a bug), an outcome recorded only while the worker still holds the claim, and the
node's periodic tasks run every round. The loops of ``run_forever``: an idle worker looks about
once a second, a down database is retried with back-off (a few warnings, no flood of
tracebacks), the heartbeat is beaten, and the periodic tasks run only in the instance holding
the node-wide lock. Outages and re-sends between gateways are in
``tests/e2e/test_exchange_faults.py``."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from originlink.domain.errors import (
    ConfigurationError,
    InputError,
    PartnerUnavailable,
    StorageUnavailable,
)
from originlink.domain.messages import MessageType
from originlink.exchange.transport import InProcessTransport, Response
from originlink.services.messaging.delivery import BATCH_SIZE, DeliveryWorker, worker_for
from originlink.services.messaging.delivery_outcomes import RetryPolicy
from originlink.services.node import audit
from originlink.services.node import partners as partner_service
from originlink.store.repos.outbox import OutboxMessage
from originlink.testing.network import Gateway, Network
from tests.services.messaging.support import partner, queue
from tests.services.support import ADMIN


class Recording:
    """The in-process transport, recording how many messages each request carried."""

    def __init__(self, net: Network, before: Callable[[], None] | None = None) -> None:
        self.inner = InProcessTransport(net["SG-CUSTOMS"].signer, net.clock, net.wires)
        self.sizes: list[int] = []
        self.before = before

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        data = json.loads(body)
        self.sizes.append(len(data["messages"]) if "messages" in data else 1)
        if self.before is not None:
            self.before()
        return self.inner.request(method, url, body)


class Answering:
    """A transport that always answers ``response`` (or raises ``error``)."""

    def __init__(self, response: Response | None = None, error: Exception | None = None) -> None:
        self.response, self.error = response, error

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        if self.error is not None:
            raise self.error
        assert self.response is not None
        return self.response


@pytest.fixture
def sg(net: Network) -> Gateway:
    return net["SG-CUSTOMS"]


@pytest.fixture
def worker(sg: Gateway) -> Iterator[DeliveryWorker]:
    """A worker of SG's with a budget of three attempts, its periodic tasks left out."""
    made = worker_for(
        sg.node, worker_id="w-test", policy=RetryPolicy(max_attempts=3), rng=random.Random(5)
    )
    made.extra_tasks.clear()
    yield made
    made.close()


def _messages(sg: Gateway) -> list[OutboxMessage]:
    with sg.node.store.read() as tx:
        found, _ = tx.outbox.search(limit=1000)
    return found


def test_a_worker_needs_a_transport_and_runs_the_nodes_periodic_tasks(sg: Gateway) -> None:
    made = worker_for(sg.node)
    assert len(made.extra_tasks) == len(sg.node.hooks.periodic) == 5
    made.close()
    sg.node.transport = None
    with pytest.raises(ConfigurationError, match="no transport to reach partners"):
        worker_for(sg.node)


def test_due_messages_go_in_batches_of_at_most_twenty(
    net: Network, sg: Gateway, worker: DeliveryWorker
) -> None:
    for _ in range(BATCH_SIZE + 5):
        queue(sg.node, MessageType.RECEIPT, correlation_id="00000000-0000-4000-8000-000000000001")
    worker.transport = recording = Recording(net)
    assert worker.run_once() == BATCH_SIZE + 5
    assert sorted(recording.sizes) == [5, BATCH_SIZE]
    # JP cannot apply a receipt for a message it never sent: each one is refused on its own
    sent = _messages(sg)
    assert {(m.status, m.attempts) for m in sent} == {("DEAD", 1)}
    assert {m.last_error.split(":")[0] for m in sent if m.last_error} == {"INPUT_UNREADABLE"}
    assert worker.run_once() == 0  # nothing due any more


def test_a_failed_send_is_retried_after_a_back_off_and_dead_once_the_budget_is_spent(
    net: Network, sg: Gateway, worker: DeliveryWorker
) -> None:
    queue(sg.node)
    net.wires.set_down(net["JP-CUSTOMS"].base_url)
    assert worker.run_once() == 1
    (retrying,) = _messages(sg)
    assert (retrying.status, retrying.attempts, retrying.claimed_by) == ("RETRYING", 1, None)
    assert retrying.last_error is not None and "cannot be reached" in retrying.last_error
    delay = retrying.next_attempt_at - net.clock.now()
    assert timedelta(seconds=1) <= delay <= timedelta(seconds=2)  # base doubled once at most
    assert worker.run_once() == 0  # not due yet
    for attempt in (2, 3):
        net.advance(timedelta(minutes=20))
        assert worker.run_once() == 1
        assert _messages(sg)[0].attempts == attempt
    (dead,) = _messages(sg)
    assert dead.status == "DEAD"
    assert dead.last_error is not None and dead.last_error.startswith("gave up after 3 attempts: ")
    assert [r["action"] for r in audit.records(sg.node, ADMIN, entity_type="message")][-1] == (
        "message.dead"
    )


def test_a_partner_down_is_one_warning_per_partner_and_attempt(
    net: Network, sg: Gateway, worker: DeliveryWorker, caplog: pytest.LogCaptureFixture
) -> None:
    for _ in range(5):
        queue(sg.node)
    net.wires.set_down(net["JP-CUSTOMS"].base_url)
    with caplog.at_level(logging.INFO, logger="originlink.delivery"):
        assert worker.run_once() == 5
    lines = [r for r in caplog.records if r.name == "originlink.delivery"]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING
    assert "partner JP-CUSTOMS: 5 message(s) to retry after attempt 1" in lines[0].getMessage()
    assert lines[0].exc_info is None and lines[0].message_id  # type: ignore[attr-defined]


def test_every_way_a_send_fails_is_a_retry(
    net: Network, sg: Gateway, worker: DeliveryWorker
) -> None:
    cases = [
        (Answering(Response(200, b'{"ok": true}')), "answered a batch without receipts"),
        (Answering(Response(200, b'{"receipts": [1]}')), "answered 1 receipts for 2 messages"),
        (Answering(error=RuntimeError("a bug")), "RuntimeError: a bug"),
        (Answering(error=PartnerUnavailable("down for maintenance")), "down for maintenance"),
    ]
    for transport, reason in cases:
        worker.transport = transport
        queue(sg.node)
        queue(sg.node)
        net.advance(timedelta(hours=1))
        assert worker.run_once() >= 2
        latest = [m for m in _messages(sg) if m.attempts == 1 and m.status == "RETRYING"]
        assert latest and all(reason in (m.last_error or "") for m in latest), reason
        with sg.node.store.transaction() as tx:  # done with these
            for m in latest:
                tx.outbox.update(m.message_id, status="DEAD")


def test_a_partner_gone_or_a_hub_without_endpoint_is_a_retry(
    net: Network, sg: Gateway, worker: DeliveryWorker
) -> None:
    queue(sg.node)
    with sg.node.store.transaction() as tx:
        tx.partners.upsert(replace(partner("JP-CUSTOMS", "JP", "hub"), hub="APAC-HUB"))
    partner_service.forget_partners(sg.node)
    queue(sg.node)  # to be sent through the hub
    with sg.node.store.transaction() as tx:
        tx.partners.remove("JP-CUSTOMS")
        tx.partners.upsert(partner("KR-CUSTOMS", "KR"))
    worker.run_once()
    errors = sorted(m.last_error or "" for m in _messages(sg))
    assert [m.status for m in _messages(sg)] == ["RETRYING", "RETRYING"]
    assert errors == ["JP-CUSTOMS is no longer a partner"] * 2
    with sg.node.store.transaction() as tx:
        tx.partners.upsert(replace(partner("JP-CUSTOMS", "JP", "hub"), hub="APAC-HUB"))
    net.advance(timedelta(hours=1))
    worker.run_once()
    hub_error = {m.route: m.last_error for m in _messages(sg)}["hub"]
    assert hub_error == "hub APAC-HUB of JP-CUSTOMS has no endpoint"


def test_an_outcome_is_recorded_only_while_the_worker_holds_the_claim(
    net: Network, sg: Gateway, worker: DeliveryWorker
) -> None:
    sent = queue(sg.node)
    message_id = str(sent.envelope.message_id)

    def lease_lost() -> None:  # as if the lease ended and another worker claimed it
        with sg.node.store.transaction() as tx:
            tx.outbox.update(message_id, claimed_by="w-other")

    worker.transport = Recording(net, before=lease_lost)
    worker.run_once()
    (kept,) = _messages(sg)
    assert (kept.status, kept.claimed_by, kept.attempts) == ("SENDING", "w-other", 0)


def test_a_periodic_task_that_fails_does_not_stop_the_round(
    sg: Gateway, worker: DeliveryWorker
) -> None:
    done: list[str] = []

    def failing() -> int:
        raise InputError("a partner's mailbox answer is not a page")

    def working() -> int:
        done.append("ran")
        return 2

    worker.extra_tasks.extend([failing, working])
    assert worker.run_once() == 2
    assert done == ["ran"]


# --- the loops of run_forever: idle looks, back-off, heartbeat, the node-wide lock ----------


def _run(worker: DeliveryWorker, seconds: float) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,), kwargs={"idle": 0.1})
    thread.start()
    time.sleep(seconds)
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()


def test_an_idle_worker_looks_about_once_a_second(sg: Gateway) -> None:
    worker = worker_for(sg.node, worker_id="w-idle", senders=1)
    looks = 0
    real = worker.send_round

    def counting() -> int:
        nonlocal looks
        looks += 1
        return real()

    worker.send_round = counting  # type: ignore[method-assign]
    _run(worker, 3.2)  # asked for 0.1 s: at least one second is kept
    worker.close()
    assert 2 <= looks <= 5


def test_a_down_database_is_retried_with_back_off(
    sg: Gateway, caplog: pytest.LogCaptureFixture
) -> None:
    worker = worker_for(sg.node, worker_id="w-down", senders=1, max_backoff=1.0)

    def down() -> int:
        raise StorageUnavailable("the database cannot be reached: connection refused")

    worker.send_round = down  # type: ignore[method-assign]
    worker.periodic = down  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="originlink.delivery"):
        _run(worker, 4.0)
    worker.close()
    lines = [r for r in caplog.records if r.name == "originlink.delivery"]
    assert 2 <= len(lines) <= 40  # was one traceback every 0.1 s per loop
    assert all(r.exc_info is None for r in lines)
    assert any("delivery round failed (attempt" in r.getMessage() for r in lines)


def test_the_heartbeat_is_beaten_and_periodic_tasks_run(sg: Gateway) -> None:
    worker = worker_for(sg.node, worker_id="w-beat", senders=1)
    ran: list[int] = []
    worker.extra_tasks[:] = [lambda: ran.append(1) or 0]
    worker.periodic()
    worker.close()
    with sg.node.store.read() as tx:
        assert tx.operations.last_beat() is not None
    assert ran == [1]


def test_periodic_tasks_wait_while_another_instance_holds_the_lock(sg: Gateway) -> None:
    worker = worker_for(sg.node, worker_id="w-lock", senders=1)
    ran: list[int] = []
    worker.extra_tasks[:] = [lambda: ran.append(1) or 0]

    @contextmanager
    def held(name: str) -> Iterator[bool]:
        assert name == "periodic"
        yield False

    store: Any = sg.node.store
    original = store.exclusive
    store.exclusive = held
    try:
        assert worker.periodic() == 0
        assert worker.run_once() == 0  # 'worker --once' too
    finally:
        store.exclusive = original
    worker.close()
    assert ran == []
