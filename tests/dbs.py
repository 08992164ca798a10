"""Databases for tests: a temporary SQLite file, and PostgreSQL when reachable.

PostgreSQL tests use the server at ``ORIGINLINK_TEST_PG_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``), each test in a schema of its own that is
dropped afterwards. When the server cannot be reached the PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

PG_URL = os.environ.get("ORIGINLINK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@lru_cache(maxsize=1)
def postgres_unavailable() -> str | None:
    """None when PostgreSQL answers, else the reason it cannot be used."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return f"psycopg is not installed: {exc}"
    try:
        with psycopg.connect(PG_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}: {exc}"
    return None


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema; yields a SQLAlchemy URL whose search_path points at it."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    base = PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'node.db'}"
