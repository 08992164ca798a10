"""The UTC date-time column type, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.sqlite import DATETIME
from sqlalchemy.exc import StatementError

from originlink.store.db import normalise_url
from originlink.store.types import UtcDateTime

metadata = MetaData()
stamps = Table(
    "stamps", metadata, Column("id", Integer, primary_key=True), Column("at", UtcDateTime)
)


def test_sqlite_text_is_what_sqlalchemys_datetime_stores() -> None:
    """Rows written before the one-step bind processor must compare and sort with new ones, so
    the text is exactly SQLAlchemy's own SQLite DATETIME format."""
    generic = DATETIME().bind_processor(sqlite.dialect())
    assert generic is not None
    ours = UtcDateTime().dialect_impl(sqlite.dialect()).bind_processor(sqlite.dialect())
    assert ours is not None
    for value in (
        datetime(2026, 11, 29, 1, 2, 3, tzinfo=UTC),
        datetime(999, 1, 2, 3, 4, 5, 123, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=9))),
    ):
        naive = value.astimezone(UTC).replace(tzinfo=None)
        assert ours(value) == generic(naive)
    assert ours(datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=9)))) == (
        "2026-01-01 00:00:00.000000"
    )


def test_round_trip_filters_and_naive_values_refused(db_url: str) -> None:
    engine = create_engine(normalise_url(db_url))
    metadata.create_all(engine)
    tokyo = timezone(timedelta(hours=9))
    early = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=tokyo)
    late = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            stamps.insert(), [{"id": 1, "at": early}, {"id": 2, "at": late}, {"id": 3, "at": None}]
        )
    with engine.connect() as conn:
        rows = dict(conn.execute(select(stamps.c.id, stamps.c.at)).all())
        after = conn.execute(
            select(stamps.c.id).where(stamps.c.at > datetime(2026, 3, 1, 1, tzinfo=UTC))
        ).scalars()
        assert list(after) == [2]
    assert rows[1] == early and rows[1].tzinfo is UTC
    assert rows[2] == late and rows[3] is None
    with engine.begin() as conn, pytest.raises(StatementError, match="timezone-aware"):
        conn.execute(stamps.insert(), {"id": 4, "at": datetime(2026, 1, 1)})
    engine.dispose()


def test_sqlite_reads_the_shorter_forms_it_may_hold() -> None:
    """Text written by SQL (``CURRENT_TIMESTAMP``, a bare date) reads back as UTC too."""
    read = UtcDateTime().dialect_impl(sqlite.dialect()).result_processor(sqlite.dialect(), None)
    assert read is not None
    assert read("2026-03-01 09:30:15") == datetime(2026, 3, 1, 9, 30, 15, tzinfo=UTC)
    assert read("2026-03-01") == datetime(2026, 3, 1, tzinfo=UTC)
    assert read(None) is None
