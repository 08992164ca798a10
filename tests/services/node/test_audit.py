"""services/node/audit.py: reading and verifying the audit chain, for the administrator only —
run on the in-memory unit of work of ``tests/services/fakes.py`` and on the SQL store (SQLite,
PostgreSQL), with the same outcome. (That the SQL chain detects tampering is the store's, in
``tests/integration/test_audit_chain.py``.) The rewrites a chain alone cannot show — records
removed at the end with the head rolled back, a record changed with the later hashes recomputed
— fail against the node's signed checkpoints and against what a partner holds, naming the first
record that fails."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from originlink.domain.authz import HOST_ACTOR
from originlink.domain.checkpoints import HeldCheckpoints, read_export
from originlink.domain.errors import Conflict, Forbidden
from originlink.domain.safejson import compact_json
from originlink.exchange.checkpoints import sign_checkpoint
from originlink.services.context import Node
from originlink.services.node import audit, checkpoints, users
from originlink.services.unit_of_work import Storage
from originlink.store.audit import GENESIS, record_hash
from originlink.store.core import Store
from originlink.store.tables import audit_checkpoints, audit_head, audit_log
from originlink.testing.network import Network
from tests.exchange_support import issue
from tests.services.support import ADMIN, CUSTOMS, EXPORTER, OFFICER, node_on


@pytest.fixture
def node(storage: Storage) -> Node:
    node = node_on(storage)
    for name in ("ann", "ben", "cat"):
        user = users.add_user(node, ADMIN, username=name, role="admin")
        users.create_token(node, HOST_ACTOR, username=user.username)
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
    assert {r["actor"] for r in rows} == {"admin:admin", "system:host"}  # users; their tokens
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


# --- rewrites that the chain alone cannot show, shown by the signed checkpoints ---------------


def _store(net: Network) -> Store:
    store = net["SG-CUSTOMS"].node.store
    assert isinstance(store, Store)
    return store


def _head(net: Network) -> int:
    with net["SG-CUSTOMS"].node.store.read() as tx:
        return tx.audit.head()[0]


def _records(net: Network, count: int) -> None:
    for n in range(count):
        users.add_user(net["SG-CUSTOMS"].node, ADMIN, username=f"u{_head(net)}x{n}", role="admin")


def _remove_from(net: Network, seq: int, *, hide_checkpoints: bool) -> None:
    """Records ``seq`` onwards deleted and the head rolled back, as a database writer can."""
    with _store(net).transaction() as tx:
        c = tx.connection
        c.execute(delete(audit_log).where(audit_log.c.seq >= seq))
        last = c.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq - 1)).scalar_one()
        c.execute(update(audit_head).values(seq=seq - 1, hash=last))
        if hide_checkpoints:
            c.execute(delete(audit_checkpoints).where(audit_checkpoints.c.seq >= seq))


def _change_and_rechain(net: Network, seq: int, *, resign: bool) -> None:
    """Record ``seq`` changed and every later hash recomputed; with ``resign`` the node's own
    checkpoints are signed again over the new hashes, with the node's key."""
    with _store(net).transaction() as tx:
        c = tx.connection
        rows = [dict(r._mapping) for r in c.execute(select(audit_log).order_by(audit_log.c.seq))]
        prev = rows[seq - 2]["hash"] if seq > 1 else GENESIS
        for row in rows[seq - 1 :]:
            if row["seq"] == seq:
                row["actor"] = "admin:mallory"
            row["prev_hash"], row["hash"] = prev, record_hash(row, prev)
            prev = row["hash"]
            c.execute(
                update(audit_log)
                .where(audit_log.c.seq == row["seq"])
                .values(actor=row["actor"], prev_hash=row["prev_hash"], hash=row["hash"])
            )
        c.execute(update(audit_head).values(seq=rows[-1]["seq"], hash=prev))
        if resign:
            sg = net["SG-CUSTOMS"]
            hashes = {r["seq"]: r["hash"] for r in rows}
            for cp in c.execute(select(audit_checkpoints)).all():
                again = sign_checkpoint(
                    node="SG-CUSTOMS", seq=cp.seq, head=hashes[cp.seq], at=cp.at, signer=sg.signer
                )
                c.execute(
                    update(audit_checkpoints)
                    .where(audit_checkpoints.c.seq == cp.seq)
                    .values(head=again.head, signature=again.signature)
                )


def _partner_holds(net: Network) -> HeldCheckpoints:
    """JP received SG's latest checkpoint with a CO, and exports what it holds."""
    issue(net["SG-CUSTOMS"])
    net.drain()
    document = checkpoints.partner_checkpoints_document(net["JP-CUSTOMS"].node, ADMIN)
    return read_export(compact_json(document), source="jp-checkpoints.json")


def test_records_removed_at_the_end_fail_against_the_nodes_checkpoint(net: Network) -> None:
    sg = net["SG-CUSTOMS"].node
    _records(net, 3)
    made = checkpoints.make_checkpoint(sg, ADMIN)
    assert made is not None and audit.verify(sg, ADMIN).ok
    _remove_from(net, made.seq - 3, hide_checkpoints=False)
    report = audit.verify(sg, ADMIN)
    assert not report.ok and report.first_broken_seq == made.seq - 3
    assert f"record {made.seq - 3} is missing" in (report.reason or "")
    assert "this node" in (report.reason or "")


def test_records_removed_at_the_end_fail_against_what_the_partner_holds(net: Network) -> None:
    sg = net["SG-CUSTOMS"].node
    _records(net, 3)
    made = checkpoints.make_checkpoint(sg, ADMIN)
    assert made is not None
    held = _partner_holds(net)
    assert [c.seq for c in held.checkpoints] == [made.seq]
    _remove_from(net, made.seq - 3, hide_checkpoints=True)
    assert audit.verify(sg, ADMIN).ok  # the rewrite the chain alone cannot show
    report = audit.verify(sg, ADMIN, partner_checkpoints=[held])
    assert not report.ok and report.first_broken_seq == made.seq - 3
    assert "partner JP-CUSTOMS" in (report.reason or "") and report.partner_checkpoints == 1


def test_a_record_changed_and_rechained_fails_against_the_nodes_checkpoints(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"].node
    before = checkpoints.make_checkpoint(sg, ADMIN)
    assert before is not None
    _records(net, 3)
    assert checkpoints.make_checkpoint(sg, ADMIN) is not None
    changed = before.seq + 1
    _change_and_rechain(net, changed, resign=False)
    report = audit.verify(sg, ADMIN)
    assert not report.ok and report.first_broken_seq == changed
    assert report.reason is not None and report.reason.startswith(f"records {changed} to")
    assert report.checkpoints == 2


def test_a_record_changed_rechained_and_re_signed_fails_against_what_the_partner_holds(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"].node
    before = checkpoints.make_checkpoint(sg, ADMIN)
    assert before is not None
    _records(net, 3)
    assert checkpoints.make_checkpoint(sg, ADMIN) is not None
    held = _partner_holds(net)
    changed = before.seq + 2
    _change_and_rechain(net, changed, resign=True)
    assert audit.verify(sg, ADMIN).ok  # even the node's own checkpoints were re-signed
    report = audit.verify(sg, ADMIN, partner_checkpoints=[held])
    # the re-signed checkpoints prove nothing: the partner's is the only evidence left
    assert not report.ok and report.first_broken_seq == 1
    assert "partner JP-CUSTOMS" in (report.reason or "")
    assert "re-signed or removed" in (report.reason or "")


def test_a_record_changed_and_rechained_is_named_exactly_when_the_checkpoints_agree(
    net: Network,
) -> None:
    """The rewrite left the node's checkpoints alone: they agree with the partner's, so the
    one before the changed record still counts."""
    sg = net["SG-CUSTOMS"].node
    before = checkpoints.make_checkpoint(sg, ADMIN)
    assert before is not None
    _records(net, 3)
    assert checkpoints.make_checkpoint(sg, ADMIN) is not None
    held = _partner_holds(net)
    _change_and_rechain(net, before.seq + 1, resign=False)
    report = audit.verify(sg, ADMIN, partner_checkpoints=[held])
    assert not report.ok and report.first_broken_seq == before.seq + 1


def test_a_change_the_chain_shows_is_still_named_exactly(net: Network) -> None:
    sg = net["SG-CUSTOMS"].node
    checkpoints.make_checkpoint(sg, ADMIN)
    with _store(net).transaction() as tx:
        tx.connection.execute(update(audit_log).where(audit_log.c.seq == 2).values(actor="x"))
    report = audit.verify(sg, ADMIN)
    assert not report.ok and report.first_broken_seq == 2 and report.checkpoints == 1


def test_a_partner_file_with_a_forged_checkpoint_of_this_node_fails_verification(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"].node
    checkpoints.make_checkpoint(sg, ADMIN)
    held = _partner_holds(net)
    forged = held.checkpoints[0].model_copy(update={"head": "0" * 64})
    report = audit.verify(sg, ADMIN, partner_checkpoints=[HeldCheckpoints("JP-CUSTOMS", (forged,))])
    assert not report.ok and "CHECKPOINT_SIGNATURE_INVALID" in (report.reason or "")
    other = held.checkpoints[0].model_copy(update={"node": "NZ-CUSTOMS"})
    report = audit.verify(sg, ADMIN, partner_checkpoints=[HeldCheckpoints("JP", (other,))])
    assert report.ok and report.partner_checkpoints == 0  # about another node: not ours
