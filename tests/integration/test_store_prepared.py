"""Prepared writes: the same rows as SQLAlchemy Core would write, on SQLite and PostgreSQL,
with SQLAlchemy's events and error types kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from originlink.store.db import normalise_url
from originlink.store.prepared import PreparedRead, PreparedWrite, PreparedWrites
from originlink.store.types import UtcDateTime

metadata = MetaData()
things = Table(
    "things",
    metadata,
    Column("id", String(8), primary_key=True),
    Column("done", Boolean, nullable=False),
    Column("count", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=True),
    Column("note", String(20), nullable=True, default="unset"),
)
KEYS = ["id", "done", "count", "at", "note"]
INSERT = PreparedWrite(things.insert(), KEYS)
BUMP = PreparedWrite(
    update(things)
    .where(things.c.id == bindparam("b_id"), things.c.done == False)  # noqa: E712
    .values(count=things.c.count + 1)
    .returning(things.c.count),
    ["b_id"],
)
TOKYO = timezone(timedelta(hours=9))


def _engine(db_url: str) -> Engine:
    engine = create_engine(normalise_url(db_url))
    metadata.create_all(engine)
    return engine


def _rows(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(things).order_by(things.c.id))]


def _row(key: str, *, done: bool = False, at: datetime | None = None) -> dict[str, Any]:
    return {"id": key, "done": done, "count": 1, "at": at, "note": None}


def test_rows_equal_those_core_writes(db_url: str) -> None:
    moment = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=TOKYO)
    engine = _engine(db_url)
    with engine.begin() as conn:
        conn.execute(things.insert(), [_row("a", at=moment), _row("b", done=True)])
    core_rows = _rows(engine)
    with engine.begin() as conn:
        conn.execute(things.delete())
        INSERT(conn, _row("a", at=moment))
        INSERT.many(conn, [_row("b", done=True)])
    assert _rows(engine) == core_rows
    assert core_rows[0][3] == moment and core_rows[0][1] is False and core_rows[1][1] is True
    with engine.begin() as conn:
        assert BUMP(conn, {"b_id": "a"}).scalar_one() == 2
        assert BUMP(conn, {"b_id": "b"}).first() is None  # done: the fixed literal applies
    assert [r[2] for r in _rows(engine)] == [2, 1]
    engine.dispose()


def test_updates_prepared_per_set_of_columns(db_url: str) -> None:
    engine = _engine(db_url)
    change = PreparedWrites(update(things).where(things.c.id == bindparam("b_id")))
    later = datetime(2026, 4, 1, tzinfo=UTC)
    with engine.begin() as conn:
        INSERT(conn, _row("a"))
        assert change(conn, {"count": 7, "b_id": "a"}).rowcount == 1
        assert change(conn, {"done": True, "at": later, "b_id": "a"}).rowcount == 1
        assert change(conn, {"count": 9, "b_id": "missing"}).rowcount == 0
    assert _rows(engine) == [("a", True, 7, later, None)]
    engine.dispose()


def test_errors_and_events_stay_sqlalchemys(db_url: str) -> None:
    engine = _engine(db_url)
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda c, cu, sql, *r: seen.append(sql))
    with engine.begin() as conn:
        INSERT(conn, _row("a"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        INSERT(conn, _row("a"))
    assert [s.split()[0:3] for s in seen] == [["INSERT", "INTO", "things"]] * 2
    assert len(_rows(engine)) == 1
    engine.dispose()


def test_a_value_the_statement_needs_must_be_declared(db_url: str) -> None:
    """No column default is filled in behind the caller's back: a key left out of the
    declaration is an error at the first use, and so is a key the statement does not have."""
    engine = _engine(db_url)
    partial = PreparedWrite(update(things).where(things.c.id == bindparam("b_id")), ["count"])
    typo = PreparedWrite(things.insert(), [*KEYS, "colour"])
    with engine.begin() as conn:
        with pytest.raises(ValueError, match="needs a value for 'b_id'"):
            partial(conn, {"count": 1})
        with pytest.raises(ValueError, match=r"\['colour'\] are not parameters"):
            typo(conn, {**_row("a"), "colour": "red"})
    assert _rows(engine) == []
    engine.dispose()


def test_reads_convert_columns_as_core_does(db_url: str) -> None:
    moment = datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=TOKYO)
    engine = _engine(db_url)
    by_done = select(things).where(things.c.done == bindparam("b_done")).order_by(things.c.id)
    read = PreparedRead(by_done, ["b_done"])
    locked = PreparedRead(by_done.with_for_update(), ["b_done"])
    with engine.begin() as conn:
        INSERT.many(conn, [_row("a", at=moment), _row("b"), _row("c", done=True)])
        core = [dict(r._mapping) for r in conn.execute(by_done, {"b_done": False})]
        assert read.all(conn, {"b_done": False}) == core
        assert locked.all(conn, {"b_done": False}) == core
        assert read.first(conn, {"b_done": True}) == {
            "id": "c",
            "done": True,
            "count": 1,
            "at": None,
            "note": None,
        }
    assert core[0]["at"] == moment and core[0]["done"] is False
    with engine.begin() as conn:
        conn.execute(things.delete())
        assert read.first(conn, {"b_done": True}) is None
    engine.dispose()
