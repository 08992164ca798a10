"""Declarations (preference claims with their decisions) and the post-clearance review list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from originlink.store.tables import declarations, post_clearance_reviews

ACTIVE = "DECIDED"
INVALIDATED = "INVALIDATED"
REVIEW_OPEN = "OPEN"
REVIEW_CLOSED = "CLOSED"


@dataclass(frozen=True, slots=True)
class DeclarationRecord:
    id: str
    importer: str
    declared_on: date
    issuing_country: str
    number: str
    certificate_id: str | None
    agreement: str | None
    status: str
    revision: int
    content_digest: str
    content: dict[str, Any]
    decision: dict[str, Any]
    actor: str
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "revision": self.revision,
            "importer": self.importer,
            "date": self.declared_on.isoformat(),
            "certificate": {"issuing_country": self.issuing_country, "number": self.number},
            "certificate_id": self.certificate_id,
            "agreement": self.agreement,
            "content_digest": self.content_digest,
            "declaration": self.content,
            **self.decision,
            "decided_by": self.actor,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def _record(row: Any) -> DeclarationRecord:
    m = row._mapping
    return DeclarationRecord(
        id=m["id"],
        importer=m["importer"],
        declared_on=m["declared_on"],
        issuing_country=m["issuing_country"],
        number=m["number"],
        certificate_id=m["certificate_id"],
        agreement=m["agreement"],
        status=m["status"],
        revision=m["revision"],
        content_digest=m["content_digest"],
        content=json.loads(m["content"]),
        decision=json.loads(m["decision"]),
        actor=m["actor"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


def _row(record: DeclarationRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "importer": record.importer,
        "declared_on": record.declared_on,
        "issuing_country": record.issuing_country,
        "number": record.number,
        "certificate_id": record.certificate_id,
        "agreement": record.agreement,
        "status": record.status,
        "revision": record.revision,
        "content_digest": record.content_digest,
        "content": json.dumps(record.content, ensure_ascii=False, separators=(",", ":")),
        "decision": json.dumps(record.decision, ensure_ascii=False, separators=(",", ":")),
        "actor": record.actor,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


_GET = select(declarations).where(declarations.c.id == bindparam("b_id"))
_GET_FOR_UPDATE = _GET.with_for_update()
_INSERT = declarations.insert()


class Declarations:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, declaration_id: str, *, for_update: bool = False) -> DeclarationRecord | None:
        lock = for_update and self._c.dialect.name == "postgresql"
        row = self._c.execute(_GET_FOR_UPDATE if lock else _GET, {"b_id": declaration_id}).first()
        return _record(row) if row else None

    def add(self, record: DeclarationRecord) -> None:
        self._c.execute(_INSERT, _row(record))

    def replace(self, record: DeclarationRecord) -> None:
        values = _row(record)
        del values["id"], values["created_at"]
        self._c.execute(update(declarations).where(declarations.c.id == record.id).values(**values))

    def search(
        self,
        *,
        certificate_id: str | None,
        number: str | None,
        status: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[DeclarationRecord], int]:
        conditions = []
        if certificate_id:
            conditions.append(declarations.c.certificate_id == certificate_id)
        if number:
            conditions.append(declarations.c.number == number)
        if status:
            conditions.append(declarations.c.status == status)
        rows = self._c.execute(
            select(declarations)
            .where(*conditions)
            .order_by(declarations.c.created_at.desc(), declarations.c.id)
            .limit(limit)
            .offset(offset)
        )
        total = self._c.execute(
            select(func.count()).select_from(declarations).where(*conditions)
        ).scalar_one()
        return [_record(r) for r in rows], int(total)


class Reviews:
    """Claims listed for post-clearance review; one entry per declaration line and reason."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        declaration_id: str,
        line_number: int,
        certificate_id: str,
        sequence_number: int,
        reason: str,
        details: dict[str, Any],
        at: datetime,
    ) -> bool:
        """List a claim for review; False when it is already listed for this reason."""
        insert = (
            postgresql.insert(post_clearance_reviews)
            if self._c.dialect.name == "postgresql"
            else sqlite.insert(post_clearance_reviews)
        )
        result = self._c.execute(
            insert.on_conflict_do_nothing(),
            {
                "declaration_id": declaration_id,
                "line_number": line_number,
                "certificate_id": certificate_id,
                "sequence_number": sequence_number,
                "reason": reason,
                "details": json.dumps(details, ensure_ascii=False),
                "status": REVIEW_OPEN,
                "created_at": at,
            },
        )
        return bool(result.rowcount)

    def search(
        self, *, status: str | None, certificate_id: str | None, limit: int, offset: int
    ) -> tuple[list[dict[str, Any]], int]:
        conditions = []
        if status:
            conditions.append(post_clearance_reviews.c.status == status)
        if certificate_id:
            conditions.append(post_clearance_reviews.c.certificate_id == certificate_id)
        rows = self._c.execute(
            select(post_clearance_reviews)
            .where(*conditions)
            .order_by(post_clearance_reviews.c.id)
            .limit(limit)
            .offset(offset)
        )
        total = self._c.execute(
            select(func.count()).select_from(post_clearance_reviews).where(*conditions)
        ).scalar_one()
        return [_review(r) for r in rows], int(total)

    def get(self, review_id: int) -> dict[str, Any] | None:
        row = self._c.execute(
            select(post_clearance_reviews).where(post_clearance_reviews.c.id == review_id)
        ).first()
        return _review(row) if row else None

    def close(self, review_id: int, *, by: str, note: str, at: datetime) -> bool:
        result = self._c.execute(
            update(post_clearance_reviews)
            .where(
                post_clearance_reviews.c.id == review_id,
                post_clearance_reviews.c.status == REVIEW_OPEN,
            )
            .values(status=REVIEW_CLOSED, closed_by=by, note=note, closed_at=at)
        )
        return bool(result.rowcount)


def _review(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "declaration_id": row.declaration_id,
        "line_number": row.line_number,
        "certificate_id": row.certificate_id,
        "item": row.sequence_number,
        "reason": row.reason,
        "details": json.loads(row.details),
        "status": row.status,
        "created_at": row.created_at.isoformat(),
        "closed_at": row.closed_at.isoformat() if row.closed_at else None,
        "closed_by": row.closed_by,
        "note": row.note,
    }
