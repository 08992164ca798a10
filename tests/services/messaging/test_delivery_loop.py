"""services/messaging/delivery.py, the loops of ``run_forever``: an idle worker looks at most
about once a second, a down database is retried with back-off (a few warnings, no flood of
tracebacks), the heartbeat is beaten, and the periodic tasks run only in the instance holding
the node-wide lock."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from originlink.domain.errors import StorageUnavailable
from originlink.services.messaging.delivery import DeliveryWorker, worker_for
from originlink.testing.network import Gateway, Network


@pytest.fixture
def sg(net: Network) -> Gateway:
    return net["SG-CUSTOMS"]


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
    finally:
        store.exclusive = original
    worker.close()
    assert ran == []
