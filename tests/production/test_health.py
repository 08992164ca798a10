"""api/health.py: /health/live answers while the process runs; /health/ready answers 503
naming the failing check — database, migrations, signing key, worker heartbeat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from originlink.bootstrap import build_app, build_node
from originlink.domain.clock import SystemClock
from originlink.node_config import load_config
from originlink.services.context import Node
from tests.production.support import two_homes


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Node, TestClient, Path]]:
    sg, _ = two_homes(tmp_path)
    config = load_config(sg.home)
    node = build_node(config)
    with TestClient(build_app(node, config, run_worker=False)) as client:
        yield node, client, sg.home
    node.store.dispose()


def _beat(node: Node, age: timedelta = timedelta(0)) -> None:
    with node.store.transaction() as tx:
        tx.operations.beat("w1", "host", SystemClock().now() - age)


def test_live_answers_without_checking_anything(served: tuple[Node, TestClient, Path]) -> None:
    _node, client, _home = served
    assert client.get("/health/live").json()["status"] == "ok"


def test_ready_when_every_check_passes(served: tuple[Node, TestClient, Path]) -> None:
    node, client, _home = served
    _beat(node)
    answer = client.get("/health/ready")
    assert answer.status_code == 200, answer.text
    assert answer.json()["checks"] == {
        "database": "ok",
        "migrations": "ok",
        "signing_key": "ok",
        "worker": "ok",
    }


def test_no_recent_heartbeat_is_named(served: tuple[Node, TestClient, Path]) -> None:
    node, client, _home = served
    answer = client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["failing"] == ["worker"]
    assert "has ever run" in answer.json()["detail"]
    _beat(node, timedelta(minutes=5))
    stale = client.get("/health/ready").json()
    assert stale["failing"] == ["worker"] and "s old" in stale["detail"]


def test_a_schema_behind_the_code_is_named(served: tuple[Node, TestClient, Path]) -> None:
    node, client, _home = served
    _beat(node)
    with node.store.engine.begin() as c:  # type: ignore[attr-defined]
        c.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    answer = client.get("/health/ready")
    assert answer.status_code == 503
    assert answer.json()["failing"] == ["migrations"]
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_an_unloadable_signing_key_is_named(served: tuple[Node, TestClient, Path]) -> None:
    node, client, home = served
    _beat(node)
    key = next((home / "keys").glob("*.key.pem"))
    key.write_text("not a key")
    body = client.get("/health/ready").json()
    assert body["failing"] == ["signing_key"]


def test_an_unreachable_database_is_named(
    served: tuple[Node, TestClient, Path], tmp_path: Path
) -> None:
    node, client, _home = served
    from originlink.store.core import Store

    store = node.store
    assert isinstance(store, Store)
    (tmp_path / "gone").mkdir()
    node.store = Store(f"sqlite:///{tmp_path / 'gone'}", migrate=False)  # a folder: no database
    body = client.get("/health/ready").json()
    assert "database" in body["failing"] and "migrations" in body["failing"]
    node.store.dispose()
    node.store = store
