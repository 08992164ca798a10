"""The inbox: every message received (or refused), keyed by ``message_id`` for idempotency.

The first outcome of a message is kept with its receipt and business response; a duplicate gets
that same receipt back and causes nothing. Refused traffic (bad signature, unknown sender,
replay, agreement not shared, too large) is kept too and searchable; a refused message id never
gets a positive receipt later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import inbox
from originlink.store.prepared import PreparedRead, PreparedWrite, PreparedWrites


@dataclass(frozen=True, slots=True)
class ReceivedEntry:
    """One received message as reconciliation lists it."""

    message_id: str
    message_type: str
    status: str
    refused: bool


@dataclass(frozen=True, slots=True)
class InboxMessage:
    message_id: str
    message_type: str
    sender: str
    agreement: str | None
    certificate_id: str | None
    status: str
    refused: bool
    refusal_code: str | None
    envelope: str | None
    payload_digest: str | None
    receipt: str | None
    response: str | None
    loss_report: str | None
    received_at: datetime

    def summary(self) -> dict[str, Any]:
        return {
            "message_id": self.message_id,
            "message_type": self.message_type,
            "sender": self.sender,
            "agreement": self.agreement,
            "certificate_id": self.certificate_id,
            "status": self.status,
            "refused": self.refused,
            "refusal_code": self.refusal_code,
            "received_at": self.received_at.isoformat(),
        }


_FIELDS = list(InboxMessage.__dataclass_fields__)


def _message(m: Mapping[Any, Any]) -> InboxMessage:
    values = {name: m[name] for name in _FIELDS}
    values["refused"] = bool(values["refused"])
    return InboxMessage(**values)


_INSERT = PreparedWrite(inbox.insert(), _FIELDS)
_GET = PreparedRead(select(inbox).where(inbox.c.message_id == bindparam("b_id")), ["b_id"])
_UPDATE = PreparedWrites(update(inbox).where(inbox.c.message_id == bindparam("b_id")))


class Inbox:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, message_id: str) -> InboxMessage | None:
        row = _GET.first(self._c, {"b_id": message_id})
        return _message(row) if row else None

    def add(self, message: InboxMessage) -> None:
        _INSERT(self._c, {n: getattr(message, n) for n in _FIELDS})

    def update(self, message_id: str, **values: Any) -> None:
        _UPDATE(self._c, {**values, "b_id": message_id})

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
        conditions = []
        if refused is not None:
            conditions.append(inbox.c.refused == refused)
        for column, value in (
            (inbox.c.sender, sender),
            (inbox.c.message_type, message_type),
            (inbox.c.refusal_code, refusal_code),
        ):
            if value:
                conditions.append(column == value)
        if since is not None:
            conditions.append(inbox.c.received_at >= since)
        rows = self._c.execute(
            select(inbox)
            .where(*conditions)
            .order_by(inbox.c.received_at.desc(), inbox.c.message_id)
            .limit(limit)
            .offset(offset)
        )
        total = self._c.execute(select(func.count()).select_from(inbox).where(*conditions))
        return [_message(r._mapping) for r in rows], int(total.scalar_one())

    def pending_pulls(self, limit: int) -> list[str]:
        """Ids of ``co.notification`` messages whose announced CO is still to be pulled."""
        rows = self._c.execute(
            select(inbox.c.message_id).where(inbox.c.status == "PENDING_PULL").limit(limit)
        )
        return [str(r[0]) for r in rows]

    def received_from(self, sender: str, *, since: datetime | None) -> list[ReceivedEntry]:
        """What ``sender`` sent (applied or refused), oldest first, for reconciliation."""
        query = select(
            inbox.c.message_id, inbox.c.message_type, inbox.c.status, inbox.c.refused
        ).where(inbox.c.sender == sender)
        if since is not None:
            query = query.where(inbox.c.received_at >= since)
        rows = self._c.execute(query.order_by(inbox.c.received_at))
        return [ReceivedEntry(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def counts(self, *, sender: str, since: datetime | None) -> dict[str, dict[str, int]]:
        conditions = [inbox.c.sender == sender]
        if since is not None:
            conditions.append(inbox.c.received_at >= since)
        rows = self._c.execute(
            select(inbox.c.message_type, inbox.c.status, func.count())
            .where(*conditions)
            .group_by(inbox.c.message_type, inbox.c.status)
        )
        out: dict[str, dict[str, int]] = {}
        for message_type, status, count in rows:
            out.setdefault(message_type, {})[status] = int(count)
        return out
