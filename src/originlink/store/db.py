"""Engines for SQLite (default) and PostgreSQL (psycopg 3), set up for safe concurrency.

SQLite: WAL journal, a busy timeout, foreign keys on, and every transaction opened with
``BEGIN IMMEDIATE`` (read-only units of work use a plain ``BEGIN``) so two writers never
deadlock on a lock upgrade (the pysqlite driver's own
transaction handling is switched off, as SQLAlchemy documents). ``synchronous=NORMAL`` survives
process crashes and restarts without losing a committed transaction; set
``ORIGINLINK_SQLITE_SYNCHRONOUS=FULL`` for power-loss durability at some cost in speed.
"""

from __future__ import annotations

import os
import sqlite3
import time
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from originlink.domain.errors import ConfigurationError


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        return _sqlite_engine(url)
    if url.startswith("postgresql+psycopg://"):
        return create_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 5},
        )
    raise ConfigurationError(
        f"unsupported database URL {url.split(':', 1)[0]!r}: use sqlite:///PATH or "
        "postgresql://USER@HOST/DB"
    )


#: SQLite's own busy handler backs off up to 100 ms between tries and is not told when the
#: lock frees, so a writer waiting behind another process's short transactions could sleep for
#: hundreds of milliseconds. It is kept short; :func:`_begin_immediate` polls instead, every
#: millisecond, for up to :data:`_WRITE_LOCK_WAIT` seconds.
_BUSY_TIMEOUT_MS = 5
_WRITE_LOCK_WAIT = 60.0


def _begin_immediate(connection: Any) -> None:
    """``BEGIN IMMEDIATE`` on the driver's connection itself: it opens every write transaction,
    and going through SQLAlchemy's statement execution would cost more than SQLite's own work.
    A lock still held after :data:`_WRITE_LOCK_WAIT` is SQLAlchemy's ``OperationalError``, as
    any failed statement would be, so :meth:`Store.transaction` reports it as retryable."""
    driver = connection.connection.driver_connection
    deadline = time.monotonic() + _WRITE_LOCK_WAIT
    while True:
        try:
            driver.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
            time.sleep(0.001)


def _sqlite_engine(url: str) -> Engine:
    synchronous = os.environ.get("ORIGINLINK_SQLITE_SYNCHRONOUS", "NORMAL").upper()
    if synchronous not in {"OFF", "NORMAL", "FULL", "EXTRA"}:
        raise ConfigurationError(f"ORIGINLINK_SQLITE_SYNCHRONOUS={synchronous} is not valid")
    in_memory = url in {"sqlite://", "sqlite:///:memory:"}
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": _BUSY_TIMEOUT_MS / 1000}
    }
    if not in_memory:
        kwargs["poolclass"] = NullPool if os.environ.get("ORIGINLINK_SQLITE_NULLPOOL") else None
        if kwargs["poolclass"] is None:
            del kwargs["poolclass"]
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get("originlink_readonly", False)
        if readonly:
            connection.exec_driver_sql("BEGIN")
            return
        _begin_immediate(connection)

    return engine
