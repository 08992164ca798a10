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
    #: The (created_at, id) of the last row when another page follows.
    next_after: tuple[datetime, str] | None


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
        after: tuple[datetime, str] | None = None,
        offset: int = 0,
    ) -> Page:
        """Up to ``limit`` rows newest first, after the cursor ``after`` (or skipping
        ``offset`` rows)."""
        c = certificates.c
        conditions = _conditions(filt)
        query = select(*(c[name] for name in _COLUMNS)).where(*conditions)
        if after is not None:
            at, last_id = after
            query = query.where(or_(c.created_at < at, and_(c.created_at == at, c.id < last_id)))
        query = query.order_by(c.created_at.desc(), c.id.desc()).limit(limit + 1)
        if offset and after is None:
            query = query.offset(offset)
        rows = [_row(r._mapping) for r in self._c.execute(query)]
        more = len(rows) > limit
        rows = rows[:limit]
        # counted from the end where the matches lie: expired COs are the oldest, any other
        # filter is read newest first as the page is (a date range then stops early)
        order = c.created_at.asc() if filt.expired_on is not None else c.created_at.desc()
        capped = select(literal(1)).select_from(certificates).where(*conditions).order_by(order)
        counted = select(func.count()).select_from(capped.limit(COUNT_CAP + 1).subquery())
        total = int(self._c.execute(counted).scalar_one())
        last = rows[-1] if rows and more else None
        return Page(
            rows=rows,
            total=min(total, COUNT_CAP),
            total_capped=total > COUNT_CAP,
            next_after=(last.created_at, last.id) if last else None,
        )

    def partners(self, side: str) -> list[str]:
        """The partners certificates of ``side`` came from or went to (for a filter's list)."""
        query = (
            select(certificates.c.partner)
            .where(certificates.c.side == side, certificates.c.partner.is_not(None))
            .distinct()
            .order_by(certificates.c.partner)
            .limit(500)
        )
        return [r[0] for r in self._c.execute(query)]
