"""Statements compiled once per dialect and run as the driver's SQL.

Every issuance, every received CO and every delivered message runs the same few INSERT and
UPDATE statements. Through :meth:`Connection.execute`, SQLAlchemy Core derives each statement's
cache key, finds its compiled form and builds the parameters through the compiled object on
every call; measured here, that costs two to three times SQLite's own work for the statement.
A :class:`PreparedWrite` does that part once per dialect: SQLAlchemy compiles the statement and
supplies each parameter's type processor, and each call only puts the values in order, converts
them and hands the SQL to :meth:`Connection.exec_driver_sql`. That keeps what matters of
SQLAlchemy's execution: the transaction, the ``before_cursor_execute`` events, logging, and error
wrapping (a unique-key violation is still :class:`sqlalchemy.exc.IntegrityError`).

:class:`PreparedRead` does the same for the few SELECTs by key on those paths (is this message
id in the inbox already? which records carry this CO number?) and converts each column with
its type's result processor, as SQLAlchemy would.

A prepared statement takes exactly the values it was declared with: no column defaults are
filled in for it, so a value the statement needs and the caller did not give is an error when
it is compiled, not a NULL in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql import Select
from sqlalchemy.sql.dml import UpdateBase

_Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Form:
    """One statement compiled for one dialect."""

    sql: str
    #: per parameter, in the driver's order when it is positional: (the caller's key, or None
    #: for a value the statement fixes itself such as ``last_value + 1``; the type's processor;
    #: that fixed value, already converted; the compiled parameter name)
    plan: tuple[tuple[str | None, _Processor, Any, str], ...]
    positional: bool

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        if self.positional:
            return tuple(
                [
                    fixed
                    if key is None
                    else values[key]
                    if process is None
                    else process(values[key])
                    for key, process, fixed, _ in self.plan
                ]
            )
        return {
            name: fixed if key is None else values[key] if process is None else process(values[key])
            for key, process, fixed, name in self.plan
        }


class PreparedWrite:
    """An INSERT or UPDATE (with optional RETURNING) run with the given ``keys``' values."""

    __slots__ = ("_forms", "_keys", "_statement")

    def __init__(self, statement: UpdateBase | Select[Any], keys: Iterable[str]) -> None:
        self._statement = statement
        self._keys = tuple(keys)
        self._forms: dict[tuple[str, str], _Form] = {}

    def __call__(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        form = self._form(connection.dialect)
        return connection.exec_driver_sql(form.sql, form.parameters(values))

    def many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """The statement once per row, as one ``executemany``."""
        form = self._form(connection.dialect)
        connection.exec_driver_sql(form.sql, [form.parameters(row) for row in rows])

    def _form(self, dialect: Dialect) -> _Form:
        form = self._forms.get((dialect.name, dialect.driver))
        return form if form is not None else self._compile(dialect)

    def _compile(self, dialect: Dialect) -> _Form:
        compiled = self._statement.compile(dialect=dialect, column_keys=list(self._keys))
        entries: dict[str, tuple[str | None, _Processor, Any, str]] = {}
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.key in self._keys:
                entries[name] = (bind.key, process, None, name)
            elif not bind.required and bind.callable is None:
                value = bind.effective_value
                entries[name] = (None, None, value if process is None else process(value), name)
            else:
                raise ValueError(
                    f"{self._statement} needs a value for {bind.key!r}, which is not among "
                    f"the prepared keys {self._keys}"
                )
        unknown = set(self._keys) - {key for key, _, _, _ in entries.values()}
        if unknown:
            raise ValueError(f"{sorted(unknown)} are not parameters of {self._statement}")
        order = compiled.positiontup
        plan = (
            tuple(entries[name] for name in order) if order is not None else tuple(entries.values())
        )
        form = _Form(compiled.string, plan, order is not None)
        self._forms[(dialect.name, dialect.driver)] = form
        return form


class PreparedWrites:
    """One :class:`PreparedWrite` per set of keys, for a statement whose callers change
    different columns (``UPDATE outbox SET status = ..., attempts = ...``)."""

    __slots__ = ("_by_keys", "_statement")

    def __init__(self, statement: UpdateBase) -> None:
        self._statement = statement
        self._by_keys: dict[tuple[str, ...], PreparedWrite] = {}

    def __call__(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        keys = tuple(values)
        prepared = self._by_keys.get(keys)
        if prepared is None:
            prepared = self._by_keys[keys] = PreparedWrite(self._statement, keys)
        return prepared(connection, values)


class PreparedRead:
    """A SELECT of plain columns run with the given ``keys``' values; rows come back as
    mappings of column name to value, converted by each column's type."""

    __slots__ = ("_columns", "_statement", "_write")

    def __init__(self, statement: Select[Any], keys: Iterable[str]) -> None:
        self._statement = statement
        self._write = PreparedWrite(statement, keys)
        self._columns: dict[tuple[str, str], tuple[tuple[str, _Processor], ...]] = {}

    def all(self, connection: Connection, values: Mapping[str, Any]) -> list[dict[str, Any]]:
        columns = self._columns_for(connection.dialect)
        return [
            {
                name: value if process is None else process(value)
                for (name, process), value in zip(columns, row, strict=True)
            }
            for row in self._write(connection, values)
        ]

    def first(self, connection: Connection, values: Mapping[str, Any]) -> dict[str, Any] | None:
        rows = self.all(connection, values)
        return rows[0] if rows else None

    def _columns_for(self, dialect: Dialect) -> tuple[tuple[str, _Processor], ...]:
        key = (dialect.name, dialect.driver)
        columns = self._columns.get(key)
        if columns is None:
            columns = self._columns[key] = tuple(
                (str(column.key), column.type.dialect_impl(dialect).result_processor(dialect, None))
                for column in self._statement.selected_columns
            )
        return columns
