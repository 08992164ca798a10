"""The Alembic migrations create exactly the schema the code declares, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from originlink.store.core import Store
from originlink.store.migrate import current_revision, head_revision
from originlink.store.tables import metadata


def test_migrations_match_the_declared_tables(db_url: str) -> None:
    store = Store(db_url)
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == []
    store.dispose()


def test_migrating_twice_is_harmless(db_url: str) -> None:
    Store(db_url).dispose()
    store = Store(db_url)
    assert current_revision(store.engine) == head_revision()
    store.dispose()
