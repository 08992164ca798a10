"""The transactional outbox: messages written in the same transaction as the state change that
causes them, then claimed and sent by delivery workers.

Claiming is safe with several workers: on PostgreSQL with ``FOR UPDATE SKIP LOCKED`` (a row a
worker is claiming is invisible to the others), on SQLite because write transactions are
serial (``BEGIN IMMEDIATE``). A claim is a lease (``claimed_until``): a worker that dies
mid-send leaves the row to be claimed again when the lease ends, and the receiver's idempotency
on ``message_id`` turns that second send into a DUPLICATE with no second effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import outbox
from originlink.store.prepared import PreparedRead, PreparedWrite, PreparedWrites

_SENDABLE = ("QUEUED", "RETRYING", "SENDING")
#: PostgreSQL channel notified when a message is queued (see ``Store.watch``).
QUEUED_CHANNEL = "originlink_outbox"


@dataclass(frozen=True, slots=True)
class SentEntry:
    """One sent message as reconciliation lists it."""

    message_id: str
    message_type: str
    status: str


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    message_id: str
    message_type: str
    recipient: str
    agreement: str | None
    certificate_id: str | None
    correlation_id: str | None
    status: str
    route: str
    envelope: str
    payload: bytes
    attempts: int
    next_attempt_at: datetime
    claimed_by: str | None
    claimed_until: datetime | None
    last_error: str | None
    receipt: str | None
    response: str | None
    loss_report: str | None
    created_at: datetime
    updated_at: datetime

    def summary(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "message_type": self.message_type,
            "recipient": self.recipient,
            "agreement": self.agreement,
            "certificate_id": self.certificate_id,
            "correlation_id": self.correlation_id,
            "status": self.status,
            "route": self.route,
            "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at.isoformat(),
            "last_error": self.last_error,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def with_(self, **changes: Any) -> OutboxMessage:
        return replace(self, **changes)

    @classmethod
    def fresh(
        cls,
        *,
        message_id: str,
        message_type: str,
        recipient: str,
        agreement: str | None,
        certificate_id: str | None,
        correlation_id: str | None,
        status: str,
        route: str,
        envelope: str,
        payload: bytes,
        now: datetime,
        loss_report: str | None = None,
    ) -> OutboxMessage:
        """A row as first written: never claimed, no error, no receipt yet. A message recorded
        as already DELIVERED (an inline answer, a pulled certificate) counts one attempt."""
        return cls(
            message_id=message_id,
            message_type=message_type,
            recipient=recipient,
            agreement=agreement,
            certificate_id=certificate_id,
            correlation_id=correlation_id,
            status=status,
            route=route,
            envelope=envelope,
            payload=payload,
            attempts=1 if status == "DELIVERED" else 0,
            next_attempt_at=now,
            claimed_by=None,
            claimed_until=None,
            last_error=None,
            receipt=None,
            response=None,
            loss_report=loss_report,
            created_at=now,
            updated_at=now,
        )


_FIELDS = list(OutboxMessage.__dataclass_fields__)


def _message(m: Mapping[Any, Any]) -> OutboxMessage:
    return OutboxMessage(**{name: m[name] for name in _FIELDS})


_INSERT = PreparedWrite(outbox.insert(), _FIELDS)
_GET = PreparedRead(select(outbox).where(outbox.c.message_id == bindparam("b_id")), ["b_id"])
_UPDATE = PreparedWrites(update(outbox).where(outbox.c.message_id == bindparam("b_id")))
_RELEASE = PreparedWrites(
    update(outbox).where(
        outbox.c.message_id == bindparam("b_id"), outbox.c.claimed_by == bindparam("b_worker")
    )
)
_UPDATE_CLAIMED = PreparedWrites(
    update(outbox).where(
        outbox.c.message_id == bindparam("b_id"),
        outbox.c.claimed_by == bindparam("b_worker"),
        outbox.c.status == "SENDING",
    )
)


_DUE = and_(
    outbox.c.route != "mailbox",
    or_(
        and_(
            outbox.c.status.in_(("QUEUED", "RETRYING")),
            outbox.c.next_attempt_at <= bindparam("b_now"),
        ),
        and_(outbox.c.status == "SENDING", outbox.c.claimed_until < bindparam("b_now")),
    ),
)
#: Built once: every sender loop asks this several times a second, idle or not.
_ANY_DUE = select(outbox.c.message_id).where(_DUE).limit(1)
_CLAIMABLE = (
    select(outbox.c.message_id)
    .where(_DUE)
    .order_by(outbox.c.next_attempt_at, outbox.c.created_at)
    .limit(bindparam("b_limit"))
)
_CLAIMABLE_SKIP_LOCKED = _CLAIMABLE.with_for_update(skip_locked=True)


class Outbox:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, message: OutboxMessage) -> None:
        _INSERT(self._c, {n: getattr(message, n) for n in _FIELDS})
        if self._c.dialect.name == "postgresql" and message.route != "mailbox":
            # delivered at commit (never for a rolled-back message): wakes idle workers
            self._c.exec_driver_sql(f"NOTIFY {QUEUED_CHANNEL}")

    def get(self, message_id: str) -> OutboxMessage | None:
        row = _GET.first(self._c, {"b_id": message_id})
        return _message(row) if row else None

    def any_due(self, now: datetime) -> bool:
        """Whether a claim would find something (a read: takes no write lock)."""
        row = self._c.execute(_ANY_DUE, {"b_now": now}).first()
        return row is not None

    def claim_due(
        self, *, now: datetime, worker: str, lease_until: datetime, limit: int
    ) -> list[OutboxMessage]:
        """Claim up to ``limit`` messages that are due, or whose previous claim expired."""
        query = _CLAIMABLE_SKIP_LOCKED if self._c.dialect.name == "postgresql" else _CLAIMABLE
        ids = [r.message_id for r in self._c.execute(query, {"b_now": now, "b_limit": limit})]
        if not ids:
            return []
        self._c.execute(
            update(outbox)
            .where(outbox.c.message_id.in_(ids))
            .values(status="SENDING", claimed_by=worker, claimed_until=lease_until, updated_at=now)
        )
        rows = self._c.execute(
            select(outbox)
            .where(outbox.c.message_id.in_(ids))
            .order_by(outbox.c.next_attempt_at, outbox.c.created_at)
        )
        return [_message(r._mapping) for r in rows]

    def update(
        self, message_id: str, *, expect_claimed_by: str | None = None, **values: Any
    ) -> bool:
        """Change a message; with ``expect_claimed_by`` only if that worker still holds it."""
        params = {**values, "b_id": message_id}
        if expect_claimed_by is not None:
            params["b_worker"] = expect_claimed_by
            result = _UPDATE_CLAIMED(self._c, params)
        else:
            result = _UPDATE(self._c, params)
        return bool(result.rowcount)

    def release(self, message_id: str, worker: str, **values: Any) -> bool:
        """Update a message this worker claimed, whatever its status became meanwhile (a
        business response that arrived in the answer may already have decided it)."""
        result = _RELEASE(self._c, {**values, "b_id": message_id, "b_worker": worker})
        return bool(result.rowcount)

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
        conditions = []
        for column, value in (
            (outbox.c.status, status),
            (outbox.c.recipient, recipient),
            (outbox.c.message_type, message_type),
            (outbox.c.certificate_id, certificate_id),
        ):
            if value:
                conditions.append(column == value)
        if since is not None:
            conditions.append(outbox.c.created_at >= since)
        rows = self._c.execute(
            select(outbox)
            .where(*conditions)
            .order_by(outbox.c.created_at.desc(), outbox.c.message_id)
            .limit(limit)
            .offset(offset)
        )
        total = self._c.execute(select(func.count()).select_from(outbox).where(*conditions))
        return [_message(r._mapping) for r in rows], int(total.scalar_one())

    def sent_to(self, recipient: str, *, since: datetime | None) -> list[SentEntry]:
        """What was sent to ``recipient`` (not what it pulled by number), oldest first."""
        query = select(outbox.c.message_id, outbox.c.message_type, outbox.c.status).where(
            outbox.c.recipient == recipient, outbox.c.route != "pulled"
        )
        if since is not None:
            query = query.where(outbox.c.created_at >= since)
        rows = self._c.execute(query.order_by(outbox.c.created_at))
        return [SentEntry(r[0], r[1], r[2]) for r in rows]

    def counts(self, *, recipient: str, since: datetime | None) -> dict[str, dict[str, int]]:
        """Per message type and status: how many messages, for reconciliation."""
        conditions = [outbox.c.recipient == recipient]
        if since is not None:
            conditions.append(outbox.c.created_at >= since)
        rows = self._c.execute(
            select(outbox.c.message_type, outbox.c.status, func.count())
            .where(*conditions)
            .group_by(outbox.c.message_type, outbox.c.status)
        )
        out: dict[str, dict[str, int]] = {}
        for message_type, status, count in rows:
            out.setdefault(message_type, {})[status] = int(count)
        return out

    def pending_count(self) -> int:
        row = self._c.execute(
            select(func.count()).select_from(outbox).where(outbox.c.status.in_(_SENDABLE))
        )
        return int(row.scalar_one())
