"""``/metrics`` in the Prometheus text format, for the addresses the configuration allows.

Two kinds of figures:

* counted in this process — HTTP requests per route, method and status with their durations,
  database errors — with prometheus-client's counters and histograms. With several server
  processes (``serve --workers N``) ``PROMETHEUS_MULTIPROC_DIR`` is set by ``serve`` before
  they start and every process writes its counters there; a scrape of any process adds them
  all up (prometheus-client's multiprocess mode).
* counted in the database at scrape time (:class:`NodeCollector`) — COs issued and received
  per agreement and partner, messages per state, outbox depth and the age of the oldest due
  message, dead letters, claim decisions per outcome, verification cases open and overdue,
  and delivery latency over the last hour — so every instance reports the same totals, and
  workers on other machines need no scrape of their own for them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

from originlink.api.problems import problem
from originlink.services.context import Node
from originlink.services.node import operations

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)

HTTP_REQUESTS = Counter(
    "originlink_http_requests_total",
    "HTTP requests answered, per route template, method and status",
    ["route", "method", "status"],
)
HTTP_DURATION = Histogram(
    "originlink_http_request_duration_seconds",
    "Time to answer an HTTP request, per route template and method",
    ["route", "method"],
)
DATABASE_ERRORS = Counter(
    "originlink_database_errors_total",
    "Database statements that failed, per kind (unavailable, conflict, other)",
    ["kind"],
)


class NodeCollector(Collector):
    """Figures of the node's work, counted in its database at each scrape."""

    def __init__(self, node: Node) -> None:
        self.node = node

    def collect(self) -> Iterator[Metric]:
        figures = operations.figures(self.node)
        issued = CounterMetricFamily(
            "originlink_certificates_issued",
            "COs issued, per agreement and importing partner country",
            labels=["agreement", "partner"],
        )
        for (agreement, partner), count in sorted(figures.issued.items()):
            issued.add_metric([agreement, partner], count)
        received = CounterMetricFamily(
            "originlink_certificates_received",
            "COs received, per agreement and sending partner",
            labels=["agreement", "partner"],
        )
        for (agreement, partner), count in sorted(figures.received.items()):
            received.add_metric([agreement, partner], count)
        messages = GaugeMetricFamily(
            "originlink_messages", "Messages per direction and state", labels=["direction", "state"]
        )
        for (direction, state), count in sorted(figures.messages.items()):
            messages.add_metric([direction, state], count)
        claims = CounterMetricFamily(
            "originlink_claim_decisions",
            "Preference claims decided, per outcome",
            labels=["outcome"],
        )
        for outcome, count in sorted(figures.claim_decisions.items()):
            claims.add_metric([outcome], count)
        yield issued
        yield received
        yield messages
        yield claims
        yield GaugeMetricFamily(
            "originlink_outbox_depth", "Messages waiting to be sent", value=figures.outbox_depth
        )
        yield GaugeMetricFamily(
            "originlink_outbox_oldest_due_seconds",
            "Age of the oldest message due and not yet sent",
            value=figures.oldest_due_age_seconds,
        )
        yield GaugeMetricFamily(
            "originlink_dead_letters", "Messages given up (DEAD)", value=figures.dead_letters
        )
        cases = GaugeMetricFamily(
            "originlink_verification_cases", "Verification cases by state", labels=["state"]
        )
        cases.add_metric(["open"], figures.cases_open)
        cases.add_metric(["overdue"], figures.cases_overdue)
        yield cases
        yield _latency(operations.delivery_latencies(self.node))


def _latency(values: Sequence[float]) -> Metric:
    buckets: list[tuple[str, float]] = []
    for bound in LATENCY_BUCKETS:
        buckets.append((str(bound), float(sum(1 for v in values if v <= bound))))
    buckets.append(("+Inf", float(len(values))))
    return HistogramMetricFamily(
        "originlink_delivery_latency_seconds",
        "Queued to delivered (or answered) over the last hour",
        buckets=buckets,
        sum_value=float(sum(values)),
    )


def registry_for(node: Node, *, multiprocess_mode: bool = False) -> CollectorRegistry:
    """This process's counters (or every process's, in multiprocess mode) and the node's."""
    registry = CollectorRegistry()
    if multiprocess_mode:
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        for metric in (HTTP_REQUESTS, HTTP_DURATION, DATABASE_ERRORS):
            registry.register(metric)
    registry.register(NodeCollector(node))
    return registry


def allowed(address: str | None, networks: Iterable[Any]) -> bool:
    if address is None:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def parse_networks(allow: Sequence[str]) -> list[Any]:
    """The allowed networks (``127.0.0.1/32``, ``10.0.0.0/8``, a bare address)."""
    return [ipaddress.ip_network(item.strip(), strict=False) for item in allow if item.strip()]


def create_metrics_router(
    node: Node, allow: Sequence[str], *, multiprocess_mode: bool = False
) -> APIRouter:
    networks = parse_networks(allow)
    registry = registry_for(node, multiprocess_mode=multiprocess_mode)
    router = APIRouter(tags=["health"])

    @router.get("/metrics", summary="Prometheus metrics (allowed addresses only)")
    def metrics(request: Request) -> Response:
        """The node's metrics in the Prometheus text format; 403 for other addresses."""
        client = request.client.host if request.client else None
        if not allowed(client, networks):
            return problem(
                403,
                "METRICS_FORBIDDEN",
                "Forbidden",
                f"{client or 'this address'} may not read the metrics (setting metrics_allow)",
            )
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
