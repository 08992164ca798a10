"""services/messaging/refusals.py: unauthenticated refusals are kept as samples (the first of
each kind a minute) and otherwise only counted, one row per kind once the minute is over;
refusals of an authenticated partner are always kept in full."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from originlink.bootstrap import WorkerThread
from originlink.services.messaging import refusals
from originlink.services.messaging.receipts import record_refusal
from originlink.testing.network import Network
from tests.services.fakes import FakeStorage
from tests.services.support import node_on

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_first_of_each_kind_are_kept_the_rest_counted_per_minute() -> None:
    counter = refusals.RefusalCounter(2)
    kept = [counter.note(T0, "HTTPSIG_MISSING", f"10.0.0.{n}", 100)[0] for n in range(5)]
    assert kept == [True, True, False, False, False]
    assert counter.note(T0, "HTTPSIG_UNKNOWN_KEY", "10.0.0.1", 5)[0] is True  # another kind
    assert counter.pending() == 3
    assert counter.close_due(T0 + timedelta(seconds=59)) == []
    keep, closed = counter.note(T0 + timedelta(seconds=60), "HTTPSIG_MISSING", "10.9.9.9", 1)
    assert keep is True  # a new minute: samples again
    [counted] = closed
    assert (counted.code, counted.count, counted.body_bytes, counted.addresses) == (
        "HTTPSIG_MISSING",
        3,
        300,
        3,
    )
    row = counted.row()
    assert row["count"] == 3 and row["received_at"] == T0
    assert row["detail"].startswith("3 more refusals HTTPSIG_MISSING between")


def test_a_flood_costs_bounded_memory_and_a_bounded_row() -> None:
    counter = refusals.RefusalCounter(0)
    for n in range(3000):
        counter.note(T0, "INPUT_TOO_LARGE", f"10.{n // 256}.{n % 256}.1", 8_000_000)
    [counted] = counter.close_due(T0, force=True)
    assert counted.count == 3000 and counted.addresses == 1000
    row = counted.row()
    assert row["body_bytes"] == 2**31 - 1 and "1,000+ address(es)" in row["detail"]


def test_records_are_sampled_for_the_unauthenticated_and_full_for_partners() -> None:
    storage = FakeStorage()
    node = node_on(storage)
    node.settings = replace(node.settings, g2g_refused_samples_per_minute=1)
    for _ in range(4):
        record_refusal(node, code="HTTPSIG_MISSING", detail="unsigned", remote="10.0.0.1")
        record_refusal(node, code="MSG_NOT_FOR_US", detail="x", caller="JP-CUSTOMS")
    rows = storage.committed.refused
    assert [r["code"] for r in rows].count("HTTPSIG_MISSING") == 1
    assert [r["code"] for r in rows].count("MSG_NOT_FOR_US") == 4
    assert refusals.counter(node).pending() == 3
    node.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert refusals.flush_due(node) == 0
    counted = [r for r in storage.committed.refused if r["count"] > 1]
    assert [(r["code"], r["count"]) for r in counted] == [("HTTPSIG_MISSING", 3)]
    assert refusals.counter(node).pending() == 0


def test_each_node_counts_on_its_own() -> None:
    first, second = node_on(FakeStorage()), node_on(FakeStorage())
    assert refusals.counter(first) is refusals.counter(first)
    assert refusals.counter(first) is not refusals.counter(second)


def test_counts_not_yet_written_are_written_when_the_server_stops(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    jp.settings = replace(jp.settings, g2g_refused_samples_per_minute=0)
    for _ in range(7):
        record_refusal(jp, code="HTTPSIG_MISSING", detail="unsigned", remote="10.0.0.1")
    with jp.store.read() as tx:
        assert tx.refused.search()[1] == 0  # only counted so far
    WorkerThread(jp).stop()  # the server's shutdown
    with jp.store.read() as tx:
        [row] = tx.refused.search()[0]
    assert (row["code"], row["count"]) == ("HTTPSIG_MISSING", 7)
