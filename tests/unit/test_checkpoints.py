"""domain/checkpoints.py: how a chain that verifies on its own is compared with the signed
checkpoints that vouch for it (records removed at the end, a record changed and the later
hashes recomputed), and the file partners exchange their checkpoints in."""

from __future__ import annotations

import json

import pytest

from originlink.domain.checkpoints import (
    EXPORT_FORMAT,
    VouchedHead,
    compare_with_checkpoints,
    read_export,
)
from originlink.domain.errors import InputError

CHAIN = {seq: f"{seq:064x}" for seq in range(1, 11)}


def _vouched(seq: int, head: str | None = None, by: str = "partner JP-CUSTOMS") -> VouchedHead:
    return VouchedHead(seq, head or CHAIN[seq], "2026-12-01T00:00:00+00:00", by)


def test_a_chain_that_matches_every_checkpoint_passes() -> None:
    heads = [_vouched(3), _vouched(10), _vouched(10, by="this node")]
    assert compare_with_checkpoints(heads, last_seq=10, hash_at=CHAIN.get) is None
    assert compare_with_checkpoints([], last_seq=10, hash_at=CHAIN.get) is None


def test_records_removed_at_the_end_name_the_first_missing_record() -> None:
    failure = compare_with_checkpoints([_vouched(4), _vouched(10)], last_seq=7, hash_at=CHAIN.get)
    assert failure is not None and failure.seq == 8
    assert "record 8 is missing" in failure.reason and "record 10" in failure.reason
    assert "JP-CUSTOMS" in failure.reason


def test_a_changed_record_is_named_between_the_checkpoints_around_it() -> None:
    rewritten = {**CHAIN, **{s: f"{s + 100:064x}" for s in range(6, 11)}}  # 6 changed
    failure = compare_with_checkpoints(
        [_vouched(5), _vouched(6)], last_seq=10, hash_at=rewritten.get
    )
    assert failure is not None and failure.seq == 6
    assert failure.reason.startswith("record 6 does not lead to the head")
    assert "record 5 still matches" in failure.reason


def test_with_one_checkpoint_the_failure_names_the_first_record_it_no_longer_vouches_for() -> None:
    rewritten = {**CHAIN, **{s: f"{s + 100:064x}" for s in range(6, 11)}}
    failure = compare_with_checkpoints([_vouched(10)], last_seq=10, hash_at=rewritten.get)
    assert failure is not None and failure.seq == 1
    assert failure.reason.startswith("records 1 to 10 do not lead")


def test_the_nodes_own_checkpoints_count_while_they_agree_with_the_partners() -> None:
    rewritten = {**CHAIN, **{s: f"{s + 100:064x}" for s in range(6, 11)}}  # 6 changed
    heads = [
        _vouched(5, by="this node"),
        _vouched(10, by="this node"),  # as signed then: the rewrite did not touch it
        _vouched(10),  # what the partner holds: the same
    ]
    failure = compare_with_checkpoints(heads, last_seq=10, hash_at=rewritten.get)
    assert failure is not None and failure.seq == 6
    assert "relied on" not in failure.reason


def test_checkpoints_re_signed_after_a_rewrite_are_not_relied_on() -> None:
    rewritten = {**CHAIN, **{s: f"{s + 100:064x}" for s in range(3, 11)}}  # 3 changed
    heads = [
        _vouched(2, by="this node"),
        _vouched(5, rewritten[5], by="this node"),  # re-signed with the node's key
        _vouched(10, rewritten[10], by="this node"),  # re-signed with the node's key
        _vouched(10),  # what the partner holds
    ]
    failure = compare_with_checkpoints(heads, last_seq=10, hash_at=rewritten.get)
    # relying on the re-signed 5 would name records 6 to 10 and miss the change of 3
    assert failure is not None and failure.seq == 1
    assert failure.reason.startswith("records 1 to 10 do not lead")
    assert "JP-CUSTOMS" in failure.reason and "re-signed or removed" in failure.reason
    heads[1:3] = []  # removed instead of re-signed: the same
    failure = compare_with_checkpoints(heads, last_seq=10, hash_at=rewritten.get)
    assert failure is not None and failure.seq == 1 and "re-signed or removed" in failure.reason


def test_a_change_before_records_removed_at_the_end_is_named_first() -> None:
    rewritten = {**CHAIN, 2: "f" * 64, 3: "e" * 64}
    failure = compare_with_checkpoints(
        [_vouched(1), _vouched(3), _vouched(9)], last_seq=5, hash_at=rewritten.get
    )
    assert failure is not None and failure.seq == 2


def _export(checkpoints: list[object], **extra: object) -> bytes:
    document = {
        "format": EXPORT_FORMAT,
        "exported_by": "JP-CUSTOMS",
        "exported_at": "2026-12-01T00:00:00+00:00",
        "checkpoints": checkpoints,
        **extra,
    }
    return json.dumps(document).encode()


GOOD = {
    "node": "SG-CUSTOMS",
    "seq": 7,
    "head": "a" * 64,
    "at": "2026-12-01T00:00:00+00:00",
    "signature": "eyJ..sig",
    "received_at": "2026-12-01T00:00:01+00:00",
    "message_id": "m-1",
}


def test_an_export_is_read_with_who_holds_it() -> None:
    held = read_export(_export([GOOD]), source="jp.json")
    assert held.held_by == "JP-CUSTOMS"
    assert [(c.node, c.seq, c.head) for c in held.checkpoints] == [("SG-CUSTOMS", 7, "a" * 64)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[]", "not a checkpoints file"),
        (json.dumps({"format": "other"}).encode(), "not a checkpoints file"),
        (_export("x"), '"checkpoints" (a list)'),  # type: ignore[arg-type]
        (_export([1]), "checkpoints[0] is not an object"),
        (_export([{**GOOD, "seq": 0}]), "checkpoints[0].seq"),
        (_export([{**GOOD, "seq": 2**63}]), "checkpoints[0].seq"),
        (_export([GOOD, {**GOOD, "head": "XYZ"}]), "checkpoints[1].head"),
        (b"{not json", "jp.json"),
    ],
)
def test_a_bad_export_is_refused_saying_where(data: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_export(data, source="jp.json")
    assert message in caught.value.detail and caught.value.detail.startswith("jp.json")
