"""Backups of a node's database, taken while the node runs.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot page
by page while writers go on; the copy is checked with ``PRAGMA integrity_check``. A restore
copies the snapshot back into the database file with the same API, so the node's WAL and its
open connections see one consistent database.

PostgreSQL: ``pg_dump --format=custom`` (and ``pg_restore --clean --if-exists``) when the
client tools are installed; the README's procedure says the same for operators who run them
themselves. The dump holds one consistent snapshot (a repeatable-read transaction).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from originlink.domain.errors import ConfigurationError, InputError

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ConfigurationError("an in-memory database has nothing to back up")
    return Path(database)


def backup(url: str, out: Path) -> str:
    """Write a consistent copy of the database at ``url`` to ``out``; returns the method."""
    if url.startswith("sqlite"):
        source = sqlite3.connect(_sqlite_path(url))
        tmp = out.with_name(f".{out.name}.partial")
        tmp.unlink(missing_ok=True)
        target = sqlite3.connect(tmp)
        try:
            with target:
                source.backup(target)
            (result,) = target.execute("PRAGMA integrity_check").fetchone()
        finally:
            target.close()
            source.close()
        if result != "ok":
            tmp.unlink(missing_ok=True)
            raise InputError(f"the copy failed its integrity check: {result}")
        tmp.chmod(0o600)
        tmp.replace(out)
        return "sqlite online backup"
    tool = _tool("pg_dump")
    _run([tool, "--format=custom", "--no-owner", *_schema(url), f"--file={out}", _libpq(url)])
    out.chmod(0o600)
    return "pg_dump --format=custom"


def restore(url: str, backup_file: Path) -> str:
    """Replace the database at ``url`` with the contents of ``backup_file``."""
    try:
        with backup_file.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        raise InputError(f"{backup_file}: cannot be read ({exc.strerror})") from None
    if url.startswith("sqlite"):
        if head != SQLITE_MAGIC:
            raise InputError(f"{backup_file} is not a SQLite backup made by 'originlink backup'")
        source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
        target = sqlite3.connect(_sqlite_path(url))
        try:
            (result,) = source.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise InputError(f"{backup_file} fails its integrity check: {result}")
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
        return "sqlite online backup"
    if not head.startswith(PG_MAGIC):
        raise InputError(f"{backup_file} is not a pg_dump custom-format archive")
    tool = _tool("pg_restore")
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            *_schema(url),
            f"--dbname={_libpq(url)}",
            str(backup_file),
        ]
    )
    return "pg_restore --clean"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ConfigurationError(
            f"{name} is not installed: install the PostgreSQL client tools, or follow the "
            "backup procedure in the README ('Running in production')"
        )
    return found


def _schema(url: str) -> list[str]:
    """``--schema=S`` when the URL confines the node to schema S (``options=-csearch_path=S``):
    the dump and the restore then touch that schema alone."""
    options = str(make_url(url).query.get("options", ""))
    for part in options.split():
        if part.startswith("-csearch_path="):
            return [f"--schema={part.split('=', 1)[1].split(',')[0]}"]
    return []


def _libpq(url: str) -> str:
    """The URL as libpq reads it (no SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise InputError(
            f"{Path(command[0]).name} failed: {detail[-1] if detail else done.returncode}"
        )
