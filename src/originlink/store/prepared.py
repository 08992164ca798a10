"""Write statements compiled once per dialect and run as the driver's SQL.

Every issuance, every received CO and every delivered message runs the same few INSERT and
UPDATE statements. Through :meth:`Connection.execute`, SQLAlchemy Core derives each statement's
cache key, finds its compiled form and builds the parameters through the compiled object on
every call; measured here, that costs two to three times SQLite's own work for the statement.
A :class:`PreparedWrite` does that part once per dialect: SQLAlchemy compiles the statement and
supplies each parameter's type processor, and each call only puts the values in order, converts
them and hands the SQL to :meth:`Connection.exec_driver_sql`. That keeps what matters of
SQLAlchemy's execution: the transaction, the ``before_cursor_execute`` events, logging, and error
wrapping (a unique-key violation is still :class:`sqlalchemy.exc.IntegrityError`).

A prepared statement takes exactly the values it was declared with: no column defaults are
filled in for it, so a value the statement needs and the caller did not give is an error when
it is compiled, not a NULL in the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, CursorResult, Dialect
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

    def __init__(self, statement: UpdateBase, keys: Iterable[str]) -> None:
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
