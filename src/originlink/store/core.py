"""The store and its unit of work.

``with store.transaction() as tx:`` opens one database transaction; everything a use case does
through ``tx`` commits together or not at all (an exception rolls it back). Callbacks registered
with :meth:`Transaction.after_commit` run only once the commit succeeded (e.g. to wake the
delivery worker), never for a rolled-back transaction.

``with store.batch():`` lets several use cases of one thread share one database transaction
(a batch of messages received in one request, the answers to a batch sent): each use case's
``transaction()`` inside it is a savepoint, so each still succeeds or fails on its own, and all
that succeeded commit together. One commit writes the pages the use cases share (index pages,
the audit head, the latest table pages) once instead of once per use case.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from originlink.domain.errors import RetryableError
from originlink.store.audit import AuditHeadHint, AuditLog
from originlink.store.db import is_sqlite, make_engine, normalise_url
from originlink.store.migrate import upgrade


class Transaction:
    """One open transaction, with the repositories bound to it."""

    def __init__(self, connection: Connection, audit_hint: AuditHeadHint | None = None) -> None:
        self.connection = connection
        self.audit = AuditLog(connection, audit_hint)
        self._after_commit: list[Callable[[], Any]] = []

    def after_commit(self, callback: Callable[[], Any]) -> None:
        self._after_commit.append(callback)

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name


class Store:
    """The node's database: SQLite by default, PostgreSQL when the URL says so."""

    def __init__(self, url: str, *, migrate: bool = True, pool_size: int = 10) -> None:
        self.url = normalise_url(url)
        self.engine: Engine = make_engine(self.url, pool_size=pool_size)
        self._audit_hint = AuditHeadHint()
        self._batches = threading.local()
        if migrate:
            upgrade(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A read-write unit of work (inside :meth:`batch`, a savepoint of the batch's)."""
        joined: Transaction | None = getattr(self._batches, "tx", None)
        if joined is not None:
            with _savepoint(joined):
                yield joined
            return
        callbacks: list[Callable[[], Any]]
        try:
            with self.engine.begin() as connection:
                tx = Transaction(connection, self._audit_hint)
                yield tx
                tx.audit.flush()
                callbacks = tx._after_commit
        except OperationalError as exc:
            if _is_lock_timeout(exc):
                raise RetryableError("the database is busy; try again") from exc
            raise
        for callback in callbacks:
            callback()

    @property
    def in_batch(self) -> bool:
        """Whether this thread is inside :meth:`batch` (its write transaction is open)."""
        return getattr(self._batches, "tx", None) is not None

    @contextmanager
    def batch(self) -> Iterator[Transaction]:
        """One transaction that this thread's use cases inside the block join, each as a
        savepoint of its own. It commits when the block ends; an exception that leaves the
        block rolls all of them back. A batch inside a batch is the same batch."""
        if self.in_batch:
            yield self._batches.tx
            return
        with self.transaction() as tx:
            self._batches.tx = tx
            try:
                yield tx
            finally:
                self._batches.tx = None

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A read-only unit of work (does not take SQLite's write lock)."""
        with self.engine.connect() as raw:
            connection = raw.execution_options(originlink_readonly=True)
            with connection.begin():
                yield Transaction(connection)

    def dispose(self) -> None:
        self.engine.dispose()


@contextmanager
def _savepoint(tx: Transaction) -> Iterator[None]:
    """One use case inside a batch: on an exception, its writes, its audit records and its
    after-commit callbacks are undone and the batch goes on."""
    audit_mark = tx.audit.mark()
    callbacks_mark = len(tx._after_commit)
    nested = tx.connection.begin_nested()
    try:
        yield
    except BaseException:
        nested.rollback()
        tx.audit.undo_to(audit_mark)
        del tx._after_commit[callbacks_mark:]
        raise
    nested.commit()


def _is_lock_timeout(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else ""
    return "database is locked" in text or "lock timeout" in text or "deadlock" in text
