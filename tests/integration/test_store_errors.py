"""store/db.py: storage errors leave the store only as the project's own error tree, so the
services never import SQLAlchemy (a unique key taken is AlreadyStored, a database that cannot
be reached is StorageUnavailable, which callers may retry)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert

from originlink.domain.errors import AlreadyStored, Conflict, RetryableError, StorageUnavailable
from originlink.store.core import Store
from originlink.store.tables import users

T0 = datetime(2025, 3, 4, tzinfo=UTC)


def _user(user_id: str, username: str) -> dict[str, object]:
    return {
        "id": user_id,
        "username": username,
        "display_name": username,
        "role": "admin",
        "organisation": None,
        "disabled": False,
        "created_at": T0,
    }


def test_a_unique_key_taken_twice_is_already_stored(db_url: str) -> None:
    store = Store(db_url)
    with store.transaction() as tx:
        tx.connection.execute(insert(users).values(**_user("u1", "alice")))
    with pytest.raises(AlreadyStored) as info, store.transaction() as tx:
        tx.connection.execute(insert(users).values(**_user("u2", "alice")))
    assert isinstance(info.value, Conflict) and info.value.http_status == 409
    with store.read() as tx:
        assert tx.users.by_username("alice") is not None  # the first one stays, nothing else
    store.dispose()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_database_that_cannot_be_reached_is_storage_unavailable() -> None:
    store = Store(f"postgresql://nobody@127.0.0.1:{_closed_port()}/none", migrate=False)
    with pytest.raises(StorageUnavailable) as info, store.read() as tx:
        tx.users.by_username("alice")
    assert isinstance(info.value, RetryableError) and info.value.http_status == 503
    assert "cannot be reached" in info.value.detail
    store.dispose()
