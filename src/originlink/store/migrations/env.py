"""Alembic environment: runs on the connection the caller passes (see ``store.migrate``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from originlink.store.schema import metadata

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):  # pragma: no cover - misuse guard
    raise RuntimeError("run migrations through originlink.store.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
