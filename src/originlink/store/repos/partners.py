"""Partners: who this node exchanges with, how (push, pull, hybrid, hub) and in which format."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import partners

MODELS = ("push", "pull", "hybrid", "hub")


@dataclass(frozen=True, slots=True)
class PartnerRecord:
    participant_id: str
    name: str
    country: str
    model: str
    endpoint: str | None
    hub: str | None
    agreements: tuple[str, ...]
    payload_format: str
    poll: bool
    cursor: int
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "name": self.name,
            "country": self.country,
            "model": self.model,
            "endpoint": self.endpoint,
            "hub": self.hub,
            "agreements": list(self.agreements),
            "payload_format": self.payload_format,
            "poll": self.poll,
            "cursor": self.cursor,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def _record(row: Any) -> PartnerRecord:
    return PartnerRecord(
        participant_id=row.participant_id,
        name=row.name,
        country=row.country,
        model=row.model,
        endpoint=row.endpoint,
        hub=row.hub,
        agreements=tuple(json.loads(row.agreements)),
        payload_format=row.payload_format,
        poll=bool(row.poll),
        cursor=int(row.cursor),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


_GET = select(partners).where(partners.c.participant_id == bindparam("b_id"))


_ALL = select(partners).order_by(partners.c.participant_id)


class Partners:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def upsert(self, record: PartnerRecord) -> None:
        self._c.execute(delete(partners).where(partners.c.participant_id == record.participant_id))
        self._c.execute(
            partners.insert().values(
                participant_id=record.participant_id,
                name=record.name,
                country=record.country,
                model=record.model,
                endpoint=record.endpoint,
                hub=record.hub,
                agreements=json.dumps(list(record.agreements)),
                payload_format=record.payload_format,
                poll=record.poll,
                cursor=record.cursor,
                created_at=record.created_at,
                updated_at=record.updated_at,
            )
        )

    def get(self, participant_id: str) -> PartnerRecord | None:
        row = self._c.execute(_GET, {"b_id": participant_id}).first()
        return _record(row) if row else None

    def all(self) -> list[PartnerRecord]:
        return [_record(r) for r in self._c.execute(_ALL)]

    def for_country(self, country: str, agreement: str | None) -> list[PartnerRecord]:
        """Partners in ``country`` sharing ``agreement`` (any partner there when None)."""
        rows = self._c.execute(
            select(partners)
            .where(partners.c.country == country)
            .order_by(partners.c.participant_id)
        )
        found = [_record(r) for r in rows]
        if agreement is None:
            return found
        return [p for p in found if agreement in p.agreements]

    def set_cursor(self, participant_id: str, cursor: int, now: datetime) -> None:
        self._c.execute(
            update(partners)
            .where(partners.c.participant_id == participant_id)
            .values(cursor=cursor, updated_at=now)
        )

    def remove(self, participant_id: str) -> bool:
        result = self._c.execute(
            delete(partners).where(partners.c.participant_id == participant_id)
        )
        return bool(result.rowcount)
