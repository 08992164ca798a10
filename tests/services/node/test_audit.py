"""services/node/audit.py: reading and verifying the audit chain, for the administrator only —
run on the in-memory unit of work of ``tests/services/fakes.py`` and on the SQL store (SQLite,
PostgreSQL), with the same outcome. (That the SQL chain detects tampering is the store's, in
``tests/integration/test_audit_chain.py``.)"""

from __future__ import annotations

import pytest

from originlink.domain.errors import Conflict, Forbidden
from originlink.services.context import Node
from originlink.services.node import audit, users
from originlink.services.unit_of_work import Storage
from tests.services.support import ADMIN, CUSTOMS, EXPORTER, OFFICER, node_on


@pytest.fixture
def node(storage: Storage) -> Node:
    node = node_on(storage)
    for name in ("ann", "ben", "cat"):
        user = users.add_user(node, ADMIN, username=name, role="admin")
        users.create_token(node, ADMIN, username=user.username)
    return node


def test_the_administrator_verifies_the_whole_chain(node: Node) -> None:
    report = audit.verify(node, ADMIN)
    assert report.ok and report.records == 6
    assert report.as_dict() == {
        "ok": True,
        "records": 6,
        "first_broken_seq": None,
        "reason": None,
        "checkpoints": 0,
        "partner_checkpoints": 0,
    }


def test_a_use_case_that_fails_adds_nothing_to_the_chain(node: Node) -> None:
    with pytest.raises(Conflict):
        users.add_user(node, ADMIN, username="ann", role="admin")
    assert audit.verify(node, ADMIN).records == 6


def test_records_come_in_order_with_their_time_as_text(node: Node) -> None:
    rows = audit.records(node, ADMIN)
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert [r["action"] for r in rows] == ["user.add", "token.create"] * 3
    assert {r["at"] for r in rows} == {"2025-03-04T01:00:00+00:00"}
    assert {r["actor"] for r in rows} == {"admin:admin"}
    assert all(r["hash"] and r["prev_hash"] for r in rows)
    assert [r["prev_hash"] for r in rows[1:]] == [r["hash"] for r in rows[:-1]]


def test_records_are_filtered_by_entity_and_paged_by_sequence(node: Node) -> None:
    ben = next(r for r in audit.records(node, ADMIN) if r["seq"] == 3)["entity_id"]
    assert [r["seq"] for r in audit.records(node, ADMIN, entity_id=ben)] == [3, 4]
    assert [r["seq"] for r in audit.records(node, ADMIN, entity_type="user", after_seq=4)] == [
        5,
        6,
    ]
    assert [r["seq"] for r in audit.records(node, ADMIN, after_seq=1, limit=2)] == [2, 3]
    assert audit.records(node, ADMIN, entity_type="partner") == []


def test_only_the_administrator_reads_the_audit_chain(node: Node) -> None:
    for actor in (OFFICER, CUSTOMS, EXPORTER):
        with pytest.raises(Forbidden, match="may not audit read"):
            audit.verify(node, actor)
        with pytest.raises(Forbidden, match="may not audit read"):
            audit.records(node, actor)
