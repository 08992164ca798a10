"""CO records with their status history and links, and the CO number sequences."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from originlink.domain.dataset import CODocument
from originlink.domain.lifecycle import Side
from originlink.domain.safejson import loads_bounded
from originlink.store.prepared import PreparedRead, PreparedWrite
from originlink.store.tables import (
    certificate_events,
    certificate_links,
    certificates,
    number_sequences,
)


@dataclass(frozen=True, slots=True)
class CertificateRecord:
    id: str
    side: str
    status: str
    verification_status: str | None
    issuing_country: str
    authority_code: str
    number: str
    copy_seq: int
    agreement: str | None
    form_code: str
    exporting_country: str
    importing_country: str
    organisation: str | None
    importer_name: str | None
    partner: str | None
    issue_datetime: datetime | None
    validity_end_date: date | None
    version: int
    digest: str
    document_json: str
    application_id: str | None
    replaced_by_id: str | None
    findings: list[dict[str, Any]] | None
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        # Instants are held in UTC, as the database gives them back: a record just made and
        # the same record read again are equal (and so are the audit digests of both).
        for name in ("issue_datetime", "created_at", "updated_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is not None and value.utcoffset():
                object.__setattr__(self, name, value.astimezone(UTC))

    def document(self) -> CODocument:
        return CODocument.model_validate(loads_bounded(self.document_json))

    def document_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.document_json)
        return data

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "side": self.side,
            "status": self.status,
            "verification_status": self.verification_status,
            "issuing_country": self.issuing_country,
            "authority_code": self.authority_code,
            "number": self.number,
            "copy_seq": self.copy_seq,
            "agreement": self.agreement,
            "form_code": self.form_code,
            "exporting_country": self.exporting_country,
            "importing_country": self.importing_country,
            "organisation": self.organisation,
            "importer_name": self.importer_name,
            "partner": self.partner,
            "issue_datetime": self.issue_datetime.isoformat() if self.issue_datetime else None,
            "validity_end_date": self.validity_end_date.isoformat()
            if self.validity_end_date
            else None,
            "version": self.version,
            "digest": self.digest,
            "application_id": self.application_id,
            "replaced_by_id": self.replaced_by_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    def with_(self, **changes: Any) -> CertificateRecord:
        return replace(self, **changes)


_FIELDS = [f for f in CertificateRecord.__dataclass_fields__ if f not in {"document_json"}]


def _record(m: Mapping[Any, Any]) -> CertificateRecord:
    values = {name: m[name] for name in _FIELDS if name != "findings"}
    return CertificateRecord(
        **values,
        document_json=m["document"],
        findings=json.loads(m["findings"]) if m["findings"] else None,
    )


def _row(record: CertificateRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _FIELDS}
    values["findings"] = json.dumps(record.findings) if record.findings else None
    values["document"] = record.document_json
    return values


@dataclass(frozen=True, slots=True)
class CertificateFilter:
    side: str | None = None
    status: str | None = None
    agreement: str | None = None
    partner: str | None = None
    importing_country: str | None = None
    organisation: str | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None
    number: str | None = None


_INSERT = PreparedWrite(certificates.insert(), [*_FIELDS, "document"])
_BY_ID = select(certificates).where(certificates.c.id == bindparam("b_id"))
_GET = PreparedRead(_BY_ID, ["b_id"])
_GET_FOR_UPDATE = PreparedRead(_BY_ID.with_for_update(), ["b_id"])
_BY_NUMBER = (
    select(certificates)
    .where(
        certificates.c.side == bindparam("b_side"),
        certificates.c.issuing_country == bindparam("b_country"),
        certificates.c.number == bindparam("b_number"),
    )
    .order_by(certificates.c.copy_seq)
)
_FIND_KEYS = ["b_side", "b_country", "b_number"]
_FIND = PreparedRead(_BY_NUMBER, _FIND_KEYS)
_FIND_FOR_UPDATE = PreparedRead(_BY_NUMBER.with_for_update(), _FIND_KEYS)
_NUMBER_IN_USE = (
    select(certificates.c.id)
    .where(
        certificates.c.issuing_country == bindparam("b_country"),
        certificates.c.number == bindparam("b_number"),
        certificates.c.authority_code == bindparam("b_authority"),
    )
    .limit(1)
)
_SAVE = update(certificates).where(
    certificates.c.id == bindparam("b_id"),
    certificates.c.version == bindparam("b_expected_version"),
)
_INSERT_EVENT = PreparedWrite(
    certificate_events.insert(),
    ["certificate_id", "from_status", "to_status", "version", "actor", "reason", "at"],
)
_SET_PARTNER = PreparedWrite(
    update(certificates).where(certificates.c.id == bindparam("b_id")), ["b_id", "partner"]
)
_NEXT_NUMBER = PreparedWrite(
    update(number_sequences)
    .where(
        number_sequences.c.authority_code == bindparam("b_authority"),
        number_sequences.c.agreement == bindparam("b_agreement"),
        number_sequences.c.year == bindparam("b_year"),
    )
    .values(last_value=number_sequences.c.last_value + 1)
    .returning(number_sequences.c.last_value),
    ["b_authority", "b_agreement", "b_year"],
)
_CREATE_SEQUENCE_PG = postgresql.insert(number_sequences).on_conflict_do_nothing()
_CREATE_SEQUENCE_SQLITE = sqlite.insert(number_sequences).on_conflict_do_nothing()


_CANDIDATES = (
    select(certificates.c.id, certificates.c.side, certificates.c.status, certificates.c.copy_seq)
    .where(
        certificates.c.issuing_country == bindparam("b_country"),
        certificates.c.number == bindparam("b_number"),
    )
    .order_by(certificates.c.copy_seq)
)
_CANDIDATES_SHARED = _CANDIDATES.with_for_update(read=True)


class Certificates:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, record: CertificateRecord) -> None:
        _INSERT(self._c, _row(record))

    def get(self, cert_id: str, *, for_update: bool = False) -> CertificateRecord | None:
        lock = for_update and self._c.dialect.name == "postgresql"
        row = (_GET_FOR_UPDATE if lock else _GET).first(self._c, {"b_id": cert_id})
        return _record(row) if row else None

    def find(
        self, *, side: str, issuing_country: str, number: str, for_update: bool = False
    ) -> list[CertificateRecord]:
        """Every record (original and true copies) with this number, newest copy last."""
        lock = for_update and self._c.dialect.name == "postgresql"
        params = {"b_side": side, "b_country": issuing_country, "b_number": number}
        return [_record(r) for r in (_FIND_FOR_UPDATE if lock else _FIND).all(self._c, params)]

    def received_copies(
        self, issuing_country: str, number: str, *, lock: bool = False
    ) -> list[tuple[str, str]]:
        """(id, status) of the received records of a CO, original first. Looked up by issuing
        country and number only, so every database uses the lookup index; ``lock``
        share-locks the rows on PostgreSQL."""
        shared = lock and self._c.dialect.name == "postgresql"
        query = _CANDIDATES_SHARED if shared else _CANDIDATES
        rows = self._c.execute(query, {"b_country": issuing_country, "b_number": number})
        return [(r[0], r[2]) for r in rows if r[1] == "import"]

    def number_in_use(self, issuing_country: str, authority_code: str, number: str) -> bool:
        row = self._c.execute(
            _NUMBER_IN_USE,
            {"b_country": issuing_country, "b_authority": authority_code, "b_number": number},
        ).first()
        return row is not None

    def save(self, record: CertificateRecord, *, expected_version: int) -> bool:
        values = _row(record)
        values["b_id"] = values.pop("id")
        values["b_expected_version"] = expected_version
        result = self._c.execute(_SAVE, values)
        return bool(result.rowcount)

    def set_partner(self, cert_id: str, partner: str) -> None:
        """Record which partner(s) a CO was sent to (no version change: it is routing)."""
        _SET_PARTNER(self._c, {"b_id": cert_id, "partner": partner})

    def search(
        self, filt: CertificateFilter, *, limit: int, offset: int
    ) -> tuple[list[CertificateRecord], int]:
        conditions = []
        for column, value in (
            (certificates.c.side, filt.side),
            (certificates.c.status, filt.status),
            (certificates.c.agreement, filt.agreement),
            (certificates.c.partner, filt.partner),
            (certificates.c.importing_country, filt.importing_country),
            (certificates.c.organisation, filt.organisation),
            (certificates.c.number, filt.number),
        ):
            if value:
                conditions.append(column == value)
        if filt.issued_from:
            conditions.append(certificates.c.issue_datetime >= filt.issued_from)
        if filt.issued_to:
            conditions.append(certificates.c.issue_datetime < filt.issued_to)
        query = select(certificates).where(*conditions)
        count = select(func.count()).select_from(certificates).where(*conditions)
        rows = self._c.execute(
            query.order_by(certificates.c.created_at.desc(), certificates.c.id)
            .limit(limit)
            .offset(offset)
        )
        total = int(self._c.execute(count).scalar_one())
        return [_record(r._mapping) for r in rows], total

    def add_event(
        self,
        *,
        certificate_id: str,
        from_status: str | None,
        to_status: str,
        version: int,
        actor: str,
        reason: str | None,
        at: datetime,
    ) -> None:
        _INSERT_EVENT(
            self._c,
            {
                "certificate_id": certificate_id,
                "from_status": from_status,
                "to_status": to_status,
                "version": version,
                "actor": actor,
                "reason": reason,
                "at": at,
            },
        )

    def events(self, certificate_id: str) -> list[dict[str, Any]]:
        rows = self._c.execute(
            select(certificate_events)
            .where(certificate_events.c.certificate_id == certificate_id)
            .order_by(certificate_events.c.id)
        )
        return [
            {
                "from_status": r.from_status,
                "to_status": r.to_status,
                "version": r.version,
                "actor": r.actor,
                "reason": r.reason,
                "at": r.at.isoformat(),
            }
            for r in rows
        ]

    def add_link(
        self,
        *,
        from_id: str,
        to_id: str | None,
        relation: str,
        to_issuing_country: str,
        to_number: str,
        at: datetime,
    ) -> None:
        self._c.execute(
            certificate_links.insert().values(
                from_id=from_id,
                to_id=to_id,
                relation=relation,
                to_issuing_country=to_issuing_country,
                to_number=to_number,
                at=at,
            )
        )

    def link_to_received(
        self, *, from_id: str, relation: str, issuing_country: str, number: str, at: datetime
    ) -> None:
        """Link to a CO this node received, by its number. The link is kept even when that CO
        has not arrived (yet): ``to_id`` stays empty and the number says what was meant."""
        matches = self.find(side=Side.IMPORT.value, issuing_country=issuing_country, number=number)
        self.add_link(
            from_id=from_id,
            to_id=matches[0].id if matches else None,
            relation=relation,
            to_issuing_country=issuing_country,
            to_number=number,
            at=at,
        )

    def links(self, certificate_id: str) -> list[dict[str, Any]]:
        """Links from this CO (``direction: out``) and to it (``direction: in``)."""
        out_rows = self._c.execute(
            select(certificate_links).where(certificate_links.c.from_id == certificate_id)
        )
        in_rows = self._c.execute(
            select(certificate_links).where(certificate_links.c.to_id == certificate_id)
        )
        links = [
            {
                "direction": "out",
                "relation": r.relation,
                "certificate_id": r.to_id,
                "issuing_country": r.to_issuing_country,
                "number": r.to_number,
            }
            for r in out_rows
        ]
        links += [
            {"direction": "in", "relation": r.relation, "certificate_id": r.from_id}
            for r in in_rows
        ]
        return links

    def next_number(self, *, authority_code: str, agreement: str, year: int) -> int:
        """Allocate the next sequence value inside the caller's transaction.

        The row is created if missing and incremented with one ``UPDATE ... RETURNING``: the
        row lock it takes is held until commit, so concurrent issuers queue, and a rolled-back
        issuance gives its number back: numbers are unique and without gaps.
        """
        key = {"b_authority": authority_code, "b_agreement": agreement, "b_year": year}
        result = _NEXT_NUMBER(self._c, key).first()
        if result is not None:
            return int(result[0])
        create = (
            _CREATE_SEQUENCE_PG if self._c.dialect.name == "postgresql" else _CREATE_SEQUENCE_SQLITE
        )
        self._c.execute(
            create,
            {
                "authority_code": authority_code,
                "agreement": agreement,
                "year": year,
                "last_value": 0,
            },
        )
        return int(_NEXT_NUMBER(self._c, key).scalar_one())
