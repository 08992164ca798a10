"""store/repos/checkpoints.py on SQLite and PostgreSQL: a partner's checkpoint is kept only
when it names a later record than the one held (one atomic upsert); this node's checkpoints are
one per record."""

from __future__ import annotations

from datetime import UTC, datetime

from originlink.store.core import Store
from originlink.store.repos.checkpoints import StoredCheckpoint

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _cp(seq: int, head: str) -> StoredCheckpoint:
    return StoredCheckpoint("JP-CUSTOMS", seq, head, T0, "sig", received_at=T0, message_id="m")


def test_a_partner_checkpoint_is_kept_only_when_newer(db_url: str) -> None:
    store = Store(db_url)
    with store.transaction() as tx:
        assert tx.partner_checkpoints.keep(_cp(5, "a" * 64)) is True
        assert tx.partner_checkpoints.keep(_cp(4, "b" * 64)) is False
        assert tx.partner_checkpoints.keep(_cp(5, "c" * 64)) is False
    with store.read() as tx:
        held = tx.partner_checkpoints.get("JP-CUSTOMS")
        assert held is not None and (held.seq, held.head) == (5, "a" * 64)
    with store.transaction() as tx:
        assert tx.partner_checkpoints.keep(_cp(9, "d" * 64)) is True
    with store.read() as tx:
        [held] = tx.partner_checkpoints.all()
        assert (held.node, held.seq, held.head, held.at) == ("JP-CUSTOMS", 9, "d" * 64, T0)
    store.dispose()


def test_this_nodes_checkpoints_are_one_per_record(db_url: str) -> None:
    store = Store(db_url)
    with store.transaction() as tx:
        assert tx.checkpoints.add(seq=3, head="a" * 64, at=T0, signature="s") is True
        assert tx.checkpoints.add(seq=3, head="b" * 64, at=T0, signature="t") is False
        assert tx.checkpoints.add(seq=7, head="c" * 64, at=T0, signature="u") is True
    with store.read() as tx:
        latest = tx.checkpoints.latest()
        assert latest is not None and (latest.seq, latest.head) == (7, "c" * 64)
        assert [c.seq for c in tx.checkpoints.all()] == [3, 7]
    store.dispose()
