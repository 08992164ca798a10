"""Several instances of one node on PostgreSQL: periodic work under an advisory lock, a queued
message wakes idle workers of other processes (LISTEN/NOTIFY), and the fault test — two
gateway instances, one killed with SIGKILL during a run of messages: nothing lost, nothing
applied twice."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from originlink.bench.scale import ScaleNode
from originlink.domain.lifecycle import Side
from originlink.node_config import load_config
from originlink.store.core import Store
from originlink.store.exchange_tables import inbox, outbox
from originlink.store.tables import certificates
from tests.dbs import postgres_schema, postgres_unavailable

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_url() -> Iterator[str]:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres_schema() as url:
        yield url


def test_periodic_work_is_held_by_one_instance_at_a_time(pg_url: str) -> None:
    first, second = Store(pg_url), Store(pg_url)
    try:
        with first.exclusive("periodic") as mine:
            assert mine is True
            with second.exclusive("periodic") as theirs:
                assert theirs is False
            with second.exclusive("other work") as other:
                assert other is True  # locks are per name
        with second.exclusive("periodic") as now_free:
            assert now_free is True
    finally:
        first.dispose()
        second.dispose()


def test_a_message_queued_by_one_instance_wakes_the_others(pg_url: str) -> None:
    from originlink.store.repos.outbox import OutboxMessage
    from originlink.testing.nodes import TEST_NOW

    listener, writer = Store(pg_url), Store(pg_url)
    woken = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(target=listener.watch, args=(woken.set, stop), daemon=True)
    thread.start()
    try:
        assert not woken.wait(1.5)  # nothing queued: nothing wakes it
        with writer.transaction() as tx:
            tx.outbox.add(
                OutboxMessage.fresh(
                    message_id="m-1",
                    message_type="co.issued",
                    recipient="JP-CUSTOMS",
                    agreement="RCEP",
                    certificate_id=None,
                    correlation_id=None,
                    status="QUEUED",
                    route="push",
                    envelope="{}",
                    payload=b"{}",
                    now=TEST_NOW,
                )
            )
        assert woken.wait(5)
    finally:
        stop.set()
        thread.join(timeout=10)
        listener.dispose()
        writer.dispose()


@pytest.mark.slow
def test_an_instance_killed_mid_run_loses_nothing_and_applies_nothing_twice(
    tmp_path: Path, pg_url: str
) -> None:
    total = 40
    node = ScaleNode(tmp_path, pg_url, env={"ORIGINLINK_DELIVERY_LEASE_SECONDS": "3"})
    try:
        node.start(2)
        app_ids = node.prepare(total)
        victim = node.instances[1]

        def kill_half_way(done: int) -> None:
            if done == total // 3 and victim.process is not None:
                victim.kill()  # SIGKILL: no shutdown, claims left to expire

        node.issue_all(app_ids, during=kill_half_way)
        assert victim.process is None
        node.wait_accepted(total, timeout=180)
    finally:
        node.close()
    sg = Store(load_config(node.sg.home).database_url, migrate=False)
    jp = Store(load_config(node.jp.home).database_url, migrate=False)
    try:
        with sg.read() as tx:
            c = tx.connection
            issued = (
                c.execute(
                    select(certificates.c.number).where(certificates.c.side == Side.EXPORT.value)
                )
                .scalars()
                .all()
            )
            sent = c.execute(
                select(outbox.c.status, func.count())
                .where(outbox.c.message_type == "co.issued")
                .group_by(outbox.c.status)
            ).all()
        with jp.read() as tx:
            c = tx.connection
            received = (
                c.execute(
                    select(certificates.c.number).where(certificates.c.side == Side.IMPORT.value)
                )
                .scalars()
                .all()
            )
            applied = c.execute(
                select(func.count()).select_from(inbox).where(inbox.c.message_type == "co.issued")
            ).scalar_one()
        assert len(issued) == total and len(set(issued)) == total  # each issued once
        assert dict(sent) == {"ACCEPTED": total}  # each sent, delivered and accepted
        assert sorted(received) == sorted(issued)  # each received once, none lost
        assert applied == total  # each message applied once at the receiver
    finally:
        sg.dispose()
        jp.dispose()
    from tests.production.support import cli

    assert cli("audit", "verify", "--home", str(node.sg.home)).returncode == 0
    assert cli("audit", "verify", "--home", str(node.jp.home)).returncode == 0


@pytest.mark.slow
def test_the_compose_topology_as_processes(tmp_path: Path, pg_url: str) -> None:
    """deploy/compose.yaml's shape without Docker: PostgreSQL, two gateway instances without
    workers (serve --no-worker), one worker process; health, metrics and delivery."""
    import subprocess
    import sys

    import httpx

    total = 20
    node = ScaleNode(tmp_path, pg_url, env={"ORIGINLINK_SERVE_WORKER": "false"})
    worker = None
    try:
        node.start(2)
        first, second = node.instances
        not_ready = httpx.get(first.url + "/health/ready").json()
        assert not_ready["failing"] == ["worker"]  # no worker runs yet
        log = (tmp_path / "worker.log").open("ab")
        worker = subprocess.Popen(
            [sys.executable, "-m", "originlink", "worker", "--home", str(node.sg.home)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        app_ids = node.prepare(total)
        node.issue_all(app_ids)
        node.wait_accepted(total, timeout=120)
        for instance in (first, second):
            ready = httpx.get(instance.url + "/health/ready")
            assert ready.status_code == 200, ready.text
        metrics = httpx.get(second.url + "/metrics").text
        assert (
            f'originlink_certificates_issued_total{{agreement="RCEP",partner="JP"}} {total}.0'
            in metrics
        )
        assert "originlink_outbox_depth 0.0" in metrics
        http = [line for line in metrics.splitlines() if "http_requests_total{" in line]
        # the second instance counts the issue requests it answered (every other one)
        assert any("/issue" in h and 'status="201"' in h and h.endswith(" 10.0") for h in http)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        node.close()
