"""``bench web``: how long a list page takes on the server with 100,000 COs stored.

The COs are bulk-inserted as received records (as ``bench claims`` does: the list never reads
the document), spread over four partners, three agreements, five statuses and a year of
arrival times. One measured page is what the customs officer's list asks of the node: the
filters read and checked, the page of 50 read through the unit of work (rows, capped count,
cursor), and the HTML rendered: one GET of ``/app/customs/certificates`` through the node's
whole application, as the signed-in officer (:mod:`originlink.bench.web_pages`;
``--service-only`` measures the service alone). The
ratio divides its p50 by the p50 of the bare work: the same 51 rows selected by one SQL
statement, without checks, count or HTML. Pages measured: the first, each filter, and the
tenth by cursor and by offset.

``--quick`` loads 10,000 COs instead (``cos`` says what was loaded).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from originlink.bench.web_pages import page_renderer
from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.services.context import Node
from originlink.services.importing.received import ListQuery, received_certificates
from originlink.services.node import users as user_service
from originlink.store.core import Store
from originlink.store.tables import certificates
from originlink.testing import TestCA
from originlink.testing.nodes import build_test_node

FULL_SIZE = 100_000
QUICK_SIZE = 10_000
BATCH = 20_000
TARGET_MS = 50.0
PARTNERS = ("SG-CUSTOMS", "KR-CUSTOMS", "AU-CUSTOMS", "VN-CUSTOMS")
AGREEMENTS = ("RCEP", "AJCEP", "CPTPP")
STATUSES = ("RECEIVED", "RECEIVED", "RECEIVED", "REJECTED", "CANCELLED", "REPLACED")
START = datetime(2025, 1, 1, tzinfo=UTC)

#: Renders one page of the list for an actor and a query (the web layer's, when measured).
PageRenderer = Callable[[Node, Actor, ListQuery], Any]


def load_received(store: Store, start: int, stop: int) -> None:
    """Insert received COs ``start`` .. ``stop - 1`` in batches (deterministic contents)."""
    for low in range(start, stop, BATCH):
        high = min(stop, low + BATCH)
        rows = []
        for i in range(low, high):
            partner = PARTNERS[i % len(PARTNERS)]
            at = START + timedelta(minutes=5 * i)
            rows.append(
                {
                    "id": str(uuid.UUID(int=i + 1)),
                    "side": "import",
                    "status": STATUSES[i % len(STATUSES)],
                    "verification_status": None,
                    "issuing_country": partner[:2],
                    "authority_code": partner,
                    "number": f"{AGREEMENTS[i % 3]}-{partner[:2]}-2025-{i:07d}",
                    "copy_seq": 0,
                    "agreement": AGREEMENTS[i % 3],
                    "form_code": "FORM",
                    "exporting_country": partner[:2],
                    "importing_country": "JP",
                    "organisation": None,
                    "importer_name": "Example Trading KK",
                    "partner": partner,
                    "issue_datetime": at - timedelta(hours=2),
                    "validity_end_date": (at + timedelta(days=180)).date(),
                    "version": 1,
                    "digest": "x" * 43,
                    "document": "{}",
                    "application_id": None,
                    "replaced_by_id": None,
                    "findings": None,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        with store.transaction() as tx:
            tx.connection.execute(certificates.insert(), rows)


def _service_only(node: Node, actor: Actor, query: ListQuery) -> Any:
    return received_certificates(node, actor, query)


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(work: Callable[[], Any], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@dataclass(frozen=True, slots=True)
class Figures:
    name: str
    p50: float
    p99: float


@dataclass(frozen=True, slots=True)
class WebBenchmark:
    cos: int
    pages: list[Figures]
    raw_p50: float
    rendered: bool

    @property
    def worst_p50(self) -> float:
        return max(f.p50 for f in self.pages)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"cos": self.cos, "rendered_html": self.rendered}
        for fig in self.pages:
            out[f"page_ms_p50_{fig.name}"] = round(fig.p50, 3)
            out[f"page_ms_p99_{fig.name}"] = round(fig.p99, 3)
        out["raw_query_ms_p50"] = round(self.raw_p50, 3)
        out["ratio_to_raw_first"] = round(self.pages[0].p50 / self.raw_p50, 2)
        out["worst_page_ms_p50"] = round(self.worst_p50, 3)
        out["target_ms"] = TARGET_MS
        out["within_target"] = self.worst_p50 <= TARGET_MS
        return out


#: The phases :func:`run` reports to ``step``, in order.
PHASES = ("loading COs", "measuring pages")


def run(
    *,
    quick: bool = False,
    html: bool = True,
    step: Callable[[str], None] | None = None,
) -> WebBenchmark:
    """Measure on SQLite: the HTML page through the node's application (``html``), or the
    service alone."""
    tell = step or (lambda _phase: None)
    size = QUICK_SIZE if quick else FULL_SIZE
    count = 50 if quick else 200
    with tempfile.TemporaryDirectory(prefix="originlink-bench-") as folder:
        render = page_renderer(Path(folder) / "home") if html else _service_only
        tnode = build_test_node(
            f"sqlite:///{Path(folder) / 'web.db'}",
            ca=TestCA(),
            participant="JP-CUSTOMS",
            country="JP",
            timezone="Asia/Tokyo",
            now=START + timedelta(minutes=5 * size),
        )
        try:
            tell(PHASES[0])
            load_received(tnode.store, 0, size)
            user = user_service.add_user(
                tnode.node, SYSTEM_ACTOR, username="bench", role="customs_officer"
            )
            actor = Actor(user.id, "bench", Role.CUSTOMS_OFFICER, via="bench")
            tell(PHASES[1])
            return _measure(tnode.store, tnode.node, actor, size, count, render, html)
        finally:
            tnode.close()


def _measure(
    store: Store,
    node: Node,
    actor: Actor,
    size: int,
    count: int,
    render: PageRenderer,
    rendered: bool,
) -> WebBenchmark:
    first = received_certificates(node, actor, ListQuery())
    cursor = ListQuery()
    for _ in range(9):
        page = received_certificates(node, actor, cursor)
        cursor = ListQuery(after=page.next_after or "")
    today = node.now().date()
    queries = {
        "first": ListQuery(),
        "status": ListQuery(status="CANCELLED"),
        "expired": ListQuery(status="EXPIRED"),
        "partner": ListQuery(partner="KR-CUSTOMS"),
        "agreement": ListQuery(agreement="CPTPP"),
        "dates": ListQuery(
            issued_from=(today - timedelta(days=30)).isoformat(), issued_to=today.isoformat()
        ),
        "page10_cursor": cursor,
        "page10_offset": ListQuery(page="10"),
    }
    assert len(first.items) == 50 and first.total_capped
    rng = random.Random(19)  # noqa: S311 - order of measurement, not secrets
    names = list(queries)
    for name in names:  # warm caches
        render(node, actor, queries[name])
    rng.shuffle(names)
    figures = {}
    for name in names:
        samples = _timed(lambda q=queries[name]: render(node, actor, q), count)  # type: ignore[misc]
        figures[name] = Figures(name, _percentile(samples, 0.5), _percentile(samples, 0.99))
    raw = _timed(lambda: _raw_page(store), count)
    ordered = [figures[name] for name in queries]
    return WebBenchmark(size, ordered, statistics.median(raw), rendered)


def _raw_page(store: Store) -> list[Any]:
    """The bare cost: 51 rows of the list's columns by one statement on the list index."""
    c = certificates.c
    query = (
        select(c.id, c.number, c.status, c.partner, c.agreement, c.issue_datetime, c.created_at)
        .where(c.side == "import")
        .order_by(c.created_at.desc(), c.id.desc())
        .limit(51)
    )
    with store.read() as tx:
        return list(tx.connection.execute(query))


__all__ = ["WebBenchmark", "load_received", "run"]
