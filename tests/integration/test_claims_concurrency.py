"""Concurrent claims on one CO item never over-draw, on SQLite and PostgreSQL: eight threads
claim 150 pieces each from an item of 1,200; exactly eight succeed, a ninth round is denied,
and the remaining quantity equals the quantity minus the ledger's draws."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.errors import RetryableError
from originlink.services.importing import claims
from originlink.services.node import users as user_service
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.claims_support import declaration, receive

THREADS = 8
PER_THREAD = 2


@pytest.fixture
def jp(db_url: str) -> Iterator[TestNode]:
    tnode = build_test_node(
        db_url, ca=TestCA(), participant="JP-CUSTOMS", country="JP", timezone="Asia/Tokyo"
    )
    yield tnode
    tnode.close()


def test_concurrent_claims_never_over_draw(jp: TestNode) -> None:
    co = receive(jp.node)
    user = user_service.add_user(jp.node, SYSTEM_ACTOR, username="c", role="customs_officer")
    actor = Actor(user.id, "c", Role.CUSTOMS_OFFICER, via="test")
    decisions: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(index: int) -> None:
        start.wait()
        for round_ in range(PER_THREAD):
            data = declaration(f"D-{index}-{round_}", "150")
            for _attempt in range(50):
                try:
                    result = claims.submit_declaration(jp.node, actor, data)
                    break
                except RetryableError:
                    continue
            else:  # pragma: no cover - would fail the assertions below
                errors.append(RuntimeError(f"{data['id']} never decided"))
                return
            with lock:
                decisions.append(result.record.decision["lines"][0]["decision"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(decisions) == THREADS * PER_THREAD
    assert decisions.count("GRANTED") == 8 and decisions.count("DENIED") == 8
    with jp.node.store.read() as tx:
        ledger = tx.ledger
        left = ledger.remaining(co.id, 1)
        drawn = -sum(int(e["delta"]) for e in ledger.entries(co.id))
    assert left == 0
    assert drawn == 1200
