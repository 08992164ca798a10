"""Mailboxes: messages waiting to be pulled by a participant, read with a cursor (``seq``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import mailbox


@dataclass(frozen=True, slots=True)
class MailboxEntry:
    seq: int
    message_id: str
    recipient: str
    sender: str
    message_type: str
    envelope: str
    payload: bytes
    state: str
    created_at: datetime


_EXISTS = select(mailbox.c.seq).where(mailbox.c.message_id == bindparam("b_id"))


class Mailbox:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def put(
        self,
        *,
        message_id: str,
        recipient: str,
        sender: str,
        message_type: str,
        envelope: str,
        payload: bytes,
        now: datetime,
    ) -> bool:
        """Add a message; False (and nothing added) when the message id is already there."""
        exists = self._c.execute(_EXISTS, {"b_id": message_id}).first()
        if exists is not None:
            return False
        self._c.execute(
            mailbox.insert().values(
                message_id=message_id,
                recipient=recipient,
                sender=sender,
                message_type=message_type,
                envelope=envelope,
                payload=payload,
                state="WAITING",
                created_at=now,
                updated_at=now,
            )
        )
        return True

    def since(self, recipient: str, cursor: int, limit: int) -> list[MailboxEntry]:
        rows = self._c.execute(
            select(mailbox)
            .where(mailbox.c.recipient == recipient, mailbox.c.seq > cursor)
            .order_by(mailbox.c.seq)
            .limit(limit)
        )
        return [
            MailboxEntry(
                r.seq,
                r.message_id,
                r.recipient,
                r.sender,
                r.message_type,
                r.envelope,
                r.payload,
                r.state,
                r.created_at,
            )
            for r in rows
        ]

    def mark(self, message_id: str, state: str, now: datetime) -> None:
        self._c.execute(
            update(mailbox)
            .where(mailbox.c.message_id == message_id)
            .values(state=state, updated_at=now)
        )

    def get(self, message_id: str) -> MailboxEntry | None:
        r = self._c.execute(select(mailbox).where(mailbox.c.message_id == message_id)).first()
        if r is None:
            return None
        return MailboxEntry(
            r.seq,
            r.message_id,
            r.recipient,
            r.sender,
            r.message_type,
            r.envelope,
            r.payload,
            r.state,
            r.created_at,
        )
