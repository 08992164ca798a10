"""Applications for a CO (exporter's drafts until issued or refused)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from originlink.domain.safejson import loads_stored
from originlink.store.prepared import PreparedRead, PreparedWrite
from originlink.store.tables import applications


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    id: str
    kind: str
    status: str
    owner_user_id: str
    organisation: str | None
    agreement: str | None
    importing_country: str | None
    content: dict[str, Any]
    findings: list[dict[str, Any]] | None
    refusal_reasons: list[str] | None
    related_certificate_id: str | None
    certificate_id: str | None
    revision: int
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.status,
            "owner_user_id": self.owner_user_id,
            "organisation": self.organisation,
            "agreement": self.agreement,
            "importing_country": self.importing_country,
            "content": self.content,
            "findings": self.findings or [],
            "refusal_reasons": self.refusal_reasons or [],
            "related_certificate_id": self.related_certificate_id,
            "certificate_id": self.certificate_id,
            "revision": self.revision,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def _record(m: Mapping[Any, Any]) -> ApplicationRecord:
    """The record of a row (a mapping of column name to value)."""
    return ApplicationRecord(
        id=m["id"],
        kind=m["kind"],
        status=m["status"],
        owner_user_id=m["owner_user_id"],
        organisation=m["organisation"],
        agreement=m["agreement"],
        importing_country=m["importing_country"],
        content=loads_stored(m["content"]),
        findings=loads_stored(m["findings"]) if m["findings"] else None,
        refusal_reasons=loads_stored(m["refusal_reasons"]) if m["refusal_reasons"] else None,
        related_certificate_id=m["related_certificate_id"],
        certificate_id=m["certificate_id"],
        revision=m["revision"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
    )


@dataclass(frozen=True, slots=True)
class ApplicationFilter:
    status: str | None = None
    agreement: str | None = None
    organisation: str | None = None
    importing_country: str | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    related_certificate_id: str | None = None
    #: The officers' queue reads oldest first; every other list newest first.
    oldest_first: bool = False


_INSERT = applications.insert()
_BY_ID = select(applications).where(applications.c.id == bindparam("b_id"))
_GET = PreparedRead(_BY_ID, ["b_id"])
_GET_FOR_UPDATE = PreparedRead(_BY_ID.with_for_update(), ["b_id"])
_OUTCOME = PreparedWrite(
    update(applications).where(
        applications.c.id == bindparam("b_id"),
        applications.c.revision == bindparam("b_expected_revision"),
    ),
    ["b_id", "b_expected_revision", "status", "certificate_id", "revision", "updated_at"],
)
_SAVE = update(applications).where(
    applications.c.id == bindparam("b_id"),
    applications.c.revision == bindparam("b_expected_revision"),
)


class Applications:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, record: ApplicationRecord) -> None:
        self._c.execute(_INSERT, _row(record))

    def get(self, app_id: str, *, for_update: bool = False) -> ApplicationRecord | None:
        lock = for_update and self._c.dialect.name == "postgresql"
        row = (_GET_FOR_UPDATE if lock else _GET).first(self._c, {"b_id": app_id})
        return _record(row) if row else None

    def save(self, record: ApplicationRecord, *, expected_revision: int) -> bool:
        """Write ``record`` if nobody changed the row since ``expected_revision``."""
        values = _row(record)
        values["b_id"] = values.pop("id")
        values["b_expected_revision"] = expected_revision
        return bool(self._c.execute(_SAVE, values).rowcount)

    def set_outcome(
        self,
        app_id: str,
        *,
        status: str,
        certificate_id: str | None,
        expected_revision: int,
        updated_at: datetime,
    ) -> bool:
        """Record a decision without rewriting the content (the content did not change)."""
        result = _OUTCOME(
            self._c,
            {
                "b_id": app_id,
                "b_expected_revision": expected_revision,
                "status": status,
                "certificate_id": certificate_id,
                "revision": expected_revision + 1,
                "updated_at": updated_at,
            },
        )
        return bool(result.rowcount)

    def search(
        self, filt: ApplicationFilter, *, limit: int, offset: int
    ) -> tuple[list[ApplicationRecord], int]:
        query = select(applications)
        count = select(func.count()).select_from(applications)
        conditions = []
        if filt.status:
            conditions.append(applications.c.status == filt.status)
        if filt.agreement:
            conditions.append(applications.c.agreement == filt.agreement)
        if filt.organisation:
            conditions.append(applications.c.organisation == filt.organisation)
        if filt.importing_country:
            conditions.append(applications.c.importing_country == filt.importing_country)
        if filt.created_from:
            conditions.append(applications.c.created_at >= filt.created_from)
        if filt.created_to:
            conditions.append(applications.c.created_at < filt.created_to)
        if filt.related_certificate_id:
            conditions.append(applications.c.related_certificate_id == filt.related_certificate_id)
        if conditions:
            query = query.where(*conditions)
            count = count.where(*conditions)
        created = applications.c.created_at
        order = created if filt.oldest_first else created.desc()
        rows = self._c.execute(query.order_by(order, applications.c.id).limit(limit).offset(offset))
        total = int(self._c.execute(count).scalar_one())
        return [_record(r._mapping) for r in rows], total


def _row(record: ApplicationRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind,
        "status": record.status,
        "owner_user_id": record.owner_user_id,
        "organisation": record.organisation,
        "agreement": record.agreement,
        "importing_country": record.importing_country,
        "content": json.dumps(record.content, ensure_ascii=False),
        "findings": json.dumps(record.findings, ensure_ascii=False) if record.findings else None,
        "refusal_reasons": json.dumps(record.refusal_reasons, ensure_ascii=False)
        if record.refusal_reasons
        else None,
        "related_certificate_id": record.related_certificate_id,
        "certificate_id": record.certificate_id,
        "revision": record.revision,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }
