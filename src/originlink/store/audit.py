"""The audit chain: append-only, each record hashing its content and the previous record's hash.

A record holds who did what to which entity when, and SHA-256 digests of the entity before and
after (of its canonical JSON, RFC 8785). Changing any stored field of any record, removing a
record or reordering records breaks the chain at the first affected record, which
:func:`verify_chain` names. The single ``audit_head`` row is locked while appending, which
serialises appends on PostgreSQL (SQLite's write transactions are serial already).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from originlink.domain.canonical import canonical_bytes
from originlink.store.prepared import PreparedWrite
from originlink.store.tables import audit_head, audit_log

GENESIS = "0" * 64


def digest_of(value: Any) -> str | None:
    """SHA-256 of the RFC 8785 form of a JSON-ready value (None stays None)."""
    if value is None:
        return None
    return hashlib.sha256(canonical_bytes(value)).hexdigest()


def record_hash(record: dict[str, Any], prev_hash: str) -> str:
    """The hash of a record chained after ``prev_hash``: SHA-256 of the RFC 8785 form of its
    fields and the previous hash. Anyone can recompute it, which is why a chain alone cannot
    show a rewrite of its end (see ``domain/checkpoints.py``)."""
    body = {
        "seq": record["seq"],
        "at": record["at"].isoformat(),
        "actor": record["actor"],
        "action": record["action"],
        "entity_type": record["entity_type"],
        "entity_id": record["entity_id"],
        "before_digest": record["before_digest"],
        "after_digest": record["after_digest"],
        "details": record["details"],
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


_HEAD = select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_INSERT = PreparedWrite(
    audit_log.insert(),
    [
        "seq",
        "at",
        "actor",
        "action",
        "entity_type",
        "entity_id",
        "before_digest",
        "after_digest",
        "details",
        "prev_hash",
        "hash",
    ],
)
_MOVE_HEAD = update(audit_head).where(audit_head.c.id == 1)
_MOVE_HEAD_FROM = PreparedWrite(
    update(audit_head).where(
        audit_head.c.id == 1,
        audit_head.c.seq == bindparam("b_seq"),
        audit_head.c.hash == bindparam("b_hash"),
    ),
    ["b_seq", "b_hash", "seq", "hash"],
)


class AuditHeadHint:
    """The chain head this process wrote last, kept between transactions.

    It is only a guess that saves reading the head row: the head moves with an ``UPDATE ...
    WHERE seq = guess AND hash = guess``, and when another process (or a rolled-back
    transaction) made the guess stale, that update changes no row and the head is read and
    locked as usual. A stale guess costs one extra statement, never a wrong chain.
    """

    __slots__ = ("head",)

    def __init__(self) -> None:
        self.head: tuple[int, str] | None = None


class AuditLog:
    """Collects the audit records of one transaction and appends them to the chain when the
    transaction commits (one head update and one insert per transaction, however many records
    it has); a rolled-back transaction appends nothing."""

    def __init__(self, connection: Connection, hint: AuditHeadHint | None = None) -> None:
        self._c = connection
        self._hint = hint or AuditHeadHint()
        self._pending: list[dict[str, Any]] = []

    def last_event_at(self) -> datetime | None:
        """When the latest record of the chain was made (None for an empty chain)."""
        row = self._c.execute(select(func.max(audit_log.c.at))).first()
        return row[0] if row and row[0] is not None else None

    def head(self) -> tuple[int, str]:
        """The committed head of the chain: (last sequence number, its hash); (0, GENESIS)
        for an empty chain."""
        head = self._c.execute(_HEAD).first()
        return (int(head.seq), str(head.hash)) if head is not None else (0, GENESIS)

    def hash_at(self, seq: int) -> str | None:
        """The stored hash of record ``seq`` (None when there is no such record)."""
        row = self._c.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq)).first()
        return str(row.hash) if row is not None else None

    def verify_chain(self) -> ChainReport:
        """Recompute the whole chain as stored (see :func:`verify_chain`)."""
        return verify_chain(self._c)

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
        """A point to come back to with :meth:`undo_to` (a savepoint's start)."""
        return len(self._pending)

    def undo_to(self, mark: int) -> None:
        """Forget the records appended since ``mark`` (the savepoint was rolled back)."""
        del self._pending[mark:]

    def flush(self) -> int:
        """Chain and write the pending records; returns the last sequence number written."""
        if not self._pending:
            return 0
        guess = self._hint.head
        rows: list[dict[str, Any]] = []
        if guess is not None:
            rows = self._chain(*guess)
            moved = _MOVE_HEAD_FROM(
                self._c, {"b_seq": guess[0], "b_hash": guess[1], **self._new_head(rows)}
            ).rowcount
            if not moved:
                rows = []
        if not rows:
            rows = self._chain(*self._locked_head())
            self._c.execute(_MOVE_HEAD, self._new_head(rows))
        _INSERT.many(self._c, rows)
        self._pending.clear()
        last = rows[-1]
        self._hint.head = (last["seq"], last["hash"])
        return int(last["seq"])

    def _locked_head(self) -> tuple[int, str]:
        postgres = self._c.dialect.name == "postgresql"
        head = self._c.execute(_HEAD_FOR_UPDATE if postgres else _HEAD).first()
        if head is None:
            if not postgres:  # SQLite: this transaction holds the write lock, nobody races it
                self._c.execute(audit_head.insert(), {"id": 1, "seq": 0, "hash": GENESIS})
                return 0, GENESIS
            # PostgreSQL: two first transactions may both find no head; one inserts it, the
            # other waits for that row and then locks it, instead of failing on the key.
            self._c.execute(
                pg_insert(audit_head)
                .values(id=1, seq=0, hash=GENESIS)
                .on_conflict_do_nothing(index_elements=["id"])
            )
            head = self._c.execute(_HEAD_FOR_UPDATE).first()
            assert head is not None
        return int(head.seq), str(head.hash)

    def _chain(self, seq: int, prev_hash: str) -> list[dict[str, Any]]:
        """The pending records as rows chained after (``seq``, ``prev_hash``)."""
        rows = []
        for record in self._pending:
            seq += 1
            row = {**record, "seq": seq, "prev_hash": prev_hash}
            row["hash"] = prev_hash = record_hash(row, prev_hash)
            rows.append(row)
        return rows

    @staticmethod
    def _new_head(rows: list[dict[str, Any]]) -> dict[str, Any]:
        return {"seq": rows[-1]["seq"], "hash": rows[-1]["hash"]}

    def records(
        self,
        *,
        entity_type: str | None = None,
        entity_id: str | None = None,
        limit: int = 1000,
        after_seq: int = 0,
    ) -> list[dict[str, Any]]:
        query = select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq)
        if entity_type:
            query = query.where(audit_log.c.entity_type == entity_type)
        if entity_id:
            query = query.where(audit_log.c.entity_id == entity_id)
        return [dict(row._mapping) for row in self._c.execute(query.limit(limit))]


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What a verification found: the first broken record and why, or that all held.
    ``checkpoints`` and ``partner_checkpoints``: how many signed checkpoints (this node's own,
    and those partners hold) the chain was compared with."""

    ok: bool
    records: int
    first_broken_seq: int | None = None
    reason: str | None = None
    checkpoints: int = 0
    partner_checkpoints: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "first_broken_seq": self.first_broken_seq,
            "reason": self.reason,
            "checkpoints": self.checkpoints,
            "partner_checkpoints": self.partner_checkpoints,
        }


def _iter_records(connection: Connection, batch: int = 5000) -> Iterator[Any]:
    last = 0
    while True:
        rows = connection.execute(
            select(audit_log).where(audit_log.c.seq > last).order_by(audit_log.c.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = int(rows[-1].seq)


def verify_chain(connection: Connection) -> ChainReport:
    """Recompute every record's hash and link; name the first broken record."""
    prev_hash, expected_seq, count = GENESIS, 1, 0
    for row in _iter_records(connection):
        count += 1
        record = dict(row._mapping)
        if record["seq"] != expected_seq:
            return ChainReport(
                False,
                count,
                expected_seq,
                f"record {expected_seq} is missing (next is {record['seq']})",
            )
        if record["prev_hash"] != prev_hash:
            return ChainReport(
                False, count, record["seq"], "its previous-hash does not match the record before it"
            )
        if record_hash(record, prev_hash) != record["hash"]:
            return ChainReport(
                False,
                count,
                record["seq"],
                "its content does not match its hash (the record was altered)",
            )
        prev_hash, expected_seq = record["hash"], expected_seq + 1
    head = connection.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    last_seq = expected_seq - 1
    if head is None:
        if count:
            return ChainReport(False, count, 1, "the chain head is missing")
        return ChainReport(True, 0)
    if int(head.seq) != last_seq or head.hash != prev_hash:
        return ChainReport(
            False,
            count,
            last_seq + 1 if int(head.seq) > last_seq else last_seq,
            f"the chain head says record {head.seq} is last, but the log ends "
            f"at {last_seq} (records were removed at the end)",
        )
    return ChainReport(True, count)
