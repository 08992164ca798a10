"""The audit chain detects any change to any record, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, update

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
