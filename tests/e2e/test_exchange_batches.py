"""A batch of messages in one request is applied in one transaction, each message still on its
own: a bad message in the batch is refused alone, a message repeated inside the batch has one
effect, and the good ones are accepted. The sender records the answers to a batch (business
responses and delivery outcomes) in one transaction too."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from originlink.exchange import envelopes
from originlink.exchange.transport import InProcessTransport
from originlink.services.messaging import inbound
from originlink.store.audit import verify_chain
from originlink.store.core import Store
from originlink.store.repos.certificates import CertificateFilter
from originlink.testing.network import Network
from tests.exchange_support import issue, two_gateways, unreadable_co


def _write_commits(store: Store) -> list[int]:
    """Commits of write transactions on ``store`` from now on (reads commit too: not counted)."""
    seen: list[int] = []

    def on_commit(connection: Any) -> None:
        if not connection.get_execution_options().get("originlink_readonly", False):
            seen.append(1)

    event.listen(store.engine, "commit", on_commit)
    return seen


def _queued(net: Network) -> list[dict[str, Any]]:
    """SG's queued messages as wire objects, oldest first."""
    with net["SG-CUSTOMS"].node.store.read() as tx:
        messages, _ = tx.outbox.search(limit=100)
    return [
        {"envelope": json.loads(m.envelope), "payload": base64.b64encode(m.payload).decode()}
        for m in sorted(messages, key=lambda m: m.created_at)
    ]


def _post_batch(net: Network, items: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]]]:
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    transport = InProcessTransport(sg.signer, net.clock, net.wires)
    body = json.dumps({"messages": items}).encode()
    response = transport.request("POST", jp.base_url + "/g2g/v1/messages", body)
    answer = json.loads(response.body)
    receipts = [json.loads(base64.b64decode(r["payload"])) for r in answer["receipts"]]
    return response.status, receipts


def test_a_batch_is_one_commit_and_each_message_is_on_its_own(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    numbers = [issue(sg).certificate.number for _ in range(2)]
    first, second = _queued(net)
    unreadable = unreadable_co(net).to_json()
    commits = _write_commits(jp.node.store)

    status, receipts = _post_batch(net, [first, unreadable, second, first])

    assert status == 200
    assert [r["outcome"] for r in receipts] == [
        "DELIVERED",
        "NOT_READABLE",
        "DELIVERED",
        "DELIVERED",  # the repeat gets the first receipt again
    ]
    assert receipts[3] == receipts[0]
    assert len(commits) == 1
    with jp.node.store.read() as tx:
        imported, total = tx.certificates.search(
            CertificateFilter(side="import"), limit=10, offset=0
        )
        assert total == 2 and sorted(c.number for c in imported) == sorted(numbers)
        assert tx.inbox.search(message_type="co.issued")[1] == 3
        refused, refused_total = tx.inbox.search(refused=True)
        assert refused_total == 1 and refused[0].status == "NOT_READABLE"
        assert verify_chain(tx.connection).ok

    # the whole batch again: every answer is the first one, nothing new is stored
    again_status, again = _post_batch(net, [first, unreadable, second])
    assert again_status == 200 and again == receipts[:3]
    with jp.node.store.read() as tx:
        assert tx.certificates.search(CertificateFilter(side="import"), limit=10, offset=0)[1] == 2
    net.close()


def test_a_long_batch_commits_in_chunks(tmp_path: Path) -> None:
    """The write lock is held for a few messages at a time, not for a whole batch."""
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    count = inbound.APPLY_CHUNK * 2 + 1
    for _ in range(count):
        issue(sg)
    commits = _write_commits(jp.node.store)
    status, receipts = _post_batch(net, _queued(net))
    assert status == 200
    assert [r["outcome"] for r in receipts] == ["DELIVERED"] * count
    assert len(commits) == 3
    with jp.node.store.read() as tx:
        assert tx.inbox.search(message_type="co.issued")[1] == count
        assert verify_chain(tx.connection).ok
    net.close()


def test_the_answers_to_a_batch_are_recorded_in_one_commit(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg = net["SG-CUSTOMS"]
    sg.worker.run_once()  # nothing due: what an idle round commits
    idle = _write_commits(sg.node.store)
    sg.worker.run_once()
    idle_commits = len(idle)

    for _ in range(5):
        issue(sg)
    busy = _write_commits(sg.node.store)
    assert sg.worker.run_once() == 5
    # the claim, then one commit for the five business responses and the five outcomes
    assert len(busy) == idle_commits + 1
    with sg.node.store.read() as tx:
        messages, _ = tx.outbox.search(limit=10)
        assert sorted(m.status for m in messages) == ["ACCEPTED"] * 5
        assert tx.inbox.search(message_type="business.response")[1] == 5
        assert verify_chain(tx.connection).ok
    net.close()


def test_signatures_are_checked_before_the_write_transaction_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The receiver checks every message of a batch, and the sender every business response,
    before taking the write lock: the lock is held only while messages are applied."""
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    stores = {"SG-CUSTOMS": sg.node.store, "JP-CUSTOMS": jp.node.store}
    checked: list[tuple[str, bool]] = []

    def verify(message: Any, trust: Any, *, now: Any) -> Any:
        checker = message.envelope.recipient
        checked.append((checker, stores[checker].in_batch))
        return envelopes.verify_message(message, trust, now=now)

    monkeypatch.setattr(inbound, "verify_message", verify)
    for _ in range(3):
        issue(sg)
    assert sg.worker.run_once() == 3
    assert sorted(checked) == [("JP-CUSTOMS", False)] * 3 + [("SG-CUSTOMS", False)] * 3
    with sg.node.store.read() as tx:
        messages, _ = tx.outbox.search(limit=10)
        assert sorted(m.status for m in messages) == ["ACCEPTED"] * 3
    net.close()
