"""deploy/: the image is slim and runs as a non-root user; compose runs PostgreSQL, two gateway
instances, one worker and Prometheus; Prometheus scrapes both instances; every metric the alert
rules and the Grafana dashboard use is one a node really exports; the systemd units run the
same commands, as the originlink account, with a private umask."""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path

import pytest
import yaml
from prometheus_client import generate_latest

from originlink.api.metrics import registry_for
from tests.exchange_support import issue, two_gateways

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_image_is_slim_non_root_and_downloads_nothing_itself() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.M)
    (user,) = re.findall(r"^USER (\S+)", text, re.M)
    assert user.split(":")[0] not in {"root", "0"}
    assert "-c constraints.txt" in text  # pinned, from the package registry
    assert not re.search(r"\b(curl|wget)\b|^ADD https?:", text, re.M)
    assert '"serve"' in text and "/health/live" in text


def test_compose_has_postgresql_two_gateways_a_worker_and_prometheus() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "gateway-1", "gateway-2", "worker", "prometheus"} <= set(services)
    for name in ("gateway-1", "gateway-2"):
        command = services[name]["command"]
        assert command[0] == "serve" and "--no-worker" in command
        env = services[name]["environment"]
        assert env["ORIGINLINK_DATABASE_URL"].startswith("postgresql://")
        assert "ORIGINLINK_KEY_FILE" in env  # keys mounted as secrets
    assert services["worker"]["command"] == ["worker"]
    assert services["gateway-1"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    prometheus = yaml.safe_load((DEPLOY / "prometheus.yml").read_text())
    targets = prometheus["scrape_configs"][0]["static_configs"][0]["targets"]
    assert targets == ["gateway-1:8080", "gateway-2:8080"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every metric name a node exports (with its _total, _bucket, _count, _sum series)."""
    net = two_gateways(tmp_path_factory.mktemp("deploy"))
    issue(net["SG-CUSTOMS"])
    net.drain()
    from originlink.api.metrics import DATABASE_ERRORS, HTTP_DURATION, HTTP_REQUESTS

    HTTP_REQUESTS.labels("/x", "GET", "200").inc(0)
    HTTP_DURATION.labels("/x", "GET").observe(0)
    DATABASE_ERRORS.labels("other").inc(0)
    text = generate_latest(registry_for(net["SG-CUSTOMS"].node)).decode()
    net.close()
    names: set[str] = set()
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            base = name.removesuffix("_total") if kind == "counter" else name
            names.update(base + suffix for suffix in suffixes[kind])
    return names


def _used(text: str) -> set[str]:
    return set(re.findall(r"\boriginlink_[a-z_]+", text))


def test_alert_rules_use_only_exported_metrics(exported: set[str]) -> None:
    rules = yaml.safe_load((DEPLOY / "alerts.yml").read_text())
    exprs = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    assert len(exprs) >= 8
    used = set().union(*(_used(e) for e in exprs))
    assert used and used <= exported, used - exported


def test_the_dashboard_shows_every_figure_and_only_exported_ones(exported: set[str]) -> None:
    dashboard = json.loads((DEPLOY / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = set().union(*(_used(e) for e in exprs))
    assert used <= exported, used - exported
    for needed in (
        "originlink_certificates_issued_total",
        "originlink_certificates_received_total",
        "originlink_messages",
        "originlink_delivery_latency_seconds_bucket",
        "originlink_outbox_depth",
        "originlink_outbox_oldest_due_seconds",
        "originlink_dead_letters",
        "originlink_claim_decisions_total",
        "originlink_verification_cases",
        "originlink_http_requests_total",
        "originlink_http_request_duration_seconds_bucket",
        "originlink_database_errors_total",
    ):
        assert needed in used, needed


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("originlink-gateway@.service", "originlink serve"),
        ("originlink-worker.service", "originlink worker"),
        ("originlink-backup.service", "originlink backup --out"),
        ("originlink-retention.service", "originlink retention run"),
    ],
)
def test_systemd_units_run_as_originlink_with_a_private_umask(unit: str, command: str) -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read(DEPLOY / "systemd" / unit)
    service = parser["Service"]
    assert command in service["ExecStart"]
    assert service["User"] == "originlink" and service["UMask"] == "0077"
    assert service["NoNewPrivileges"] == "yes"
    for timer in ("originlink-backup.timer", "originlink-retention.timer"):
        assert (DEPLOY / "systemd" / timer).is_file()
