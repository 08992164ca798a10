"""api/logs.py and api/access.py: JSON lines with time, level, logger, request id and message
id; readable lines on a terminal; an access log; never a token, password or personal name."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from originlink.api.logs import configure_logging
from originlink.bootstrap import build_app, build_node
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.node_config import load_config
from originlink.services.node import users
from tests.production.support import two_homes


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging(fmt="json", level="INFO", stream=stream)
    yield stream
    logging.getLogger().handlers.clear()


def _records(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_record_has_time_level_logger_and_ids(captured: io.StringIO) -> None:
    logging.getLogger("originlink.delivery").warning(
        "partner down", extra={"message_id": "m-1", "request_id": "r-1"}
    )
    (record,) = _records(captured)
    assert record["level"] == "warning"
    assert record["logger"] == "originlink.delivery"
    assert record["message_id"] == "m-1" and record["request_id"] == "r-1"
    assert str(record["time"]).endswith("Z") and record["event"] == "partner down"


def test_secrets_and_names_never_reach_the_log(captured: io.StringIO) -> None:
    import structlog

    token = "olk_0123456789ab_" + "s" * 43
    logging.getLogger("originlink.x").info("login with %s by Bearer abc.def", token)
    logging.getLogger("originlink.x").info("db postgresql://app:hunter2@db/originlink")
    structlog.get_logger("originlink.y").info(
        "user added", display_name="Aiko Tanaka", password="hunter2", token=token
    )
    text = captured.getvalue()
    for secret in (token, "abc.def", "hunter2", "Aiko Tanaka"):
        assert secret not in text
    assert text.count("[redacted]") >= 5


def test_a_terminal_gets_readable_lines() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    configure_logging(fmt="auto", stream=stream)
    logging.getLogger("originlink.z").warning("hello operator")
    line = stream.getvalue()
    logging.getLogger().handlers.clear()
    assert "hello operator" in line and not line.lstrip().startswith("{")


def test_every_request_is_in_the_access_log_with_its_id_and_no_credentials(
    tmp_path: Path, captured: io.StringIO
) -> None:
    sg, _ = two_homes(tmp_path)
    config = load_config(sg.home)
    node = build_node(config)
    users.add_user(node, SYSTEM_ACTOR, username="aiko", role="admin", display_name="Aiko Tanaka")
    token = users.create_token(node, SYSTEM_ACTOR, username="aiko")
    with TestClient(build_app(node, config, run_worker=False)) as client:
        answer = client.get(
            "/api/v1/users?limit=5",
            headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-42"},
        )
        assert answer.status_code == 200 and answer.headers["x-request-id"] == "req-42"
        client.get("/api/v1/users", headers={"Authorization": "Bearer olk_bad"})
    node.store.dispose()
    access = [r for r in _records(captured) if r["logger"] == "originlink.access"]
    assert access[0]["request_id"] == "req-42"
    assert "GET /api/v1/users 200" in str(access[0]["event"])
    assert "limit=5" not in str(access[0]["event"])  # no query strings
    assert "GET /api/v1/users 401" in str(access[1]["event"])
    text = captured.getvalue()
    assert token not in text and "Aiko Tanaka" not in text and "aiko" not in text
