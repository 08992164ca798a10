"""``bench scale``: does a node go faster with a second gateway instance on its PostgreSQL?

SG's node runs on a fresh schema of the PostgreSQL server as one, then two ``originlink
serve`` processes (each with its delivery worker) on the same database; JP's gateway receives.
In each phase the benchmark issues N prepared applications through the back-office API,
spread over the instances from eight client threads, and measures COs **accepted** per second:
from the first issue request to the last business response ACCEPTED recorded at SG — the whole
path (issue, sign, store, queue, claim with ``SKIP LOCKED``, send, receive, check, answer).
``ratio`` is ``accepted_per_s_2 / accepted_per_s_1``; on a machine with few cores the second
instance competes with the first (and with PostgreSQL) for them, and the ratio says so.

The same harness (:class:`ScaleNode`) runs the fault test: two instances, one killed with
SIGKILL in the middle of a run, and nothing lost or applied twice.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from originlink.demo.network import DemoNode, free_port, partner, set_up, user
from originlink.domain.clock import SystemClock
from originlink.domain.errors import ConfigurationError, PartnerUnavailable
from originlink.node_config import load_config
from originlink.store.core import Store
from originlink.testing.factories import fresh_application

PHASES = ("setting up", "one instance", "two instances")
#: How long a server may take to answer after its start (a loaded machine is slow to start).
STARTUP_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class ScaleBenchmark:
    count: int
    accepted_per_s_1: float
    accepted_per_s_2: float
    cpus: int

    @property
    def ratio(self) -> float:
        return self.accepted_per_s_2 / self.accepted_per_s_1 if self.accepted_per_s_1 else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "accepted_per_s_1": round(self.accepted_per_s_1, 2),
            "accepted_per_s_2": round(self.accepted_per_s_2, 2),
            "ratio": round(self.ratio, 3),
            "cpus": self.cpus,
        }


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A fresh schema on ``url`` (dropped afterwards); yields a node database URL in it."""
    import psycopg

    schema = f"scale_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        raise PartnerUnavailable(f"PostgreSQL not reachable at {url}: {exc}") from None
    base = url.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@dataclass
class ScaleNode:
    """SG's home on PostgreSQL, JP's gateway running, and SG's instances as processes."""

    root: Path
    database_url: str
    env: dict[str, str] = field(default_factory=dict)
    sg: DemoNode = field(init=False)
    jp: DemoNode = field(init=False)
    instances: list[DemoNode] = field(default_factory=list)
    exporter: str = ""
    officer: str = ""

    def __post_init__(self) -> None:
        self.sg = DemoNode(
            "SG-CUSTOMS",
            "Singapore Customs",
            "SG",
            "issuing-authority",
            ("RCEP",),
            "UTC",
            self.root / "sg",
        )
        self.jp = DemoNode(
            "JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "UTC", self.root / "jp"
        )
        set_up(self.root, [self.sg, self.jp])
        toml = self.sg.home / "node.toml"
        toml.write_text(
            toml.read_text("utf-8") + f'\n[database]\nurl = "{self.database_url}"\n', "utf-8"
        )
        partner(self.sg, self.jp)
        partner(self.jp, self.sg)
        self.exporter = user(self.sg, "exporter", "exporter", "SG-UEN-201912345K")
        self.officer = user(self.sg, "officer", "issuing_officer")
        self.jp.start(wait=False)
        self.jp.wait_ready(timeout=STARTUP_SECONDS)

    def start(self, count: int) -> None:
        """``count`` instances of SG on its one home and database, each on its own port."""
        for _ in range(count):
            instance = DemoNode(
                self.sg.participant,
                self.sg.name,
                "SG",
                "issuing-authority",
                ("RCEP",),
                "UTC",
                self.sg.home,
                port=free_port(),
            )
            instance.start(env=self.env, wait=False)
            self.instances.append(instance)
        for instance in self.instances:
            instance.wait_ready(timeout=STARTUP_SECONDS)

    def stop(self) -> None:
        for instance in self.instances:
            instance.stop()
        self.instances = []

    def close(self) -> None:
        self.stop()
        self.jp.stop()

    def prepare(self, count: int) -> list[str]:
        """``count`` submitted applications (through the first instance)."""
        content = fresh_application(SystemClock().now())
        headers = {"Authorization": f"Bearer {self.exporter}"}
        ids = []
        with httpx2.Client(base_url=self.instances[0].url, timeout=60, headers=headers) as c:
            for _ in range(count):
                app = c.post("/api/v1/applications", json=content).json()
                c.post(f"/api/v1/applications/{app['id']}/submit").raise_for_status()
                ids.append(app["id"])
        return ids

    def issue_all(self, app_ids: list[str], *, during: Callable[[int], None] | None = None) -> None:
        """Issue every application through the instances in turn (eight at a time); a
        request to an instance that died is sent to a live one (409: it was issued)."""
        done = 0
        lock = threading.Lock()

        def issue(index: int, app_id: str) -> None:
            nonlocal done
            order = [self.instances[(index + k) % len(self.instances)] for k in range(3)]
            for instance in order:
                try:
                    answer = httpx2.post(
                        f"{instance.url}/api/v1/applications/{app_id}/issue",
                        headers={"Authorization": f"Bearer {self.officer}"},
                        timeout=60,
                    )
                except httpx2.TransportError:
                    continue
                if answer.status_code in (201, 409):
                    break
                answer.raise_for_status()
            else:
                raise PartnerUnavailable(f"no instance could issue {app_id}")
            with lock:
                done += 1
                count = done
            if during is not None:
                during(count)

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(issue, range(len(app_ids)), app_ids))

    def accepted(self) -> int:
        store = Store(load_config(self.sg.home).database_url, migrate=False)
        try:
            with store.read() as tx:
                _, total = tx.outbox.search(status="ACCEPTED", message_type="co.issued", limit=1)
        finally:
            store.dispose()
        return total

    def wait_accepted(self, total: int, timeout: float) -> float:
        """Wait until ``total`` COs are ACCEPTED; returns when that was seen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.accepted() >= total:
                return time.perf_counter()
            time.sleep(0.1)
        raise ConfigurationError(f"only {self.accepted()} of {total} accepted in {timeout:.0f} s")


def _phase(node: ScaleNode, instances: int, count: int, already: int) -> float:
    node.start(instances)
    try:
        app_ids = node.prepare(count)
        started = time.perf_counter()
        node.issue_all(app_ids)
        finished = node.wait_accepted(already + count, timeout=120 + count)
        return count / (finished - started)
    finally:
        node.stop()


def run(
    *,
    pg_url: str,
    quick: bool = False,
    count: int | None = None,
    step: Callable[[str], None] | None = None,
) -> ScaleBenchmark:
    tell = step or (lambda _phase: None)
    total = count or (40 if quick else 300)
    tell(PHASES[0])
    with (
        tempfile.TemporaryDirectory(prefix="originlink-bench-scale-") as folder,
        postgres_schema(pg_url) as url,
    ):
        node = ScaleNode(Path(folder), url)
        try:
            tell(PHASES[1])
            one = _phase(node, 1, total, 0)
            tell(PHASES[2])
            two = _phase(node, 2, total, total)
        finally:
            node.close()
    return ScaleBenchmark(total, one, two, os.cpu_count() or 1)
