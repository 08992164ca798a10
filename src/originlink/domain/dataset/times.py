"""Dates and date-times of the canonical dataset: ``YYYY-MM-DD`` dates, date-times that always
carry an offset (milliseconds at most), the fields that accept either, and the conversions the
rules need (a date as a UTC instant, a date-time's own calendar date). Parsing then serialising
gives back the same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from originlink.domain.dataset.checks import Check, fail

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATETIME_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2})"
)
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def parse_date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise fail("SCHEMA-TYPE", "expected a date as a JSON string YYYY-MM-DD")
    if not _DATE_RE.fullmatch(value):
        raise fail("SCHEMA-VALUE", f"{value[:40]!r} is not a date YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail("SCHEMA-VALUE", f"{value!r} is not a calendar date") from None


def parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise fail("SCHEMA-VALUE", "a date-time needs a UTC offset")
        return value
    if not isinstance(value, str):
        raise fail("SCHEMA-TYPE", "expected a date-time as a JSON string")
    if not _DATETIME_RE.fullmatch(value):
        raise fail(
            "SCHEMA-VALUE",
            f"{value[:40]!r} is not a date-time YYYY-MM-DDThh:mm:ss[.fff] with Z or an offset",
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fail("SCHEMA-VALUE", f"{value!r} is not a valid date-time") from None
    offset = parsed.utcoffset()
    if offset is not None and abs(offset) > timedelta(hours=14):
        raise fail("SCHEMA-VALUE", f"{value!r} has an offset beyond 14:00")
    return parsed


def datetime_to_json(value: datetime) -> str:
    """ISO 8601 with milliseconds only when present, and ``Z`` for UTC."""
    if value.microsecond % 1000:
        value = value.replace(microsecond=value.microsecond - value.microsecond % 1000)
    spec = "milliseconds" if value.microsecond else "seconds"
    if value.utcoffset() == timedelta(0):
        return value.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
    return value.isoformat(timespec=spec)


def date_or_datetime_to_json(value: date) -> str:
    if isinstance(value, datetime):
        return datetime_to_json(value)
    return value.isoformat()


class DateCheck(Check):
    def __init__(self) -> None:
        super().__init__({"type": "string", "format": "date"})

    def validate(self, value: Any) -> date:
        return parse_date(value)

    def serialize(self) -> Callable[[Any], Any]:
        return date_or_datetime_to_json


class DateTimeCheck(Check):
    def __init__(self) -> None:
        super().__init__(
            {"type": "string", "format": "date-time", "pattern": f"^{DATETIME_PATTERN}$"}
        )

    def validate(self, value: Any) -> datetime:
        return parse_datetime(value)

    def serialize(self) -> Callable[[Any], Any]:
        return datetime_to_json


class DateOrDateTimeCheck(Check):
    def __init__(self) -> None:
        super().__init__(
            {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "string", "format": "date-time"},
                ]
            }
        )

    def validate(self, value: Any) -> date:
        if isinstance(value, str) and _DATE_RE.fullmatch(value):
            return parse_date(value)
        return parse_datetime(value)

    def serialize(self) -> Callable[[Any], Any]:
        return date_or_datetime_to_json


Date = Annotated[date, DateCheck()]
DateTime = Annotated[datetime, DateTimeCheck()]
#: ``transport.departure_datetime`` accepts a date alone.
DateOrDateTime = Annotated[date, DateOrDateTimeCheck()]


def as_utc(moment: date) -> datetime:
    """A date or date-time as a UTC instant (a date alone counts as its 00:00 UTC)."""
    if isinstance(moment, datetime):
        return moment.astimezone(UTC)
    return datetime(moment.year, moment.month, moment.day, tzinfo=UTC)


def as_date(moment: date) -> date:
    """The calendar date of a date or date-time, in its own offset."""
    return moment.date() if isinstance(moment, datetime) else moment
