"""``bench issue``: applications issued per second, on SQLite and on PostgreSQL.

One issuance is the whole use case in one transaction: load the submitted application, allocate
the CO number, complete the issuer's fields, canonicalise and sign (JWS over RFC 8785), validate
against the dataset and the agreement profile, store the record, its history event and its
audit record. Applications are created and submitted before the clock starts. The ratio divides
the time of one issuance by the time of one bare document signature (``sign_document`` on the
same CO): it shows what the rest of the use case costs on top of the cryptography.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from originlink.bench.sign import typical_co
from originlink.domain.dataset import exporter_signed_view
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from originlink.trust.document import sign_document

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _application(items: int) -> dict[str, Any]:
    doc = typical_co(items).to_json_dict()
    return {"certificate": exporter_signed_view(doc["certificate"])}


def _prepare(tnode: TestNode, count: int, items: int) -> list[str]:
    content = _application(items)
    ids = []
    for _ in range(count):
        draft = apps.create_application(tnode.node, tnode.exporter, content)
        apps.submit_application(tnode.node, tnode.exporter, draft.id)
        ids.append(draft.id)
    return ids


def _issue_rate(tnode: TestNode, count: int, items: int) -> float:
    ids = _prepare(tnode, count, items)
    issuance.issue_application(tnode.node, tnode.officer, ids[0])  # warm caches
    started = time.perf_counter()
    for app_id in ids[1:]:
        issuance.issue_application(tnode.node, tnode.officer, app_id)
    return (len(ids) - 1) / (time.perf_counter() - started)


def _sign_rate(tnode: TestNode, items: int, rounds: int) -> float:
    doc = typical_co(items)
    best = []
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(rounds):
            sign_document(doc, tnode.signer, signing_time=tnode.clock.now())
        best.append(rounds / (time.perf_counter() - started))
    return max(best)


@dataclass(frozen=True, slots=True)
class IssueBenchmark:
    count: int
    items: int
    issue_per_s_sqlite: float
    issue_per_s_postgresql: float | None
    sign_per_s: float
    postgresql_note: str | None

    @property
    def ratio_to_sign(self) -> float:
        """Cost of one issuance (SQLite) in bare document signatures."""
        return self.sign_per_s / self.issue_per_s_sqlite

    def as_dict(self) -> dict[str, Any]:
        return {
            "issue_per_s_sqlite": round(self.issue_per_s_sqlite, 1),
            "issue_per_s_postgresql": round(self.issue_per_s_postgresql, 1)
            if self.issue_per_s_postgresql is not None
            else None,
            "ratio_to_sign": round(self.ratio_to_sign, 2),
            "sign_per_s": round(self.sign_per_s, 1),
            "count": self.count,
            "items": self.items,
            "postgresql_note": self.postgresql_note,
        }


def _postgres(url: str, ca: TestCA, count: int, items: int) -> tuple[float | None, str | None]:
    import uuid

    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            schema = f"bench_{uuid.uuid4().hex[:12]}"
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:
        return None, f"PostgreSQL not reachable at {url}: {type(exc).__name__}"
    sa_url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in sa_url else "?"
    tnode = build_test_node(f"{sa_url}{sep}options=-csearch_path%3D{schema}", ca=ca)
    try:
        return _issue_rate(tnode, count, items), None
    finally:
        tnode.close()
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


#: The phases :func:`run` reports to ``step``, in order.
PHASES = ("issuing on SQLite", "bare signatures", "issuing on PostgreSQL")


def run(
    *,
    quick: bool = False,
    items: int = 10,
    pg_url: str | None = DEFAULT_PG_URL,
    step: Callable[[str], None] | None = None,
) -> IssueBenchmark:
    """Measure; ``step`` is told of each phase of :data:`PHASES` as it starts (progress)."""
    tell = step or (lambda _phase: None)
    count = 40 if quick else 1000
    ca = TestCA()
    with tempfile.TemporaryDirectory(prefix="originlink-bench-") as folder:
        tnode = build_test_node(f"sqlite:///{Path(folder) / 'bench.db'}", ca=ca)
        try:
            tell(PHASES[0])
            sqlite_rate = _issue_rate(tnode, count, items)
            tell(PHASES[1])
            sign_rate = _sign_rate(tnode, items, 50 if quick else 500)
        finally:
            tnode.close()
    tell(PHASES[2])
    pg_rate, note = (
        (None, "skipped (--no-postgresql)")
        if pg_url is None
        else _postgres(pg_url, ca, count, items)
    )
    return IssueBenchmark(count, items, sqlite_rate, pg_rate, sign_rate, note)


__all__ = ["IssueBenchmark", "run"]
