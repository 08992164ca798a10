"""The unit of work as use cases see it: one transaction and the repositories bound to it.

A use case opens ``with node.store.transaction() as uow:`` (or ``read()`` for a read-only
look) and reaches every table through the repository attributes (``uow.certificates``,
``uow.outbox``, ``uow.ledger``, …): it never builds a repository, never sees a connection or
SQL, and meets storage failures only as the project's own errors
(:class:`~originlink.domain.errors.AlreadyStored`,
:class:`~originlink.domain.errors.StorageUnavailable`). Everything done through one unit of
work commits together or not at all; :meth:`UnitOfWork.after_commit` callbacks run only after
a successful commit.

The SQL implementation is :class:`originlink.store.core.SqlUnitOfWork`; tests may pass any
object with the same shape (``tests/services/fakes.py`` keeps repositories in memory), as
cosmicpython's ``FakeUnitOfWork`` does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol

from originlink.store.audit import AuditLog
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
from originlink.store.repos.outbox import Outbox
from originlink.store.repos.partners import Partners
from originlink.store.repos.records import Records
from originlink.store.repos.refused import Refused
from originlink.store.repos.training import Training
from originlink.store.repos.users import Users
from originlink.store.repos.verification import Cases, Files
from originlink.store.repos.web_sessions import WebSessions


class UnitOfWork(Protocol):
    """One open transaction with every repository bound to it."""

    @property
    def audit(self) -> AuditLog: ...
    @property
    def applications(self) -> Applications: ...
    @property
    def certificates(self) -> Certificates: ...
    @property
    def certificate_lists(self) -> CertificateLists: ...
    @property
    def certificate_digests(self) -> CertificateDigests: ...
    @property
    def certificate_items(self) -> CertificateItems: ...
    @property
    def declarations(self) -> Declarations: ...
    @property
    def reviews(self) -> Reviews: ...
    @property
    def ledger(self) -> Ledger: ...
    @property
    def utilisation(self) -> Utilisation: ...
    @property
    def inbox(self) -> Inbox: ...
    @property
    def outbox(self) -> Outbox: ...
    @property
    def mailbox(self) -> Mailbox: ...
    @property
    def partners(self) -> Partners: ...
    @property
    def refused(self) -> Refused: ...
    @property
    def users(self) -> Users: ...
    @property
    def training(self) -> Training: ...
    @property
    def cases(self) -> Cases: ...
    @property
    def case_files(self) -> Files: ...
    @property
    def operations(self) -> Operations: ...
    @property
    def records(self) -> Records: ...
    @property
    def checkpoints(self) -> Checkpoints: ...
    @property
    def partner_checkpoints(self) -> PartnerCheckpoints: ...
    @property
    def web_sessions(self) -> WebSessions: ...

    def after_commit(self, callback: Callable[[], Any]) -> None:
        """Run ``callback`` once the transaction has committed (never after a rollback)."""


class Storage(Protocol):
    """Where units of work come from (the node's database)."""

    def transaction(self) -> AbstractContextManager[UnitOfWork]:
        """A read-write unit of work (inside :meth:`batch`, a savepoint of the batch)."""

    def read(self) -> AbstractContextManager[UnitOfWork]:
        """A read-only unit of work."""

    def batch(self) -> AbstractContextManager[UnitOfWork]:
        """One transaction that this thread's use cases inside the block join."""

    @property
    def in_batch(self) -> bool:
        """Whether this thread is inside :meth:`batch`."""

    def exclusive(self, name: str) -> AbstractContextManager[bool]:
        """Hold the node-wide lock ``name`` for the block if no other instance holds it
        (yields True), else yield False at once (a PostgreSQL advisory lock; on SQLite, one
        process per node, always True)."""

    def watch(self, wake: Callable[[], None], stop: threading.Event) -> None:
        """Call ``wake`` when another process may have queued a message, until ``stop``."""

    def dispose(self) -> None:
        """Close the database connections."""
