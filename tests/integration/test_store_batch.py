"""``Store.batch()``: use cases of one thread share one transaction, each as a savepoint, on
SQLite and PostgreSQL. A failing use case leaves nothing of itself (rows, audit records,
after-commit callbacks) and the others commit together, in one commit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from originlink.domain.errors import AlreadyStored
from originlink.store.audit import verify_chain
from originlink.store.core import Store
from originlink.store.exchange_tables import refused_messages
from originlink.store.tables import audit_log

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def _use_case(store: Store, name: str, *, fail: bool = False, woken: list[str]) -> None:
    """One use case: a row, an audit record and an after-commit callback, then maybe a fault."""
    with store.transaction() as tx:
        tx.connection.execute(
            refused_messages.insert().values(
                received_at=T0, caller=name, code="TEST", detail=name, body_bytes=0
            )
        )
        tx.audit.append(
            at=T0, actor="test", action="test.write", entity_type="thing", entity_id=name
        )
        tx.after_commit(lambda: woken.append(name))
        if fail:
            raise Boom(name)


def _callers(store: Store) -> list[str]:
    with store.read() as tx:
        rows = tx.connection.execute(
            select(refused_messages.c.caller).order_by(refused_messages.c.caller)
        )
        return [r.caller for r in rows]


def _audited(store: Store) -> list[str]:
    with store.read() as tx:
        rows = tx.connection.execute(select(audit_log.c.entity_id).order_by(audit_log.c.seq))
        return [r.entity_id for r in rows]


def _commits(store: Store) -> list[int]:
    seen: list[int] = []
    event.listen(store.engine, "commit", lambda _conn: seen.append(1))
    return seen


@pytest.fixture
def store(db_url: str) -> Store:
    return Store(db_url)


def test_a_failed_use_case_leaves_nothing_and_the_others_commit_once(store: Store) -> None:
    woken: list[str] = []
    commits = _commits(store)
    with store.batch():
        _use_case(store, "a", woken=woken)
        with pytest.raises(Boom):
            _use_case(store, "b", fail=True, woken=woken)
        _use_case(store, "c", woken=woken)
        assert woken == []  # nothing is announced before the batch commits
    assert len(commits) == 1
    assert _callers(store) == ["a", "c"]
    assert _audited(store) == ["a", "c"]
    assert woken == ["a", "c"]
    with store.read() as tx:
        assert verify_chain(tx.connection).ok
    store.dispose()


def test_an_exception_leaving_the_batch_rolls_every_use_case_back(store: Store) -> None:
    woken: list[str] = []
    with pytest.raises(Boom), store.batch():
        _use_case(store, "a", woken=woken)
        _use_case(store, "b", woken=woken)
        raise Boom("after both")
    assert _callers(store) == []
    assert _audited(store) == []
    assert woken == []
    # the store is usable afterwards, outside any batch
    _use_case(store, "d", woken=woken)
    assert _callers(store) == ["d"] and woken == ["d"]
    store.dispose()


def test_a_batch_inside_a_batch_is_the_same_batch(store: Store) -> None:
    woken: list[str] = []
    commits = _commits(store)
    with store.batch() as outer:
        with store.batch() as inner:
            assert inner is outer
            _use_case(store, "a", woken=woken)
        _use_case(store, "b", woken=woken)
    assert len(commits) == 1
    assert _callers(store) == ["a", "b"]
    store.dispose()


def test_without_a_batch_each_use_case_commits_alone(store: Store) -> None:
    woken: list[str] = []
    commits = _commits(store)
    _use_case(store, "a", woken=woken)
    with pytest.raises(Boom):
        _use_case(store, "b", fail=True, woken=woken)
    _use_case(store, "c", woken=woken)
    assert len(commits) == 2
    assert _callers(store) == ["a", "c"]
    store.dispose()


def test_a_batch_belongs_to_its_thread(store: Store) -> None:
    """Another thread's use case during a batch is its own transaction, committed on its own
    (on SQLite it waits for the batch's write lock)."""
    woken: list[str] = []
    finished = threading.Event()

    def other() -> None:
        _use_case(store, "other", woken=woken)
        finished.set()

    with store.batch():
        _use_case(store, "mine", woken=woken)
        thread = threading.Thread(target=other)
        thread.start()
        if store.is_sqlite:
            assert not finished.wait(0.3)  # blocked behind the batch's write lock
    thread.join(timeout=30)
    assert finished.is_set()
    assert _callers(store) == ["mine", "other"]
    with store.read() as tx:
        count = tx.connection.execute(select(func.count()).select_from(audit_log)).scalar()
        assert count == 2 and verify_chain(tx.connection).ok
    store.dispose()


def test_a_database_error_in_one_use_case_leaves_the_batch_usable(store: Store) -> None:
    """On PostgreSQL a failed statement aborts the whole transaction unless it is rolled back
    to its savepoint: the use cases after it must still run and commit."""
    woken: list[str] = []
    with store.batch():
        _use_case(store, "a", woken=woken)
        with pytest.raises(AlreadyStored), store.transaction() as tx:
            taken = tx.connection.execute(select(func.max(refused_messages.c.id))).scalar()
            tx.connection.execute(
                refused_messages.insert().values(
                    id=taken, received_at=T0, caller="dup", code="TEST", detail="", body_bytes=0
                )
            )
        _use_case(store, "c", woken=woken)
    assert _callers(store) == ["a", "c"]
    assert _audited(store) == ["a", "c"]
    store.dispose()
