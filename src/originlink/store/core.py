"""The store and its unit of work.

``with store.transaction() as uow:`` opens one database transaction and gives the
:class:`SqlUnitOfWork` that carries every repository bound to it (``uow.certificates``,
``uow.outbox``, ``uow.ledger``, …, each built once, on first use). Everything a use case does
through ``uow`` commits together or not at all (an exception rolls it back). Callbacks
registered with :meth:`SqlUnitOfWork.after_commit` run only once the commit succeeded (e.g. to wake
the delivery worker), never for a rolled-back transaction.

``with store.batch():`` lets several use cases of one thread share one database transaction
(a batch of messages received in one request, the answers to a batch sent): each use case's
``transaction()`` inside it is a savepoint, so each still succeeds or fails on its own, and all
that succeeded commit together. One commit writes the pages the use cases share (index pages,
the audit head, the latest table pages) once instead of once per use case.

Errors leave the store as the project's own tree (see :mod:`originlink.store.db`).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from originlink.domain.errors import StorageUnavailable
from originlink.store.audit import AuditHeadHint, AuditLog
from originlink.store.db import is_lock_timeout, is_sqlite, make_engine, normalise_url
from originlink.store.migrate import upgrade
from originlink.store.repos.applications import Applications
from originlink.store.repos.certificate_digests import CertificateDigests
from originlink.store.repos.certificate_items import CertificateItems
from originlink.store.repos.certificate_lists import CertificateLists
from originlink.store.repos.certificates import Certificates
from originlink.store.repos.checkpoints import Checkpoints, PartnerCheckpoints
from originlink.store.repos.claims import Declarations, Reviews
from originlink.store.repos.inbox import Inbox
from originlink.store.repos.ledger import Ledger, Utilisation
from originlink.store.repos.mailbox import Mailbox
from originlink.store.repos.operations import Operations
from originlink.store.repos.outbox import QUEUED_CHANNEL, Outbox
from originlink.store.repos.partners import Partners
from originlink.store.repos.records import Records
from originlink.store.repos.refused import Refused
from originlink.store.repos.training import Training
from originlink.store.repos.users import Users
from originlink.store.repos.verification import Cases, Files
from originlink.store.repos.web_sessions import WebSessions


class SqlUnitOfWork:
    """One open transaction, with every repository bound to it (built on first use).

    ``connection`` is for store-level tools only (bulk loads in benchmarks, migrations): use
    cases see this object through :class:`originlink.services.unit_of_work.UnitOfWork`, which
    has no connection, only repositories.
    """

    def __init__(self, connection: Connection, audit_hint: AuditHeadHint | None = None) -> None:
        self.connection = connection
        self.audit = AuditLog(connection, audit_hint)
        self._after_commit: list[Callable[[], Any]] = []

    def after_commit(self, callback: Callable[[], Any]) -> None:
        self._after_commit.append(callback)

    @property
    def dialect(self) -> str:
        return self.connection.dialect.name

    @cached_property
    def applications(self) -> Applications:
        return Applications(self.connection)

    @cached_property
    def certificates(self) -> Certificates:
        return Certificates(self.connection)

    @cached_property
    def certificate_lists(self) -> CertificateLists:
        return CertificateLists(self.connection)

    @cached_property
    def certificate_digests(self) -> CertificateDigests:
        return CertificateDigests(self.connection)

    @cached_property
    def certificate_items(self) -> CertificateItems:
        return CertificateItems(self.connection)

    @cached_property
    def declarations(self) -> Declarations:
        return Declarations(self.connection)

    @cached_property
    def reviews(self) -> Reviews:
        return Reviews(self.connection)

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.connection)

    @cached_property
    def utilisation(self) -> Utilisation:
        return Utilisation(self.connection)

    @cached_property
    def inbox(self) -> Inbox:
        return Inbox(self.connection)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.connection)

    @cached_property
    def mailbox(self) -> Mailbox:
        return Mailbox(self.connection)

    @cached_property
    def partners(self) -> Partners:
        return Partners(self.connection)

    @cached_property
    def refused(self) -> Refused:
        return Refused(self.connection)

    @cached_property
    def users(self) -> Users:
        return Users(self.connection)

    @cached_property
    def training(self) -> Training:
        return Training(self.connection)

    @cached_property
    def cases(self) -> Cases:
        return Cases(self.connection)

    @cached_property
    def case_files(self) -> Files:
        return Files(self.connection)

    @cached_property
    def operations(self) -> Operations:
        return Operations(self.connection)

    @cached_property
    def records(self) -> Records:
        return Records(self.connection)

    @cached_property
    def checkpoints(self) -> Checkpoints:
        return Checkpoints(self.connection)

    @cached_property
    def partner_checkpoints(self) -> PartnerCheckpoints:
        return PartnerCheckpoints(self.connection)

    @cached_property
    def web_sessions(self) -> WebSessions:
        return WebSessions(self.connection)


class Store:
    """The node's database: SQLite by default, PostgreSQL when the URL says so."""

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = True,
        pool_size: int = 10,
        sqlite_synchronous: str = "NORMAL",
    ) -> None:
        self.url = normalise_url(url)
        self.engine: Engine = make_engine(
            self.url, pool_size=pool_size, sqlite_synchronous=sqlite_synchronous
        )
        self._audit_hint = AuditHeadHint()
        self._batches = threading.local()
        if migrate:
            upgrade(self.engine)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @contextmanager
    def transaction(self) -> Iterator[SqlUnitOfWork]:
        """A read-write unit of work (inside :meth:`batch`, a savepoint of the batch's)."""
        joined: SqlUnitOfWork | None = getattr(self._batches, "tx", None)
        if joined is not None:
            with _savepoint(joined):
                yield joined
            return
        callbacks: list[Callable[[], Any]]
        try:
            with self.engine.begin() as connection:
                uow = SqlUnitOfWork(connection, self._audit_hint)
                yield uow
                uow.audit.flush()
                callbacks = uow._after_commit
        except OperationalError as exc:
            if is_lock_timeout(exc):
                raise StorageUnavailable("the database is busy; try again") from exc
            raise
        for callback in callbacks:
            callback()

    @property
    def in_batch(self) -> bool:
        """Whether this thread is inside :meth:`batch` (its write transaction is open)."""
        return getattr(self._batches, "tx", None) is not None

    @contextmanager
    def batch(self) -> Iterator[SqlUnitOfWork]:
        """One transaction that this thread's use cases inside the block join, each as a
        savepoint of its own. It commits when the block ends; an exception that leaves the
        block rolls all of them back. A batch inside a batch is the same batch."""
        if self.in_batch:
            yield self._batches.tx
            return
        with self.transaction() as uow:
            self._batches.tx = uow
            try:
                yield uow
            finally:
                self._batches.tx = None

    @contextmanager
    def read(self) -> Iterator[SqlUnitOfWork]:
        """A read-only unit of work (does not take SQLite's write lock)."""
        with self.engine.connect() as raw:
            connection = raw.execution_options(originlink_readonly=True)
            with connection.begin():
                yield SqlUnitOfWork(connection)

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Hold the node-wide lock ``name`` for the block when no other instance holds it.

        PostgreSQL: a session advisory lock (``pg_try_advisory_lock``) on a connection kept for
        the block, so periodic work (deadlines, polling partners) runs in one instance at a
        time however many workers share the database, and a worker that dies releases it with
        its connection. SQLite serves one process per node: the lock is always free."""
        if self.is_sqlite:
            yield True
            return
        key = _lock_key(name)
        with self.engine.connect() as connection:
            got = bool(
                connection.exec_driver_sql("SELECT pg_try_advisory_lock(%s)", (key,)).scalar()
            )
            connection.commit()
            try:
                yield got
            finally:
                if got:
                    connection.exec_driver_sql("SELECT pg_advisory_unlock(%s)", (key,))
                    connection.commit()

    def watch(self, wake: Callable[[], None], stop: threading.Event) -> None:
        """Call ``wake`` whenever another process may have queued a message, until ``stop``.

        PostgreSQL: ``LISTEN`` on the channel the outbox notifies at commit, on a connection
        of its own (re-opened after a failure, waiting with ``stop``). SQLite: the size and
        time of the write-ahead log, looked at every 50 ms — a file's metadata, not a query.
        Either way an idle worker's database look stays at one a second."""
        if self.is_sqlite:
            self._watch_file(wake, stop)
            return
        while not stop.is_set():
            try:
                raw = self.engine.raw_connection()
            except StorageUnavailable:
                stop.wait(5.0)
                continue
            try:
                driver: Any = raw.driver_connection
                driver.autocommit = True
                driver.execute(f"LISTEN {QUEUED_CHANNEL}")
                while not stop.is_set():
                    for _ in driver.notifies(timeout=1.0, stop_after=1):
                        wake()
            except Exception:  # the connection broke: listen again on a new one
                stop.wait(1.0)
            finally:
                raw.invalidate()

    def _watch_file(self, wake: Callable[[], None], stop: threading.Event) -> None:
        path = self.engine.url.database
        if not path or path == ":memory:":
            stop.wait()
            return
        wal = Path(path + "-wal")
        last: tuple[int, int] | None = None
        while not stop.wait(0.05):
            try:
                info = wal.stat()
                seen = (info.st_size, info.st_mtime_ns)
            except OSError:
                seen = None
            if last is not None and seen != last:
                wake()
            last = seen

    def dispose(self) -> None:
        self.engine.dispose()


def _lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for ``name``."""
    digest = hashlib.sha256(b"originlink:" + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def _savepoint(uow: SqlUnitOfWork) -> Iterator[None]:
    """One use case inside a batch: on an exception, its writes, its audit records and its
    after-commit callbacks are undone and the batch goes on."""
    audit_mark = uow.audit.mark()
    callbacks_mark = len(uow._after_commit)
    nested = uow.connection.begin_nested()
    try:
        yield
    except BaseException:
        nested.rollback()
        uow.audit.undo_to(audit_mark)
        del uow._after_commit[callbacks_mark:]
        raise
    nested.commit()


#: The name services used before the repositories were bound to it.
Transaction = SqlUnitOfWork
