"""A unit of work kept in memory, as cosmicpython's ``FakeUnitOfWork``: use cases of
``services/node`` (users and API tokens, partners, the audit log) and the message log's
readers run against it exactly as against the SQL store, so a service test can show what a use
case does without a database, and the same test can run on both (``tests/services/node``).

:class:`FakeStorage` satisfies ``originlink.services.unit_of_work.Storage`` and
:class:`FakeUnitOfWork` ``UnitOfWork``:

* a transaction works on a copy of the tables and replaces them only when its block ends
  without an exception (commit); an exception discards the copy (rollback);
* audit records are chained into the log at commit only, as :class:`~originlink.store.audit.
  AuditLog` does, and a rolled-back transaction appends nothing;
* ``after_commit`` callbacks run after a commit, never after a rollback;
* ``read()`` gives a unit of work whose writes are never kept;
* ``batch()`` is one transaction whose use cases are savepoints: a failed one leaves nothing
  of itself (rows, audit records, callbacks) and the others commit together;
* a second row with the same key raises :class:`~originlink.domain.errors.AlreadyStored`, as
  the store's unique keys do.

Repositories it does not keep (applications, certificates, the ledger, …) are attributes that
raise at once, naming what is missing, so a test never passes by reaching an empty stand-in.
"""

from __future__ import annotations

import copy
import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NoReturn

from originlink.domain.errors import AlreadyStored
from originlink.store.audit import GENESIS, ChainReport, digest_of
from originlink.store.repos.checkpoints import StoredCheckpoint
from originlink.store.repos.inbox import InboxMessage, ReceivedEntry
from originlink.store.repos.outbox import OutboxMessage, SentEntry
from originlink.store.repos.partners import PartnerRecord
from originlink.store.repos.users import TokenRecord, UserRecord


class RepositoryNotKept(LookupError):
    """A use case asked the fake unit of work for a repository it does not keep: the test
    must run that use case on the SQL store (a test-setup error, never a passing test)."""


@dataclass
class Tables:
    """Everything a :class:`FakeStorage` holds; a transaction works on a deep copy."""

    users: dict[str, UserRecord] = field(default_factory=dict)
    tokens: dict[str, TokenRecord] = field(default_factory=dict)
    partners: dict[str, PartnerRecord] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)
    outbox: dict[str, OutboxMessage] = field(default_factory=dict)
    inbox: dict[str, InboxMessage] = field(default_factory=dict)
    refused: list[dict[str, Any]] = field(default_factory=list)
    checkpoints: dict[int, StoredCheckpoint] = field(default_factory=dict)
    partner_checkpoints: dict[str, StoredCheckpoint] = field(default_factory=dict)


class _Working:
    """The tables one unit of work sees (swapped whole when a savepoint rolls back)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables


class FakeUsers:
    """``store.repos.users.Users`` in memory (username and token prefix are unique keys)."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def add(self, record: UserRecord) -> None:
        users = self._w.tables.users
        if record.id in users or any(u.username == record.username for u in users.values()):
            raise AlreadyStored("a record with the same key is already stored")
        users[record.id] = record

    def get(self, user_id: str) -> UserRecord | None:
        return self._w.tables.users.get(user_id)

    def by_username(self, username: str) -> UserRecord | None:
        return next((u for u in self._w.tables.users.values() if u.username == username), None)

    def list(self, *, limit: int, offset: int) -> list[UserRecord]:
        ordered = sorted(self._w.tables.users.values(), key=lambda u: u.username)
        return ordered[offset : offset + limit]

    def count(self) -> int:
        return len(self._w.tables.users)

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        users = self._w.tables.users
        if user_id in users:
            users[user_id] = replace(users[user_id], disabled=disabled)

    def add_token(
        self,
        *,
        token_id: str,
        user_id: str,
        prefix: str,
        token_hash: str,
        label: str | None,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> None:
        tokens = self._w.tables.tokens
        if prefix in tokens or any(t.id == token_id for t in tokens.values()):
            raise AlreadyStored("a record with the same key is already stored")
        tokens[prefix] = TokenRecord(token_id, user_id, prefix, token_hash, expires_at, None)

    def token_by_prefix(self, prefix: str) -> TokenRecord | None:
        return self._w.tables.tokens.get(prefix)

    def revoke_tokens(self, user_id: str, at: datetime) -> int:
        tokens = self._w.tables.tokens
        revoked = 0
        for prefix, token in list(tokens.items()):
            if token.user_id == user_id and token.revoked_at is None:
                tokens[prefix] = replace(token, revoked_at=at)
                revoked += 1
        return revoked


class FakePartners:
    """``store.repos.partners.Partners`` in memory, ordered by participant id."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def upsert(self, record: PartnerRecord) -> None:
        self._w.tables.partners[record.participant_id] = record

    def get(self, participant_id: str) -> PartnerRecord | None:
        return self._w.tables.partners.get(participant_id)

    def all(self) -> list[PartnerRecord]:
        return [self._w.tables.partners[k] for k in sorted(self._w.tables.partners)]

    def for_country(self, country: str, agreement: str | None) -> list[PartnerRecord]:
        return [
            p
            for p in self.all()
            if p.country == country and (agreement is None or agreement in p.agreements)
        ]

    def set_cursor(self, participant_id: str, cursor: int, now: datetime) -> None:
        partners = self._w.tables.partners
        if participant_id in partners:
            partners[participant_id] = replace(
                partners[participant_id], cursor=cursor, updated_at=now
            )

    def remove(self, participant_id: str) -> bool:
        return self._w.tables.partners.pop(participant_id, None) is not None


def _chain_hash(record: dict[str, Any], prev_hash: str) -> str:
    body = {**record, "at": record["at"].isoformat(), "prev_hash": prev_hash}
    body.pop("hash", None)
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class FakeAuditLog:
    """``store.audit.AuditLog`` in memory: records wait in the unit of work and are chained
    (sequence number, previous hash, hash) into the log when it commits."""

    def __init__(self, working: _Working) -> None:
        self._w = working
        self._pending: list[dict[str, Any]] = []

    def append(
        self,
        *,
        at: datetime,
        actor: str,
        action: str,
        entity_type: str,
        entity_id: str,
        before: Any = None,
        after: Any = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._pending.append(
            {
                "at": at,
                "actor": actor,
                "action": action,
                "entity_type": entity_type,
                "entity_id": entity_id,
                "before_digest": digest_of(before),
                "after_digest": digest_of(after),
                "details": json.dumps(details, sort_keys=True, ensure_ascii=False)
                if details
                else None,
            }
        )

    def mark(self) -> int:
        return len(self._pending)

    def undo_to(self, mark: int) -> None:
        del self._pending[mark:]

    def flush(self) -> int:
        log = self._w.tables.audit
        seq, prev = (log[-1]["seq"], log[-1]["hash"]) if log else (0, GENESIS)
        for record in self._pending:
            seq += 1
            row = {**record, "seq": seq, "prev_hash": prev}
            row["hash"] = prev = _chain_hash(row, prev)
            log.append(row)
        self._pending.clear()
        return seq if log else 0

    def records(
        self,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        limit: int = 1000,
        after_seq: int = 0,
    ) -> list[dict[str, Any]]:
        found = [
            dict(r)
            for r in self._w.tables.audit
            if r["seq"] > after_seq
            and (not entity_type or r["entity_type"] == entity_type)
            and (not entity_id or r["entity_id"] == entity_id)
        ]
        return found[:limit]

    def head(self) -> tuple[int, str]:
        log = self._w.tables.audit
        return (log[-1]["seq"], log[-1]["hash"]) if log else (0, GENESIS)

    def hash_at(self, seq: int) -> str | None:
        return next((r["hash"] for r in self._w.tables.audit if r["seq"] == seq), None)

    def verify_chain(self) -> ChainReport:
        prev = GENESIS
        for count, record in enumerate(self._w.tables.audit, start=1):
            if record["seq"] != count:
                return ChainReport(False, count, count, f"record {count} is missing")
            if record["prev_hash"] != prev or _chain_hash(record, prev) != record["hash"]:
                return ChainReport(False, count, record["seq"], "the record was altered")
            prev = record["hash"]
        return ChainReport(True, len(self._w.tables.audit))


class FakeCheckpoints:
    """``store.repos.checkpoints.Checkpoints`` in memory (one per record, oldest first)."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def add(self, *, seq: int, head: str, at: datetime, signature: str) -> bool:
        if seq in self._w.tables.checkpoints:
            return False
        self._w.tables.checkpoints[seq] = StoredCheckpoint("", seq, head, at, signature)
        return True

    def latest(self) -> StoredCheckpoint | None:
        kept = self._w.tables.checkpoints
        return kept[max(kept)] if kept else None

    def all(self) -> list[StoredCheckpoint]:
        return [self._w.tables.checkpoints[s] for s in sorted(self._w.tables.checkpoints)]


class FakePartnerCheckpoints:
    """``store.repos.checkpoints.PartnerCheckpoints`` in memory (one per partner)."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def get(self, participant: str) -> StoredCheckpoint | None:
        return self._w.tables.partner_checkpoints.get(participant)

    def keep(self, checkpoint: StoredCheckpoint) -> bool:
        held = self._w.tables.partner_checkpoints.get(checkpoint.node)
        if held is not None and held.seq >= checkpoint.seq:
            return False
        self._w.tables.partner_checkpoints[checkpoint.node] = checkpoint
        return True

    def all(self) -> list[StoredCheckpoint]:
        kept = self._w.tables.partner_checkpoints
        return [kept[p] for p in sorted(kept)]


class FakeOutbox:
    """The readers and writers of ``store.repos.outbox.Outbox`` that the message log and
    reconciliation use (claiming due messages is the delivery worker's, kept in SQL)."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def add(self, message: OutboxMessage) -> None:
        if message.message_id in self._w.tables.outbox:
            raise AlreadyStored("a record with the same key is already stored")
        self._w.tables.outbox[message.message_id] = message

    def get(self, message_id: str) -> OutboxMessage | None:
        return self._w.tables.outbox.get(message_id)

    def update(
        self, message_id: str, *, expect_claimed_by: str | None = None, **values: Any
    ) -> bool:
        current = self._w.tables.outbox.get(message_id)
        if current is None or (
            expect_claimed_by is not None and current.claimed_by != expect_claimed_by
        ):
            return False
        self._w.tables.outbox[message_id] = current.with_(**values)
        return True

    def search(
        self,
        *,
        status: str | None = None,
        recipient: str | None = None,
        message_type: str | None = None,
        since: datetime | None = None,
        certificate_id: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[OutboxMessage], int]:
        wanted = {
            "status": status,
            "recipient": recipient,
            "message_type": message_type,
            "certificate_id": certificate_id,
        }
        found = [
            m
            for m in self._w.tables.outbox.values()
            if all(not v or getattr(m, k) == v for k, v in wanted.items())
            and (since is None or m.created_at >= since)
        ]
        found.sort(key=lambda m: m.message_id)
        found.sort(key=lambda m: m.created_at, reverse=True)
        return found[offset : offset + limit], len(found)

    def sent_to(self, recipient: str, *, since: datetime | None) -> list[SentEntry]:
        found = [
            m
            for m in self._w.tables.outbox.values()
            if m.recipient == recipient
            and m.route != "pulled"
            and (since is None or m.created_at >= since)
        ]
        found.sort(key=lambda m: m.created_at)
        return [SentEntry(m.message_id, m.message_type, m.status) for m in found]


class FakeInbox:
    """The readers and writers of ``store.repos.inbox.Inbox`` (message id is the key)."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def get(self, message_id: str) -> InboxMessage | None:
        return self._w.tables.inbox.get(message_id)

    def add(self, message: InboxMessage) -> None:
        if message.message_id in self._w.tables.inbox:
            raise AlreadyStored("a record with the same key is already stored")
        self._w.tables.inbox[message.message_id] = message

    def update(self, message_id: str, **values: Any) -> None:
        current = self._w.tables.inbox.get(message_id)
        if current is not None:
            self._w.tables.inbox[message_id] = replace(current, **values)

    def search(
        self,
        *,
        refused: bool | None = None,
        sender: str | None = None,
        message_type: str | None = None,
        since: datetime | None = None,
        refusal_code: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[InboxMessage], int]:
        wanted = {"sender": sender, "message_type": message_type, "refusal_code": refusal_code}
        found = [
            m
            for m in self._w.tables.inbox.values()
            if (refused is None or m.refused == refused)
            and all(not v or getattr(m, k) == v for k, v in wanted.items())
            and (since is None or m.received_at >= since)
        ]
        found.sort(key=lambda m: m.message_id)
        found.sort(key=lambda m: m.received_at, reverse=True)
        return found[offset : offset + limit], len(found)

    def received_from(self, sender: str, *, since: datetime | None) -> list[ReceivedEntry]:
        found = [
            m
            for m in self._w.tables.inbox.values()
            if m.sender == sender and (since is None or m.received_at >= since)
        ]
        found.sort(key=lambda m: m.received_at)
        return [ReceivedEntry(m.message_id, m.message_type, m.status, m.refused) for m in found]


class FakeRefused:
    """``store.repos.refused.Refused`` in memory (newest first, then by insertion)."""

    def __init__(self, working: _Working) -> None:
        self._w = working

    def add(
        self,
        *,
        received_at: datetime,
        code: str,
        detail: str,
        body_bytes: int,
        caller: str | None = None,
        claimed_sender: str | None = None,
        claimed_message_id: str | None = None,
        message_type: str | None = None,
        remote_address: str | None = None,
        excerpt: str | None = None,
        count: int = 1,
    ) -> None:
        rows = self._w.tables.refused
        rows.append(
            {
                "id": len(rows) + 1,
                "received_at": received_at,
                "code": code,
                "detail": detail[:2000],
                "body_bytes": body_bytes,
                "caller": caller,
                "claimed_sender": claimed_sender,
                "claimed_message_id": (claimed_message_id or "")[:64] or None,
                "message_type": (message_type or "")[:32] or None,
                "remote_address": remote_address,
                "excerpt": excerpt[:1000] if excerpt else None,
                "count": count,
            }
        )

    def search(
        self,
        *,
        code: str | None = None,
        since: datetime | None = None,
        sender: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        found = [
            r
            for r in self._w.tables.refused
            if (not code or r["code"] == code)
            and (since is None or r["received_at"] >= since)
            and (not sender or r["claimed_sender"] == sender)
        ]
        found.sort(key=lambda r: (r["received_at"], r["id"]), reverse=True)
        page = found[offset : offset + limit]
        return [{**r, "received_at": r["received_at"].isoformat()} for r in page], len(found)


#: What the fake keeps, by attribute of the unit of work.
KEPT = (
    "users",
    "partners",
    "audit",
    "outbox",
    "inbox",
    "refused",
    "checkpoints",
    "partner_checkpoints",
)


class FakeUnitOfWork:
    """One open (fake) transaction: the repositories above, bound to one copy of the tables."""

    def __init__(self, tables: Tables) -> None:
        self._w = _Working(tables)
        self.users = FakeUsers(self._w)
        self.partners = FakePartners(self._w)
        self.audit = FakeAuditLog(self._w)
        self.outbox = FakeOutbox(self._w)
        self.inbox = FakeInbox(self._w)
        self.refused = FakeRefused(self._w)
        self.checkpoints = FakeCheckpoints(self._w)
        self.partner_checkpoints = FakePartnerCheckpoints(self._w)
        self.callbacks: list[Callable[[], Any]] = []

    @property
    def tables(self) -> Tables:
        return self._w.tables

    def after_commit(self, callback: Callable[[], Any]) -> None:
        self.callbacks.append(callback)

    def _missing(self, name: str) -> NoReturn:
        raise RepositoryNotKept(
            f"FakeUnitOfWork keeps {', '.join(KEPT)} only, not {name}: "
            "run this use case on the SQL store"
        )

    @property
    def applications(self) -> NoReturn:
        self._missing("applications")

    @property
    def certificates(self) -> NoReturn:
        self._missing("certificates")

    @property
    def certificate_lists(self) -> NoReturn:
        self._missing("certificate_lists")

    @property
    def certificate_digests(self) -> NoReturn:
        self._missing("certificate_digests")

    @property
    def certificate_items(self) -> NoReturn:
        self._missing("certificate_items")

    @property
    def declarations(self) -> NoReturn:
        self._missing("declarations")

    @property
    def reviews(self) -> NoReturn:
        self._missing("reviews")

    @property
    def ledger(self) -> NoReturn:
        self._missing("ledger")

    @property
    def utilisation(self) -> NoReturn:
        self._missing("utilisation")

    @property
    def mailbox(self) -> NoReturn:
        self._missing("mailbox")

    @property
    def cases(self) -> NoReturn:
        self._missing("cases")

    @property
    def case_files(self) -> NoReturn:
        self._missing("case_files")

    @property
    def training(self) -> NoReturn:
        self._missing("training")

    @property
    def operations(self) -> NoReturn:
        self._missing("operations")

    @property
    def records(self) -> NoReturn:
        self._missing("records")

    @property
    def web_sessions(self) -> NoReturn:
        self._missing("web_sessions")


class FakeStorage:
    """Where fake units of work come from; ``committed`` holds the tables as last committed
    and ``commits`` counts the commits (a batch is one)."""

    def __init__(self) -> None:
        self.committed = Tables()
        self.commits = 0
        self.disposed = False
        self._lock = threading.Lock()
        self._batches = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[FakeUnitOfWork]:
        joined: FakeUnitOfWork | None = getattr(self._batches, "uow", None)
        if joined is not None:
            with _savepoint(joined):
                yield joined
            return
        with self._lock:
            uow = FakeUnitOfWork(copy.deepcopy(self.committed))
        yield uow  # an exception here leaves ``committed`` as it was: the copy is dropped
        uow.audit.flush()
        with self._lock:
            self.committed = uow.tables
            self.commits += 1
        for callback in uow.callbacks:
            callback()

    @contextmanager
    def read(self) -> Iterator[FakeUnitOfWork]:
        with self._lock:
            tables = copy.deepcopy(self.committed)
        yield FakeUnitOfWork(tables)  # what it writes is never kept

    @property
    def in_batch(self) -> bool:
        return getattr(self._batches, "uow", None) is not None

    @contextmanager
    def batch(self) -> Iterator[FakeUnitOfWork]:
        if self.in_batch:
            yield self._batches.uow
            return
        with self.transaction() as uow:
            self._batches.uow = uow
            try:
                yield uow
            finally:
                self._batches.uow = None

    def watch(self, wake: Callable[[], None], stop: threading.Event) -> None:
        """Nothing else writes to a fake store."""
        stop.wait()

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """One process: the lock is always free."""
        yield True

    def dispose(self) -> None:
        self.disposed = True


@contextmanager
def _savepoint(uow: FakeUnitOfWork) -> Iterator[None]:
    """One use case inside a batch: on an exception, its rows, audit records and callbacks
    are undone and the batch goes on."""
    tables = copy.deepcopy(uow.tables)
    audit_mark = uow.audit.mark()
    callbacks_mark = len(uow.callbacks)
    try:
        yield
    except BaseException:
        uow._w.tables = tables
        uow.audit.undo_to(audit_mark)
        del uow.callbacks[callbacks_mark:]
        raise
