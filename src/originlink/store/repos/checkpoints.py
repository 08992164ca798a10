"""Audit checkpoints: the node's own signed checkpoints, and the latest one each partner sent.

Rows hold the checkpoint as it was signed (``seq``, ``head``, ``at``, ``signature``), so that a
stored checkpoint can be verified again and handed to anyone (``audit partner-checkpoints``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import partner_checkpoints
from originlink.store.tables import audit_checkpoints


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A checkpoint as kept: whose (``node``), record, head, time, signature."""

    node: str
    seq: int
    head: str
    at: datetime
    signature: str
    received_at: datetime | None = None
    message_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The checkpoint's members (what was signed, and the signature)."""
        return {
            "node": self.node,
            "seq": self.seq,
            "head": self.head,
            "at": self.at.astimezone(UTC).isoformat(timespec="milliseconds"),
            "signature": self.signature,
        }


class Checkpoints:
    """This node's checkpoints (their ``node`` is left empty: the store does not know whose
    node it is; the service that reads them does)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, *, seq: int, head: str, at: datetime, signature: str) -> bool:
        """Keep a checkpoint; False when one for that record is kept already (nothing changes)."""
        if self._c.execute(
            select(audit_checkpoints.c.seq).where(audit_checkpoints.c.seq == seq)
        ).first():
            return False
        self._c.execute(
            audit_checkpoints.insert(), {"seq": seq, "head": head, "at": at, "signature": signature}
        )
        return True

    def latest(self) -> StoredCheckpoint | None:
        row = self._c.execute(
            select(audit_checkpoints).order_by(audit_checkpoints.c.seq.desc()).limit(1)
        ).first()
        return self._of(row) if row is not None else None

    def all(self) -> list[StoredCheckpoint]:
        rows = self._c.execute(select(audit_checkpoints).order_by(audit_checkpoints.c.seq))
        return [self._of(row) for row in rows]

    @staticmethod
    def _of(row: Any) -> StoredCheckpoint:
        return StoredCheckpoint("", int(row.seq), row.head, row.at, row.signature)


class PartnerCheckpoints:
    """The latest checkpoint received from each partner (one row per partner)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, participant: str) -> StoredCheckpoint | None:
        row = self._c.execute(
            select(partner_checkpoints).where(partner_checkpoints.c.participant_id == participant)
        ).first()
        return _partner(row) if row is not None else None

    def keep(self, checkpoint: StoredCheckpoint) -> bool:
        """Keep the partner's checkpoint unless one of a later record is held: one atomic
        upsert, so two messages of the same partner received at once cannot both insert.
        True when it was kept."""
        table = partner_checkpoints
        values = {
            "participant_id": checkpoint.node,
            "seq": checkpoint.seq,
            "head": checkpoint.head,
            "at": checkpoint.at,
            "signature": checkpoint.signature,
            "received_at": checkpoint.received_at,
            "message_id": checkpoint.message_id,
        }
        insert = pg_insert if self._c.dialect.name == "postgresql" else sqlite_insert
        statement = insert(table).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.participant_id],
            set_={k: statement.excluded[k] for k in values if k != "participant_id"},
            where=table.c.seq < statement.excluded.seq,
        )
        return self._c.execute(statement.returning(table.c.seq)).first() is not None

    def all(self) -> list[StoredCheckpoint]:
        rows = self._c.execute(
            select(partner_checkpoints).order_by(partner_checkpoints.c.participant_id)
        )
        return [_partner(row) for row in rows]


def _partner(row: Any) -> StoredCheckpoint:
    return StoredCheckpoint(
        row.participant_id,
        int(row.seq),
        row.head,
        row.at,
        row.signature,
        row.received_at,
        row.message_id,
    )
