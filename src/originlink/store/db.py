"""Engines for SQLite (default) and PostgreSQL (psycopg 3), set up for safe concurrency.

SQLite: WAL journal, a busy timeout, foreign keys on, and every transaction opened with
``BEGIN IMMEDIATE`` (read-only units of work use a plain ``BEGIN``) so two writers never
deadlock on a lock upgrade (the pysqlite driver's own
transaction handling is switched off, as SQLAlchemy documents). ``synchronous=NORMAL`` survives
process crashes and restarts without losing a committed transaction; the node's configuration
(``sqlite_synchronous = "FULL"``) buys power-loss durability at some cost in speed.

Errors leave the store only as the project's own tree (:func:`translate_errors`): a unique key
violated is :class:`~originlink.domain.errors.AlreadyStored`, a database that cannot be reached
or stays locked is :class:`~originlink.domain.errors.StorageUnavailable` (retryable).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from originlink.domain.errors import AlreadyStored, ConfigurationError, StorageUnavailable

#: The values SQLite's ``synchronous`` pragma accepts.
SQLITE_SYNCHRONOUS = ("OFF", "NORMAL", "FULL", "EXTRA")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, *, pool_size: int = 10, sqlite_synchronous: str = "NORMAL") -> Engine:
    url = normalise_url(url)
    if is_sqlite(url):
        return translate_errors(_sqlite_engine(url, sqlite_synchronous))
    if url.startswith("postgresql+psycopg://"):
        return translate_errors(
            create_engine(
                url,
                pool_size=pool_size,
                max_overflow=pool_size,
                pool_pre_ping=True,
                connect_args={"connect_timeout": 5},
            )
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
    A lock still held after :data:`_WRITE_LOCK_WAIT` is :class:`StorageUnavailable`, which the
    caller may retry."""
    driver = connection.connection.driver_connection
    deadline = time.monotonic() + _WRITE_LOCK_WAIT
    while True:
        try:
            driver.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower():
                raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
            if time.monotonic() > deadline:
                raise StorageUnavailable("the database is busy; try again") from exc
            time.sleep(0.001)


def _sqlite_engine(url: str, synchronous: str) -> Engine:
    synchronous = synchronous.upper()
    if synchronous not in SQLITE_SYNCHRONOUS:
        raise ConfigurationError(
            f"sqlite_synchronous {synchronous!r} is not one of {', '.join(SQLITE_SYNCHRONOUS)}"
        )
    in_memory = url in {"sqlite://", "sqlite:///:memory:"}
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": _BUSY_TIMEOUT_MS / 1000}
    )

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


def is_lock_timeout(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else ""
    return "database is locked" in text or "lock timeout" in text or "deadlock" in text


def _is_unique_violation(exc: IntegrityError) -> bool:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    text = str(orig)
    return "UNIQUE constraint failed" in text or "PRIMARY KEY" in text


def translate_errors(engine: Engine) -> Engine:
    """Raise the project's own errors instead of the driver's, for every statement and every
    connection the engine makes: callers above the store never import SQLAlchemy."""

    @event.listens_for(engine, "handle_error")
    def _translate(context: Any) -> None:
        exc = context.sqlalchemy_exception
        kind = _kind(context)
        for observe in ERROR_OBSERVERS:
            observe(kind)
        if isinstance(exc, IntegrityError) and _is_unique_violation(exc):
            raise AlreadyStored(
                "a record with the same key is already stored", constraint=str(exc.orig)[:200]
            ) from exc
        if isinstance(exc, OperationalError) and is_lock_timeout(exc):
            raise StorageUnavailable("the database is busy; try again") from exc
        if isinstance(exc, DBAPIError) and (
            context.is_disconnect or context.connection is None or _cannot_connect(exc)
        ):
            raise StorageUnavailable(
                f"the database cannot be reached: {_first_line(exc.orig)}"
            ) from exc

    return engine


#: Told the kind of every failed statement (``conflict``, ``unavailable``, ``other``): the
#: composition root counts them in the metrics.
ERROR_OBSERVERS: list[Callable[[str], None]] = []


def _kind(context: Any) -> str:
    exc = context.sqlalchemy_exception
    if isinstance(exc, IntegrityError):
        return "conflict"
    if isinstance(exc, OperationalError) or context.is_disconnect or context.connection is None:
        return "unavailable"
    return "other"


def _cannot_connect(exc: DBAPIError) -> bool:
    text = str(exc.orig).lower()
    return "connection" in text and ("refused" in text or "failed" in text or "closed" in text)


def _first_line(orig: object) -> str:
    return str(orig).strip().splitlines()[0][:200] if str(orig).strip() else type(orig).__name__
