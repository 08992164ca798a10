"""Verification cases (both sides) and their evidence files, kept with SHA-256 digests."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from originlink.store.tables import verification_cases, verification_files


@dataclass(frozen=True, slots=True)
class CaseRecord:
    id: str
    side: str
    certificate_id: str | None
    issuing_country: str
    number: str
    partner: str | None
    agreement: str | None
    status: str
    request: dict[str, Any]
    response: dict[str, Any] | None
    opened_at: datetime
    due_at: datetime | None
    updated_at: datetime
    message_id: str | None
    deadline_note: str | None
    acknowledged_at: datetime | None
    answered_at: datetime | None
    outcome: str | None
    visit_status: str | None
    visit_due_at: datetime | None

    def with_(self, **changes: Any) -> CaseRecord:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id,
            "side": self.side,
            "status": self.status,
            "certificate_id": self.certificate_id,
            "certificate": {"issuing_country": self.issuing_country, "number": self.number},
            "partner": self.partner,
            "agreement": self.agreement,
            "opened_at": self.opened_at.isoformat(),
            "due_at": iso(self.due_at),
            "deadline": self.deadline_note,
            "acknowledged_at": iso(self.acknowledged_at),
            "answered_at": iso(self.answered_at),
            "outcome": self.outcome,
            "visit_status": self.visit_status,
            "visit_consent_due_at": iso(self.visit_due_at),
            "request": self.request,
            "response": self.response,
            "message_id": self.message_id,
            "updated_at": self.updated_at.isoformat(),
        }


_COLUMNS = [c.name for c in verification_cases.columns]


def _record(row: Any) -> CaseRecord:
    m = dict(row._mapping)
    m["request"] = json.loads(m["request"])
    m["response"] = json.loads(m["response"]) if m["response"] else None
    return CaseRecord(**{name: m[name] for name in _COLUMNS})


def _row(record: CaseRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _COLUMNS}
    values["request"] = json.dumps(record.request, ensure_ascii=False)
    values["response"] = (
        json.dumps(record.response, ensure_ascii=False) if record.response else None
    )
    return values


class Cases:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, record: CaseRecord) -> None:
        self._c.execute(verification_cases.insert(), _row(record))

    def _one(self, *conditions: Any, for_update: bool) -> CaseRecord | None:
        query = select(verification_cases).where(*conditions)
        if for_update and self._c.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._c.execute(query).first()
        return _record(row) if row else None

    def get(self, case_id: str, *, for_update: bool = False) -> CaseRecord | None:
        return self._one(verification_cases.c.id == case_id, for_update=for_update)

    def by_message(
        self, side: str, message_id: str, *, for_update: bool = False
    ) -> CaseRecord | None:
        return self._one(
            verification_cases.c.side == side,
            verification_cases.c.message_id == message_id,
            for_update=for_update,
        )

    def save(self, record: CaseRecord) -> None:
        values = _row(record)
        del values["id"]
        self._c.execute(
            update(verification_cases).where(verification_cases.c.id == record.id).values(**values)
        )

    def due(self, now: datetime, waiting: list[str], *, limit: int = 500) -> list[CaseRecord]:
        """Cases waiting past their reply deadline, or past a visit consent deadline."""
        vc = verification_cases.c
        rows = self._c.execute(
            select(verification_cases)
            .where(
                or_(
                    (vc.status.in_(waiting)) & (vc.due_at <= now),
                    (vc.visit_status == "PROPOSED") & (vc.visit_due_at <= now),
                )
            )
            .order_by(vc.due_at)
            .limit(limit)
        )
        return [_record(r) for r in rows]

    def search(
        self,
        *,
        side: str | None,
        status: str | None,
        certificate_id: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[CaseRecord], int]:
        vc = verification_cases.c
        conditions = []
        for column, value in (
            (vc.side, side),
            (vc.status, status),
            (vc.certificate_id, certificate_id),
        ):
            if value:
                conditions.append(column == value)
        rows = self._c.execute(
            select(verification_cases)
            .where(*conditions)
            .order_by(vc.opened_at.desc(), vc.id)
            .limit(limit)
            .offset(offset)
        )
        total = self._c.execute(
            select(func.count()).select_from(verification_cases).where(*conditions)
        ).scalar_one()
        return [_record(r) for r in rows], int(total)

    def open_for(self, certificate_id: str) -> list[CaseRecord]:
        vc = verification_cases.c
        rows = self._c.execute(
            select(verification_cases).where(
                vc.certificate_id == certificate_id, vc.status.in_(["OPEN", "ACKNOWLEDGED"])
            )
        )
        return [_record(r) for r in rows]


class Files:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        file_id: str,
        case_id: str,
        part: str,
        name: str,
        media_type: str,
        content: bytes,
        sha256: str,
        at: datetime,
    ) -> None:
        self._c.execute(
            verification_files.insert(),
            {
                "id": file_id,
                "case_id": case_id,
                "part": part,
                "name": name,
                "media_type": media_type,
                "size": len(content),
                "sha256": sha256,
                "content": content,
                "created_at": at,
            },
        )

    def of(self, case_id: str) -> list[dict[str, Any]]:
        vf = verification_files.c
        rows = self._c.execute(
            select(vf.id, vf.part, vf.name, vf.media_type, vf.size, vf.sha256, vf.created_at)
            .where(vf.case_id == case_id)
            .order_by(vf.created_at, vf.name)
        )
        return [
            {
                "id": r.id,
                "part": r.part,
                "name": r.name,
                "media_type": r.media_type,
                "size": r.size,
                "sha256": r.sha256,
                "created_at": r.created_at.isoformat(),
            }
            for r in rows
        ]

    def get(self, case_id: str, file_id: str) -> tuple[str, str, bytes, str] | None:
        """(name, media type, content, sha256) of one file of the case."""
        vf = verification_files.c
        row = self._c.execute(
            select(vf.name, vf.media_type, vf.content, vf.sha256).where(
                vf.case_id == case_id, vf.id == file_id
            )
        ).first()
        return None if row is None else (row[0], row[1], bytes(row[2]), row[3])
