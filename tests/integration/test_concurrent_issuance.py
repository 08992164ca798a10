"""Eight threads issuing at once get unique CO numbers without gaps, and one whole audit chain,
on both databases."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from originlink.domain.errors import RetryableError
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.store.audit import verify_chain
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.node_support import application_content

THREADS = 8
PER_THREAD = 5


@pytest.fixture
def tnode(db_url: str) -> Iterator[TestNode]:
    node = build_test_node(db_url, ca=TestCA())
    yield node
    node.close()


def test_eight_threads_get_unique_gap_free_numbers(tnode: TestNode) -> None:
    ids = []
    for _ in range(THREADS * PER_THREAD):
        draft = apps.create_application(tnode.node, tnode.exporter, application_content())
        apps.submit_application(tnode.node, tnode.exporter, draft.id)
        ids.append(draft.id)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(batch: list[str]) -> None:
        start.wait()
        for app_id in batch:
            for _attempt in range(20):
                try:
                    issued = issuance.issue_application(tnode.node, tnode.officer, app_id)
                    break
                except RetryableError:
                    continue
            else:  # pragma: no cover - would fail the test below
                errors.append(RuntimeError(f"{app_id} never issued"))
                return
            with lock:
                numbers.append(issued.certificate.number)

    threads = [threading.Thread(target=worker, args=(ids[i::THREADS],)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(numbers) == THREADS * PER_THREAD
    assert len(set(numbers)) == len(numbers)
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(1, THREADS * PER_THREAD + 1))
    with tnode.node.store.read() as tx:
        chain = verify_chain(tx.connection)
    assert chain.ok, chain
