"""Shared fixtures: paths of the repository and the bundled examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def _find_shared_reference() -> Path:
    """``../shared/reference`` next to the checkout (or any parent folder)."""
    for folder in REPO.parents:
        candidate = folder / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return REPO.parent / "shared" / "reference"


SHARED_REFERENCE = _find_shared_reference()


def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text("utf-8"))
    return data


@pytest.fixture
def minimal_co() -> dict[str, Any]:
    """The minimal issued CO of ``dataset.md``'s appendix, as JSON data."""
    return load_example("valid/rcep-sg-jp-minimal.json")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """The same test on SQLite and on PostgreSQL (skipped, with the reason, when unreachable)."""
    from tests.dbs import postgres_schema, postgres_unavailable, sqlite_url

    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres_schema() as url:
        yield url
