"""The customs officer's list of received certificates: filters from a form, pages of 50.

Filters are read from strings as a form sends them and refused one by one (``InputError``
naming the field) before any query runs. ``status`` is the status an officer sees: EXPIRED is
a received CO whose validity has ended, RECEIVED one that is still valid. Pages go on from an
opaque cursor (``after``) rather than an offset (newest arrivals first; for EXPIRED, the most
recently expired first), so the tenth page costs what the first does;
``page`` (a page number) is offered for jumping, bounded.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import InputError
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.services.context import Node
from originlink.services.issuing.certificates import effective_status
from originlink.store.repos.certificate_lists import CertificateRow, ListFilter

PAGE_SIZE = 50
#: Page numbers beyond this are refused: past it, narrow the filter or follow the cursor.
MAX_PAGE = 200
#: What the status filter offers for received certificates.
RECEIVED_STATUSES = ("RECEIVED", "EXPIRED", "REJECTED", "CANCELLED", "REPLACED")


@dataclass(frozen=True, slots=True)
class ListQuery:
    """A list's filters and position as the form sends them (empty string: not given)."""

    status: str = ""
    partner: str = ""
    agreement: str = ""
    issued_from: str = ""
    issued_to: str = ""
    number: str = ""
    after: str = ""
    page: str = ""


@dataclass(frozen=True, slots=True)
class ListedCertificate:
    row: CertificateRow
    #: The status as the officer reads it (EXPIRED when its validity has ended).
    status: str


@dataclass(frozen=True, slots=True)
class CertificatePage:
    items: list[ListedCertificate]
    total: int
    total_capped: bool
    #: The cursor of the next page (None on the last page).
    next_after: str | None
    page: int


def encode_cursor(after: tuple[datetime | date, str]) -> str:
    value, last_id = after
    if isinstance(value, datetime):
        text = "t" + value.astimezone(UTC).isoformat()
    else:
        text = "d" + value.isoformat()
    raw = f"{text}|{last_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime | date, str]:
    """The sort value (an arrival time or a validity end) and id in a cursor; ``InputError``
    on anything this node did not make."""
    damaged = InputError("the page link is damaged: start from the first page", pointer="after")
    if len(cursor) > 120:
        raise damaged
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        text, _, last_id = raw.partition("|")
        value: datetime | date
        if text.startswith("t"):
            value = datetime.fromisoformat(text[1:])
            if value.tzinfo is None:
                raise ValueError("naive")
        elif text.startswith("d"):
            value = date.fromisoformat(text[1:])
        else:
            raise ValueError(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise damaged from None
    if not last_id or len(last_id) > 36:
        raise damaged
    return value, last_id


def _day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", pointer=field) from None


def _bounded(value: str, field: str, limit: int) -> str | None:
    value = value.strip()
    if len(value) > limit:
        raise InputError(f"at most {limit} characters", pointer=field)
    return value or None


def list_filter(node: Node, query: ListQuery, *, side: str) -> ListFilter:
    """The repository filter for ``query`` (each value checked, each refusal naming its field)."""
    today = node.now().date()
    statuses: tuple[str, ...] = ()
    valid_on = expired_on = None
    status = query.status.strip().upper()
    if status:
        if status not in RECEIVED_STATUSES:
            raise InputError(
                f"{query.status!r} is not one of {', '.join(RECEIVED_STATUSES)}", pointer="status"
            )
        if status == RecordStatus.EXPIRED.value:
            statuses, expired_on = (RecordStatus.RECEIVED.value,), today
        elif status == RecordStatus.RECEIVED.value:
            statuses, valid_on = (status,), today
        else:
            statuses = (status,)
    start, end = _day(query.issued_from, "issued_from"), _day(query.issued_to, "issued_to")
    if start and end and end < start:
        raise InputError("the end date is before the start date", pointer="issued_to")
    return ListFilter(
        side=side,
        statuses=statuses,
        partner=_bounded(query.partner, "partner", 64),
        agreement=_bounded(query.agreement.upper(), "agreement", 20),
        issued_from=datetime.combine(start, time(), UTC) if start else None,
        issued_to=datetime.combine(end + timedelta(days=1), time(), UTC) if end else None,
        number_prefix=_bounded(query.number, "number", 35),
        valid_on=valid_on,
        expired_on=expired_on,
    )


def _page_number(value: str) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise InputError(f"a page number from 1 to {MAX_PAGE}", pointer="page")
    return int(value)


def received_certificates(node: Node, actor: Actor, query: ListQuery) -> CertificatePage:
    """One page of the certificates received from partners, newest first."""
    actor.require(Permission.CLAIM_READ)
    filt = list_filter(node, query, side=Side.IMPORT.value)
    after = decode_cursor(query.after) if query.after else None
    page = _page_number(query.page) if after is None else 1
    today = node.now().date()
    with node.store.read() as tx:
        found = tx.certificate_lists.page(
            filt, limit=PAGE_SIZE, after=after, offset=(page - 1) * PAGE_SIZE
        )
    items = [ListedCertificate(row, effective_status(row, today)) for row in found.rows]
    return CertificatePage(
        items=items,
        total=found.total,
        total_capped=found.total_capped,
        next_after=encode_cursor(found.next_after) if found.next_after else None,
        page=page,
    )


def received_partners(node: Node, actor: Actor) -> list[str]:
    """The partner filter's choices: this node's partners (read from the partner table, a few
    rows, rather than from the certificates, which would read them all)."""
    actor.require(Permission.CLAIM_READ)
    with node.store.read() as tx:
        return sorted(p.participant_id for p in tx.partners.all())
