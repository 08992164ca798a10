"""SQLite write transactions: each takes the write lock at its start, waits for it while another
writer holds it, and reports a lock held too long as a retryable error with nothing saved."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from originlink.domain.errors import RetryableError
from originlink.store import db
from originlink.store.core import Store
from originlink.store.tables import users
from tests.dbs import sqlite_url


def _trace(store: Store) -> list[str]:
    statements: list[str] = []
    with store.engine.connect() as conn:
        conn.connection.driver_connection.set_trace_callback(statements.append)  # type: ignore[union-attr]
    return statements


def test_a_write_transaction_begins_immediate_and_a_read_does_not(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path))
    statements = _trace(store)
    with store.transaction() as tx:
        tx.connection.execute(select(func.count()).select_from(users))
    with store.read() as tx:
        tx.connection.execute(select(func.count()).select_from(users))
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"]
    store.dispose()


def test_a_writer_waits_for_the_lock_another_process_holds(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path))
    holder = sqlite3.connect(tmp_path / "node.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.2, holder.execute, args=("COMMIT",))
    release.start()
    started = time.monotonic()
    with store.transaction() as tx:
        tx.connection.execute(select(func.count()).select_from(users))
    assert time.monotonic() - started >= 0.15
    release.join()
    holder.close()
    store.dispose()


def test_a_lock_held_past_the_wait_is_retryable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(sqlite_url(tmp_path))
    monkeypatch.setattr(db, "_WRITE_LOCK_WAIT", 0.05)
    holder = sqlite3.connect(tmp_path / "node.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    ran = False
    with pytest.raises(RetryableError, match="busy"), store.transaction():
        ran = True
    assert not ran
    holder.execute("COMMIT")
    holder.close()
    store.dispose()
