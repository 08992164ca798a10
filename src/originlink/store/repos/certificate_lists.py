"""Pages of certificates for the web application's lists: filtered, newest first, with keyset
pagination and a capped count.

A list page must answer in milliseconds with 100,000 COs stored. Three things keep it so: the
rows carry only the columns a list shows (never the document, which is kilobytes); the next
page starts after the last row seen (``created_at, id`` below the cursor: an index range, not
an ``OFFSET`` that reads and throws away every earlier row); and the total is counted only up
to :data:`COUNT_CAP` (a page says "more than 1,000" rather than counting them all), read
from the end of the index where the matches lie. Each
filter has an index that starts with ``side`` and ends with the sort key (migration 0010).
An ``offset`` remains for jumping to a page number; it costs what it skips.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, literal, or_, select

from originlink.store.tables import certificates

#: Totals are counted up to this many rows (then shown as "more than").
COUNT_CAP = 1_000

_COLUMNS = (
    "id",
    "side",
    "status",
    "verification_status",
    "issuing_country",
    "number",
    "copy_seq",
    "agreement",
    "exporting_country",
    "importing_country",
    "organisation",
    "importer_name",
    "partner",
    "issue_datetime",
    "validity_end_date",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class CertificateRow:
    """What one line of a certificate list shows."""

    id: str
    side: str
    status: str
    verification_status: str | None
    issuing_country: str
    number: str
    copy_seq: int
    agreement: str | None
    exporting_country: str
    importing_country: str
    organisation: str | None
    importer_name: str | None
    partner: str | None
    issue_datetime: datetime | None
    validity_end_date: date | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ListFilter:
    """Conditions of a list; ``statuses`` any of; ``valid_on``/``expired_on`` split live COs
    by their validity end (an expired CO keeps its stored status)."""

    side: str
    statuses: tuple[str, ...] = ()
    partner: str | None = None
    agreement: str | None = None
    organisation: str | None = None
    issued_from: datetime | None = None
    issued_to: datetime | None = None
    number_prefix: str | None = None
    valid_on: date | None = None
    expired_on: date | None = None


@dataclass(frozen=True, slots=True)
class Page:
    rows: list[CertificateRow]
    #: Rows matching the filter, counted up to ``COUNT_CAP`` (``total_capped`` when reached).
    total: int
    total_capped: bool
    #: The sort value (arrival time, or end of validity) and id of the last row when another
    #: page follows.
    next_after: tuple[datetime | date, str] | None


def _conditions(filt: ListFilter) -> list[Any]:
    c = certificates.c
    out: list[Any] = [c.side == filt.side]
    if filt.statuses:
        out.append(c.status.in_(filt.statuses))
    for column, value in ((c.partner, filt.partner), (c.agreement, filt.agreement)):
        if value:
            out.append(column == value)
    if filt.organisation is not None:
        out.append(c.organisation == filt.organisation)
    if filt.issued_from is not None:
        out.append(c.issue_datetime >= filt.issued_from)
    if filt.issued_to is not None:
        out.append(c.issue_datetime < filt.issued_to)
    if filt.number_prefix:
        out.append(c.number.startswith(filt.number_prefix, autoescape=True))
    if filt.valid_on is not None:
        out.append(or_(c.validity_end_date.is_(None), c.validity_end_date >= filt.valid_on))
    if filt.expired_on is not None:
        out.append(c.validity_end_date < filt.expired_on)
    return out


def _row(m: Mapping[Any, Any]) -> CertificateRow:
    return CertificateRow(**{name: m[name] for name in _COLUMNS})


class CertificateLists:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def page(
        self,
        filt: ListFilter,
        *,
        limit: int,
        after: tuple[datetime | date, str] | None = None,
        offset: int = 0,
    ) -> Page:
        """Up to ``limit`` rows in the list's order (:func:`sort_key`), after the cursor
        ``after`` (or skipping ``offset`` rows)."""
        c = certificates.c
        key = sort_key(filt)
        conditions = _conditions(filt)
        query = select(*(c[name] for name in _COLUMNS)).where(*conditions)
        if after is not None:
            value, last_id = after
            query = query.where(or_(key < value, and_(key == value, c.id < last_id)))
        query = query.order_by(key.desc(), c.id.desc()).limit(limit + 1)
        if offset and after is None:
            query = query.offset(offset)
        rows = [_row(r._mapping) for r in self._c.execute(query)]
        more = len(rows) > limit
        rows = rows[:limit]
        # counted along the same index as the page, so a count stops as early as the page
        capped = (
            select(literal(1)).select_from(certificates).where(*conditions).order_by(key.desc())
        )
        counted = select(func.count()).select_from(capped.limit(COUNT_CAP + 1).subquery())
        total = int(self._c.execute(counted).scalar_one())
        last = rows[-1] if rows and more else None
        next_after: tuple[datetime | date, str] | None = None
        if last is not None:
            sort_value: datetime | date | None = (
                last.validity_end_date if filt.expired_on is not None else last.created_at
            )
            next_after = (sort_value, last.id) if sort_value is not None else None
        return Page(
            rows=rows,
            total=min(total, COUNT_CAP),
            total_capped=total > COUNT_CAP,
            next_after=next_after,
        )


def sort_key(filt: ListFilter) -> Any:
    """Newest first: by arrival, or, for expired COs, by the end of validity (the most recently
    expired first: the list index of (side, status, validity_end_date, id) reads them in that
    order, where an arrival order would first read past every CO still valid)."""
    c = certificates.c
    return c.validity_end_date if filt.expired_on is not None else c.created_at
