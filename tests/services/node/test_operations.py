"""services/node/operations.py: the figures /metrics reports, counted in the database (COs
issued and received per agreement and partner, messages per state, the outbox's depth and
oldest due message, delivery latencies), and whether a worker beat recently."""

from __future__ import annotations

from datetime import timedelta

from originlink.services.node import operations
from originlink.testing.network import Network
from tests.exchange_support import issue


def test_figures_follow_an_exchange(net: Network) -> None:
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issue(sg)
    net.advance(timedelta(seconds=30))
    queued = operations.figures(sg.node)
    assert queued.issued == {("RCEP", "JP"): 1}
    assert queued.outbox_depth == 1 and queued.messages[("outbound", "QUEUED")] == 1
    assert queued.oldest_due_age_seconds == 30
    net.drain()
    done = operations.figures(sg.node)
    assert done.outbox_depth == 0 and done.oldest_due_age_seconds == 0
    assert done.dead_letters == 0 and done.cases_open == 0 and done.cases_overdue == 0
    assert operations.figures(jp.node).received == {("RCEP", "SG-CUSTOMS"): 1}
    assert operations.delivery_latencies(sg.node) == [30.0]
    net.advance(timedelta(hours=2))
    assert operations.delivery_latencies(sg.node) == []  # only the last hour


def test_the_worker_problem_names_a_missing_or_stale_heartbeat(net: Network) -> None:
    node = net["SG-CUSTOMS"].node
    assert "has ever run" in (operations.worker_problem(node, timedelta(seconds=60)) or "")
    with node.store.transaction() as tx:
        tx.operations.beat("w-1", "host-a", node.now())
    assert operations.worker_problem(node, timedelta(seconds=60)) is None
    net.advance(timedelta(seconds=90))
    assert "90 s old" in (operations.worker_problem(node, timedelta(seconds=60)) or "")
