"""services/unit_of_work.py: the contract of a unit of work, held by the SQL store (SQLite,
PostgreSQL) and by the in-memory fake of ``tests/services/fakes.py`` alike — every repository
an attribute, everything done in one unit of work kept together or not at all, after-commit
callbacks only after a commit, a taken key as ``AlreadyStored``, a batch of use cases each on
its own. The same test runs on every storage (``storage`` fixture), as cosmicpython's
``test_handlers.py`` does with its ``FakeUnitOfWork``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import AlreadyStored, Conflict
from originlink.services.node import users
from originlink.services.unit_of_work import Storage, UnitOfWork
from originlink.store.repos.users import UserRecord
from tests.services.fakes import FakeStorage, FakeUnitOfWork, RepositoryNotKept
from tests.services.support import node_on

T0 = datetime(2025, 3, 4, 1, 0, tzinfo=UTC)


class Boom(Exception):
    pass


def _user(name: str) -> UserRecord:
    return UserRecord(
        id=f"id-{name}",
        username=name,
        display_name=name,
        role="admin",
        organisation=None,
        disabled=False,
        created_at=T0,
    )


def _write(tx: UnitOfWork, name: str, woken: list[str] | None = None) -> None:
    """What a use case does: a row, an audit record, and something to do once committed."""
    tx.users.add(_user(name))
    tx.audit.append(at=T0, actor="test", action="test.write", entity_type="user", entity_id=name)
    if woken is not None:
        tx.after_commit(lambda: woken.append(name))


def _usernames(storage: Storage) -> list[str]:
    with storage.read() as tx:
        return [u.username for u in tx.users.list(limit=100, offset=0)]


def _audited(storage: Storage) -> list[str]:
    with storage.read() as tx:
        return [r["entity_id"] for r in tx.audit.records(entity_type="user")]


def _protocol_members(protocol: type) -> list[str]:
    return [n for n in vars(protocol) if not n.startswith("_")]


def test_every_member_of_the_protocols_is_there(storage: Storage) -> None:
    for member in _protocol_members(Storage):
        assert member in dir(storage), member
    with storage.transaction() as tx:
        for member in _protocol_members(UnitOfWork):
            assert member in dir(tx), member
    assert {"certificates", "outbox", "ledger", "audit"} <= set(_protocol_members(UnitOfWork))


def test_what_a_unit_of_work_did_is_kept_when_it_ends_well(storage: Storage) -> None:
    with storage.transaction() as tx:
        _write(tx, "alice")
        _write(tx, "bob")
    assert _usernames(storage) == ["alice", "bob"]
    assert _audited(storage) == ["alice", "bob"]
    with storage.read() as tx:
        assert tx.audit.verify_chain().ok
        assert tx.audit.verify_chain().records == 2


def test_an_exception_leaves_nothing_of_the_unit_of_work_and_goes_on_up(
    storage: Storage,
) -> None:
    with storage.transaction() as tx:
        _write(tx, "alice")
    with pytest.raises(Boom), storage.transaction() as tx:
        _write(tx, "bob")
        assert tx.users.by_username("bob") is not None  # seen inside, until it ends
        raise Boom
    assert _usernames(storage) == ["alice"]
    assert _audited(storage) == ["alice"]


def test_after_commit_callbacks_run_once_committed_and_never_after_a_rollback(
    storage: Storage,
) -> None:
    seen_at_callback: list[list[str]] = []

    def look() -> None:
        seen_at_callback.append(_usernames(storage))

    with storage.transaction() as tx:
        _write(tx, "alice")
        tx.after_commit(look)
        assert seen_at_callback == []
    assert seen_at_callback == [["alice"]]  # the commit is visible when the callback runs
    with pytest.raises(Boom), storage.transaction() as tx:
        _write(tx, "bob")
        tx.after_commit(look)
        raise Boom
    assert seen_at_callback == [["alice"]]


def test_a_read_does_not_see_what_an_open_unit_of_work_has_not_committed(
    storage: Storage,
) -> None:
    with storage.transaction() as tx:
        _write(tx, "alice")
        assert _usernames(storage) == []
    assert _usernames(storage) == ["alice"]


def test_a_key_already_taken_is_already_stored_and_the_unit_of_work_keeps_nothing(
    storage: Storage,
) -> None:
    with storage.transaction() as tx:
        _write(tx, "alice")
    with pytest.raises(AlreadyStored) as info, storage.transaction() as tx:
        _write(tx, "carol")
        tx.users.add(_user("alice"))
    assert isinstance(info.value, Conflict) and info.value.http_status == 409
    assert _usernames(storage) == ["alice"]
    assert _audited(storage) == ["alice"]


def test_in_a_batch_a_failed_use_case_leaves_nothing_and_the_others_commit_together(
    storage: Storage,
) -> None:
    node = node_on(storage)
    woken: list[str] = []
    node.hooks.on_message_queued.append(lambda: woken.append("queued"))

    def use_case(name: str) -> Callable[[], None]:
        def run() -> None:
            users.add_user(node, SYSTEM_ACTOR, username=name, role="admin")
            with storage.transaction() as tx:
                tx.after_commit(lambda: woken.append(name))

        return run

    assert not storage.in_batch
    with storage.batch():
        assert storage.in_batch
        use_case("alice")()
        with pytest.raises(Conflict, match="already exists"):
            use_case("alice")()
        use_case("bob")()
        with pytest.raises(Boom), storage.transaction() as tx:
            _write(tx, "carol", woken)
            raise Boom
        with storage.batch() as same:  # a batch inside a batch is the same batch
            _write(same, "dave", woken)
        assert woken == []
        assert _usernames(storage) == []
    assert not storage.in_batch
    assert _usernames(storage) == ["alice", "bob", "dave"]
    assert woken == ["alice", "bob", "dave"]
    with storage.read() as tx:
        assert [r["action"] for r in tx.audit.records()] == ["user.add", "user.add", "test.write"]
        assert tx.audit.verify_chain().ok


def test_an_exception_leaving_a_batch_rolls_every_use_case_back(storage: Storage) -> None:
    woken: list[str] = []
    with pytest.raises(Boom), storage.batch():
        with storage.transaction() as tx:
            _write(tx, "alice", woken)
        raise Boom
    assert _usernames(storage) == []
    assert woken == []


def test_the_fake_counts_commits_and_refuses_what_it_does_not_keep() -> None:
    storage = FakeStorage()
    with storage.batch():
        for name in ("alice", "bob"):
            with storage.transaction() as tx:
                _write(tx, name)
    with storage.transaction() as tx:
        _write(tx, "carol")
    assert storage.commits == 2
    assert sorted(u.username for u in storage.committed.users.values()) == [
        "alice",
        "bob",
        "carol",
    ]
    with storage.read() as tx, pytest.raises(RepositoryNotKept, match="not certificates"):
        _ = tx.certificates
    assert isinstance(tx, FakeUnitOfWork)
    storage.dispose()
    assert storage.disposed
