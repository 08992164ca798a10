"""The audit chain detects any change to any record, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, event, update

from originlink.store.audit import verify_chain
from originlink.store.core import Store
from originlink.store.tables import audit_log

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _fill(store: Store, count: int = 5) -> None:
    for i in range(count):
        with store.transaction() as tx:
            tx.audit.append(
                at=T0 + timedelta(seconds=i),
                actor="issuing_officer:ann",
                action="certificate.issue",
                entity_type="certificate",
                entity_id=f"c{i}",
                before=None,
                after={"n": i},
                details={"via": "test"},
            )


def test_an_untouched_chain_verifies(db_url: str) -> None:
    store = Store(db_url)
    _fill(store)
    with store.read() as tx:
        report = verify_chain(tx.connection)
    assert report.ok and report.records == 5
    store.dispose()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor", "admin:mallory"),
        ("action", "certificate.cancel"),
        ("entity_id", "c999"),
        ("before_digest", "0" * 64),
        ("after_digest", "f" * 64),
        ("details", '{"via":"forged"}'),
        ("at", datetime(2020, 1, 1, tzinfo=UTC)),
        ("hash", "a" * 64),
        ("prev_hash", "b" * 64),
    ],
)
def test_tampering_with_any_field_names_the_record(db_url: str, column: str, value: object) -> None:
    store = Store(db_url)
    _fill(store)
    with store.transaction() as tx:
        tx.connection.execute(update(audit_log).where(audit_log.c.seq == 3).values({column: value}))
    with store.read() as tx:
        report = verify_chain(tx.connection)
    assert not report.ok
    assert report.first_broken_seq in {3, 4}
    if column not in {"hash"}:
        assert report.first_broken_seq == 3
    store.dispose()


def test_removing_a_middle_record_is_detected(db_url: str) -> None:
    store = Store(db_url)
    _fill(store)
    with store.transaction() as tx:
        tx.connection.execute(delete(audit_log).where(audit_log.c.seq == 2))
    with store.read() as tx:
        report = verify_chain(tx.connection)
    assert not report.ok and report.first_broken_seq == 2
    assert "missing" in (report.reason or "")
    store.dispose()


def test_removing_the_last_records_is_detected(db_url: str) -> None:
    store = Store(db_url)
    _fill(store)
    with store.transaction() as tx:
        tx.connection.execute(delete(audit_log).where(audit_log.c.seq >= 4))
    with store.read() as tx:
        report = verify_chain(tx.connection)
    assert not report.ok and report.first_broken_seq == 4
    store.dispose()


def test_a_rolled_back_transaction_leaves_no_audit_record(db_url: str) -> None:
    store = Store(db_url)
    _fill(store, 2)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.audit.append(at=T0, actor="x", action="y", entity_type="z", entity_id="1")
        raise RuntimeError("use case failed")
    with store.read() as tx:
        report = verify_chain(tx.connection)
    assert report.ok and report.records == 2
    store.dispose()


def test_two_processes_appending_in_turn_keep_one_chain(db_url: str) -> None:
    """Each store guesses the head it wrote last; the other store's appends make that guess
    stale, and the chain must still come out whole and in order."""
    first, second = Store(db_url), Store(db_url, migrate=False)
    for _ in range(3):
        _fill(first, 2)
        _fill(second, 1)
    with first.read() as tx:
        report = verify_chain(tx.connection)
    assert report.ok and report.records == 9
    first.dispose()
    second.dispose()


def test_a_commit_that_fails_after_the_audit_flush_leaves_a_whole_chain(db_url: str) -> None:
    """The flush moved this process's guess of the head, then the transaction rolled back: the
    next append finds the guess stale and chains after the head actually stored."""
    store = Store(db_url)
    _fill(store, 2)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.audit.append(at=T0, actor="x", action="y", entity_type="z", entity_id="1")
        tx.audit.flush()
        raise RuntimeError("commit failed")
    _fill(store, 2)
    with store.read() as tx:
        report = verify_chain(tx.connection)
    assert report.ok and report.records == 4
    store.dispose()


def test_a_process_that_wrote_the_head_does_not_read_it_again(db_url: str) -> None:
    """The head a store wrote last is its guess for the next append: one statement fewer in
    every transaction that audits something."""
    store = Store(db_url)
    _fill(store, 1)
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    _fill(store, 1)
    event.remove(store.engine, "before_cursor_execute", record)
    audit_statements = [s for s in statements if "audit_head" in s or "audit_log" in s]
    assert len(audit_statements) == 2, audit_statements
    assert not any(s.lstrip().upper().startswith("SELECT") for s in audit_statements)
    store.dispose()


def test_first_records_appended_at_once_by_several_transactions_make_one_chain(
    db_url: str,
) -> None:
    """An empty chain has no head yet: transactions that start it together must not fail on
    the head's key (PostgreSQL lets them race; SQLite serialises writers)."""
    import threading

    stores = [Store(db_url) for _ in range(4)]
    # on SQLite a write transaction holds the lock from its start: they can only take turns
    ready = threading.Barrier(1 if stores[0].is_sqlite else len(stores))
    errors: list[BaseException] = []

    def append(store: Store, n: int) -> None:
        try:
            with store.transaction() as tx:
                ready.wait(timeout=10)
                tx.audit.append(
                    at=datetime(2025, 1, 1, tzinfo=UTC),
                    actor="test",
                    action="test.first",
                    entity_type="thing",
                    entity_id=str(n),
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with stores[0].read() as tx:
        report = verify_chain(tx.connection)
    assert report.ok and report.records == 4
    for store in stores:
        store.dispose()
