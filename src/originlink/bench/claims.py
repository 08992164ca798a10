"""``bench claims``: claim decision latency with 100,000 and 1,000,000 stored COs, on SQLite and
PostgreSQL.

The COs are bulk-inserted as received (import-side) records with one item each — not through the
issuance use case, which would take hours for a million — then the store is grown from the first
size to the second. One measured claim is the whole use case: parse and check the declaration,
look the CO up among all stored ones, decide, draw with the conditional ``UPDATE``, write the
ledger row, store the declaration with its decision and append the audit record, in one
transaction (no utilisation notice: the records have no partner). The ratio divides the claim's
p50 by the p50 of the bare store work of a draw (the conditional ``UPDATE`` and the ledger row in
their own transaction), so it shows what deciding costs on top of the unavoidable writes.

``--quick`` loads 2,000 and 10,000 COs instead (the keys keep their names; ``cos_100k`` and
``cos_1m`` say what was loaded).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.services.importing import claims
from originlink.services.node import users as user_service
from originlink.store.repos.ledger import DRAW
from originlink.store.tables import certificate_items, certificates
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
FULL_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (2_000, 10_000)
BATCH = 20_000
_NOW = datetime(2025, 3, 4, 1, 0, tzinfo=UTC)


def _number(index: int) -> str:
    return f"RCEP-SG-2025-{index:07d}"


def _load(tnode: TestNode, start: int, stop: int) -> None:
    """Insert COs ``start`` .. ``stop - 1`` with one item each, in batches."""
    for low in range(start, stop, BATCH):
        high = min(stop, low + BATCH)
        ids = [str(uuid.UUID(int=i + 1)) for i in range(low, high)]
        with tnode.store.transaction() as tx:
            tx.connection.execute(
                certificates.insert(),
                [
                    {
                        "id": cert_id,
                        "side": "import",
                        "status": "RECEIVED",
                        "verification_status": None,
                        "issuing_country": "SG",
                        "authority_code": "SG-CUSTOMS",
                        "number": _number(i),
                        "copy_seq": 0,
                        "agreement": "RCEP",
                        "form_code": "FORM_RCEP",
                        "exporting_country": "SG",
                        "importing_country": "JP",
                        "organisation": None,
                        "importer_name": "Example Trading KK",
                        "partner": None,
                        "issue_datetime": _NOW,
                        "validity_end_date": date(2026, 3, 4),
                        "version": 1,
                        "digest": "x" * 43,
                        "document": "{}",
                        "application_id": None,
                        "replaced_by_id": None,
                        "findings": None,
                        "created_at": _NOW,
                        "updated_at": _NOW,
                    }
                    for i, cert_id in zip(range(low, high), ids, strict=True)
                ],
            )
            tx.connection.execute(
                certificate_items.insert(),
                [
                    {
                        "certificate_id": cert_id,
                        "sequence_number": 1,
                        "hs6": "848210",
                        "unit_code": "H87",
                        "quantity_micros": 1_000_000 * 1_000_000,
                        "remaining_micros": 1_000_000 * 1_000_000,
                        "origin_status": None,
                    }
                    for cert_id in ids
                ],
            )


def _declaration(decl_id: str, number: str) -> dict[str, Any]:
    return {
        "id": decl_id,
        "importer": {"name": "Example Trading KK"},
        "date": "2025-03-04",
        "agreement": "RCEP",
        "certificate": {"issuing_country": "SG", "number": number},
        "lines": [
            {
                "line_number": 1,
                "co_item": 1,
                "hs_code": "8482.10",
                "quantity": {"value": "1", "unit_code": "H87"},
                "customs_value": {"value": "15.20", "currency_code": "USD"},
            }
        ],
    }


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure(
    tnode: TestNode, actor: Actor, loaded: int, count: int, rng: random.Random
) -> list[float]:
    samples = []
    for _ in range(count):
        number = _number(rng.randrange(loaded))
        data = _declaration(f"B-{uuid.uuid4().hex[:16]}", number)
        started = time.perf_counter()
        result = claims.submit_declaration(tnode.node, actor, data)
        samples.append((time.perf_counter() - started) * 1000)
        assert result.record.decision["lines"][0]["decision"] == "GRANTED"
    return samples


def _raw_draws(tnode: TestNode, loaded: int, count: int, rng: random.Random) -> list[float]:
    samples = []
    for _ in range(count):
        cert_id = str(uuid.UUID(int=rng.randrange(loaded) + 1))
        started = time.perf_counter()
        with tnode.node.store.transaction() as tx:
            ledger = tx.ledger
            ledger.draw(cert_id, 1, 1_000_000)
            ledger.add_entry(
                certificate_id=cert_id,
                sequence_number=1,
                declaration_id="raw",
                line_number=1,
                delta_micros=-1_000_000,
                unit_code="H87",
                reason=DRAW,
                at=_NOW,
            )
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@dataclass(frozen=True, slots=True)
class Figures:
    p50: float
    p99: float
    raw_p50: float
    cos: int


def _run_on(url: str, ca: TestCA, sizes: tuple[int, int], count: int) -> list[Figures]:
    tnode = build_test_node(
        url, ca=ca, participant="JP-CUSTOMS", country="JP", timezone="Asia/Tokyo"
    )
    try:
        user = user_service.add_user(
            tnode.node, SYSTEM_ACTOR, username="bench", role="customs_officer"
        )
        actor = Actor(user.id, "bench", Role.CUSTOMS_OFFICER, via="bench")
        rng = random.Random(6)  # noqa: S311 - picking COs, not secrets
        out = []
        loaded = 0
        for size in sizes:
            _load(tnode, loaded, size)
            loaded = size
            _measure(tnode, actor, loaded, max(10, count // 20), rng)  # warm caches
            samples = _measure(tnode, actor, loaded, count, rng)
            raw = _raw_draws(tnode, loaded, count, rng)
            out.append(
                Figures(
                    _percentile(samples, 0.5),
                    _percentile(samples, 0.99),
                    statistics.median(raw),
                    loaded,
                )
            )
        return out
    finally:
        tnode.close()


def _postgres(
    url: str, ca: TestCA, sizes: tuple[int, int], count: int
) -> tuple[list[Figures] | None, str | None]:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:
        return None, f"PostgreSQL not reachable at {url}: {type(exc).__name__}"
    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in sa_url else "?"
    try:
        return _run_on(f"{sa_url}{sep}options=-csearch_path%3D{schema}", ca, sizes, count), None
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@dataclass(frozen=True, slots=True)
class ClaimsBenchmark:
    sqlite: list[Figures]
    postgresql: list[Figures] | None
    claims_per_size: int
    postgresql_note: str | None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for suffix, figures in (("", self.sqlite), ("_postgresql", self.postgresql)):
            for label, index in (("100k", 0), ("1m", 1)):
                fig = figures[index] if figures else None
                out[f"claim_ms_p50_{label}{suffix}"] = round(fig.p50, 3) if fig else None
                out[f"claim_ms_p99_{label}{suffix}"] = round(fig.p99, 3) if fig else None
        for label, index in (("100k", 0), ("1m", 1)):
            out[f"cos_{label}"] = self.sqlite[index].cos
            out[f"ratio_to_raw_draw_{label}"] = round(
                self.sqlite[index].p50 / self.sqlite[index].raw_p50, 2
            )
        out["claims_per_size"] = self.claims_per_size
        out["postgresql_note"] = self.postgresql_note
        return out


#: The phases :func:`run` reports to ``step``, in order.
PHASES = ("claims on SQLite", "claims on PostgreSQL")


def run(
    *,
    quick: bool = False,
    pg_url: str | None = DEFAULT_PG_URL,
    step: Callable[[str], None] | None = None,
) -> ClaimsBenchmark:
    """Measure; ``step`` is told of each phase of :data:`PHASES` as it starts (progress)."""
    tell = step or (lambda _phase: None)
    sizes = QUICK_SIZES if quick else FULL_SIZES
    count = 200 if quick else 2000
    ca = TestCA()
    tell(PHASES[0])
    with tempfile.TemporaryDirectory(prefix="originlink-bench-") as folder:
        sqlite = _run_on(f"sqlite:///{Path(folder) / 'claims.db'}", ca, sizes, count)
    tell(PHASES[1])
    pg, note = (
        (None, "skipped (--no-postgresql)")
        if pg_url is None
        else _postgres(pg_url, ca, sizes, count)
    )
    return ClaimsBenchmark(sqlite, pg, count, note)


__all__ = ["ClaimsBenchmark", "run"]
