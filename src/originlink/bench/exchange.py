"""``bench exchange``: two gateways as real processes on loopback; N COs issued at A (by A's
issuing service on A's database and key, in the benchmark's process, so that A's server process
only exchanges). Throughput: COs accepted at B per second while A issues as fast as it can.
Latency from issue at A to acceptance at B (p50, p95, p99): measured in a second phase where A
issues at half that throughput, so it is the latency of a loaded but not saturated link rather
than the length of a queue. The ratio divides the p50 latency by a bare HTTP round trip of the
same bytes (a POST of one CO message to a minimal ASGI server on the same loopback).

Issue times come from A's records, acceptance times from B's; both gateways run on this machine
with the same clock.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import select

from originlink.demo.network import DemoNode, free_port, partner, set_up, user
from originlink.domain.authz import Actor, Role
from originlink.domain.clock import SystemClock
from originlink.services.issuing import issuance
from originlink.store.tables import certificates
from originlink.testing.factories import fresh_application

_ECHO_APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": b'{"ok":true}'})
"""


@dataclass(frozen=True, slots=True)
class ExchangeBenchmark:
    count: int
    accepted_per_s: float
    latency_ms_p50: float
    latency_ms_p95: float
    latency_ms_p99: float
    http_ms_p50: float
    message_bytes: int
    latency_rate: float = 0.0

    @property
    def ratio_to_http(self) -> float:
        """End-to-end latency (p50) in bare HTTP round trips of the same bytes."""
        return self.latency_ms_p50 / self.http_ms_p50

    def as_dict(self) -> dict[str, Any]:
        return {
            "accepted_per_s": round(self.accepted_per_s, 1),
            "latency_ms_p50": round(self.latency_ms_p50, 1),
            "latency_ms_p95": round(self.latency_ms_p95, 1),
            "latency_ms_p99": round(self.latency_ms_p99, 1),
            "ratio_to_http": round(self.ratio_to_http, 1),
            "http_ms_p50": round(self.http_ms_p50, 2),
            "count": self.count,
            "message_bytes": self.message_bytes,
            "latency_measured_at_per_s": round(self.latency_rate, 1),
        }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _bare_http(body: bytes, rounds: int) -> float:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "echo_app.py").write_text(_ECHO_APP)
        server = subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
            [
                sys.executable,
                "-m",
                "uvicorn",
                "echo_app:app",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            with httpx2.Client(timeout=10) as client:
                for _ in range(100):
                    try:
                        client.post(url, content=b"{}")
                        break
                    except httpx2.TransportError:
                        time.sleep(0.1)
                times = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    client.post(url, content=body)
                    times.append((time.perf_counter() - started) * 1000)
        finally:
            server.terminate()
            server.wait()
    return statistics.median(times)


#: The phases :func:`run` reports to ``step``, in order.
PHASES = (
    "starting two gateways",
    "preparing applications",
    "throughput",
    "latency at half that rate",
    "bare HTTP round trips",
)


def run(
    *, quick: bool = False, count: int | None = None, step: Callable[[str], None] | None = None
) -> ExchangeBenchmark:
    """Measure; ``step`` is told of each phase of :data:`PHASES` as it starts (progress)."""
    tell = step or (lambda _phase: None)
    tell(PHASES[0])
    total = count or (30 if quick else 1000)
    with tempfile.TemporaryDirectory(prefix="originlink-bench-exchange-") as folder:
        root = Path(folder)
        a = DemoNode(
            "SG-CUSTOMS",
            "Singapore Customs",
            "SG",
            "issuing-authority",
            ("RCEP",),
            "Asia/Singapore",
            root / "a",
        )
        b = DemoNode(
            "JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "Asia/Tokyo", root / "b"
        )
        set_up(root, [a, b])
        partner(a, b)
        partner(b, a)
        exporter = user(a, "exporter", "exporter", "SG-UEN-201912345K")
        user(a, "officer", "issuing_officer")
        a.start()
        b.start()
        try:
            tell(PHASES[1])
            app_ids = _prepare(a, exporter, total)
            paced_ids = _prepare(a, exporter, paced_count := max(10, min(200, total // 5)))
            tell(PHASES[2])
            saturated = _issue_all(a, app_ids)
            _wait_accepted(b, total, timeout=60 + total * 0.5)
            received = _received_times(b)
            issued_at = _issued_times(a)
            done = [n for n in saturated if n in received]
            span = max(received[n] for n in done) - min(issued_at[n] for n in saturated)
            throughput = len(done) / span
            rate = max(5.0, throughput / 2)
            tell(PHASES[3])
            paced = _issue_all(a, paced_ids, interval=1 / rate)
            _wait_accepted(b, total + paced_count, timeout=60 + paced_count)
            received = _received_times(b)
            issued_at = _issued_times(a)
            message_bytes = _message_size(a)
        finally:
            a.stop()
            b.stop()
    latencies = [(received[n] - issued_at[n]) * 1000 for n in paced if n in received]
    tell(PHASES[4])
    bare = _bare_http(b"x" * message_bytes, 20 if quick else 200)
    return ExchangeBenchmark(
        count=total,
        accepted_per_s=throughput,
        latency_ms_p50=_percentile(latencies, 0.50),
        latency_ms_p95=_percentile(latencies, 0.95),
        latency_ms_p99=_percentile(latencies, 0.99),
        http_ms_p50=bare,
        message_bytes=message_bytes,
        latency_rate=rate,
    )


def _prepare(a: DemoNode, token: str, total: int) -> list[str]:
    content = fresh_application(SystemClock().now())
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    with httpx2.Client(base_url=a.url, timeout=60, headers=headers) as client:
        for _ in range(total):
            app = client.post("/api/v1/applications", json=content).json()
            client.post(f"/api/v1/applications/{app['id']}/submit").raise_for_status()
            ids.append(app["id"])
    return ids


def _issue_all(a: DemoNode, app_ids: list[str], *, interval: float = 0.0) -> list[str]:
    """Issue every application with A's issuing service on A's database and key, in this
    process: A's server process is left to exchange, as a gateway beside a busy back office."""
    node = a.open()
    try:
        with node.store.read() as tx:
            record = tx.users.by_username("officer")
        assert record is not None
        officer = Actor(record.id, record.username, Role.ISSUING_OFFICER, via="bench")
        numbers = []
        started = time.perf_counter()
        for index, app_id in enumerate(app_ids):
            if interval:
                time.sleep(max(0.0, started + index * interval - time.perf_counter()))
            numbers.append(issuance.issue_application(node, officer, app_id).certificate.number)
        return numbers
    finally:
        node.store.dispose()


def _query(node: DemoNode, side: str) -> dict[str, float]:
    store = node.database()
    try:
        with store.read() as tx:
            rows = tx.connection.execute(
                select(certificates.c.number, certificates.c.created_at).where(
                    certificates.c.side == side
                )
            ).all()
    finally:
        store.dispose()
    return {r.number: r.created_at.timestamp() for r in rows}


def _received_times(b: DemoNode) -> dict[str, float]:
    return _query(b, "import")


def _issued_times(a: DemoNode) -> dict[str, float]:
    return _query(a, "export")


def _wait_accepted(b: DemoNode, total: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_received_times(b)) >= total:
            return
        time.sleep(0.25)
    raise TimeoutError(f"only {len(_received_times(b))} of {total} COs arrived in time")


def _message_size(a: DemoNode) -> int:
    from originlink.store.exchange_tables import outbox

    store = a.database()
    try:
        with store.read() as tx:
            row = tx.connection.execute(
                select(outbox.c.envelope, outbox.c.payload)
                .where(outbox.c.message_type == "co.issued")
                .limit(1)
            ).first()
    finally:
        store.dispose()
    return len(row.envelope) + len(row.payload) * 4 // 3 + 40 if row else 10_000
