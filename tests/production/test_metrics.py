"""api/metrics.py: the node's figures counted in its database at each scrape, this process's
HTTP and database-error counters, and /metrics only for the allowed addresses."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client import generate_latest

from originlink.api.metrics import DATABASE_ERRORS, registry_for
from originlink.bootstrap import build_app, build_node, count_database_errors
from originlink.node_config import load_config
from tests.exchange_support import issue, two_gateways
from tests.production.support import two_homes


def _value(text: str, prefix: str) -> float:
    for line in text.splitlines():
        if line.startswith(prefix + " ") or (
            line.startswith(prefix + "{") and line.split(" ")[0] == prefix
        ):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{prefix} not in metrics:\n{text}")


def test_figures_of_an_exchange_are_reported(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issue(sg)
    issue(sg)
    before = generate_latest(registry_for(sg.node)).decode()
    assert _value(before, "originlink_outbox_depth") == 2
    assert _value(before, 'originlink_messages{direction="outbound",state="QUEUED"}') == 2
    net.drain()
    at_sg = generate_latest(registry_for(sg.node)).decode()
    at_jp = generate_latest(registry_for(jp.node)).decode()
    assert _value(at_sg, 'originlink_certificates_issued_total{agreement="RCEP",partner="JP"}') == 2
    assert (
        _value(
            at_jp, 'originlink_certificates_received_total{agreement="RCEP",partner="SG-CUSTOMS"}'
        )
        == 2
    )
    assert _value(at_sg, "originlink_outbox_depth") == 0
    assert _value(at_sg, "originlink_dead_letters") == 0
    assert _value(at_sg, "originlink_delivery_latency_seconds_count") == 2
    assert _value(at_sg, 'originlink_verification_cases{state="open"}') == 0
    assert _value(at_jp, 'originlink_messages{direction="inbound",state="RECEIVED"}') == 2
    net.close()


def test_metrics_only_for_allowed_addresses_and_http_requests_counted(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    config = load_config(sg.home)
    node = build_node(config)
    app = build_app(node, config, run_worker=False)
    with TestClient(app, client=("203.0.113.5", 4000)) as outsider:
        refused = outsider.get("/metrics")
        assert refused.status_code == 403
        assert "203.0.113.5" in refused.json()["detail"]
    with TestClient(app, client=("127.0.0.1", 4000)) as local:
        local.get("/health/live")
        text = local.get("/metrics").text
    assert 'originlink_http_requests_total{method="GET",route="/health/live",status="200"}' in text
    assert (
        'originlink_http_request_duration_seconds_count{method="GET",route="/health/live"}' in text
    )
    node.store.dispose()


def test_database_errors_are_counted(tmp_path: Path) -> None:
    from originlink.domain.errors import AlreadyStored
    from originlink.store.core import Store

    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    count_database_errors()
    before = DATABASE_ERRORS.labels("conflict")._value.get()
    from sqlalchemy import text

    try:
        with store.engine.begin() as c:
            c.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (99, 0, 'x')"))
            c.execute(text("INSERT INTO audit_head (id, seq, hash) VALUES (99, 0, 'x')"))
    except AlreadyStored:
        pass
    assert DATABASE_ERRORS.labels("conflict")._value.get() == before + 1
    store.dispose()
