"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def _to_utc_naive(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("UtcDateTime needs a timezone-aware datetime")
    return value.astimezone(UTC).replace(tzinfo=None)


def _sqlite_text(value: Any) -> str | None:
    """The text SQLAlchemy's SQLite ``DATETIME`` stores (``YYYY-MM-DD HH:MM:SS.ffffff``),
    written in one step: the generic path formats through two Python-level processors on every
    bound value, and an issuance binds a dozen of them."""
    naive = _to_utc_naive(value)
    return None if naive is None else naive.isoformat(" ", "microseconds")


def _from_sqlite_text(value: Any) -> datetime | None:
    """Read that text back (also the shorter forms ``fromisoformat`` accepts) as aware UTC."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(parsed, datetime)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python; naive UTC in the database (SQLite keeps no offset)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        return _to_utc_naive(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return _from_sqlite_text(value)

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _sqlite_text
        return super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _from_sqlite_text
        return super().result_processor(dialect, coltype)
