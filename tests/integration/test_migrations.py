"""The Alembic migrations create exactly the schema the code declares, on both databases."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from originlink.store.core import Store
from originlink.store.migrate import current_revision, head_revision, upgrade
from originlink.store.repos.certificates import _BY_NUMBER, Certificates
from originlink.store.schema import metadata
from tests.dbs import sqlite_url


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


def test_a_register_from_0005_upgrades_and_finds_by_number_with_one_index_search(
    tmp_path: Path,
) -> None:
    """0006 puts ``side`` in the lookup index: before, SQLite read every record of the issuing
    country on that side to match one received CO."""
    url = sqlite_url(tmp_path)
    engine = create_engine(url)
    upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO certificates (id, side, status, issuing_country, authority_code, "
                "number, copy_seq, form_code, exporting_country, importing_country, version, "
                "digest, document, created_at, updated_at) VALUES ('c1', 'IMPORT', 'RECEIVED', "
                "'SG', 'SG-CUSTOMS', 'SG-1', 0, 'RCEP', 'SG', 'JP', 1, 'd', '{}', "
                "'2026-11-29 00:00:00.000000', '2026-11-29 00:00:00.000000')"
            )
        )
    engine.dispose()
    store = Store(url)
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        found = Certificates(conn).find(side="IMPORT", issuing_country="SG", number="SG-1")
        compiled = _BY_NUMBER.compile(dialect=conn.dialect)
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + str(compiled), ("IMPORT", "SG", "SG-1")
        ).all()
    assert [r.id for r in found] == ["c1"]
    assert "ix_certificates_lookup (issuing_country=? AND number=? AND side=?)" in plan[0][3]
    store.dispose()
