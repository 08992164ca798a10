"""``originlink audit`` on real node homes (keys, trust lists, SQLite): ``audit checkpoint``
signs the head, a partner that received it exports it with ``audit partner-checkpoints --out``,
and ``audit verify --partner-checkpoints FILE`` fails (exit 1, naming the first record) after
either rewrite a database writer holding the node's key can make — records removed at the end
with the head rolled back, or a record changed with the later hashes recomputed — while
``audit verify`` alone, with the node's own checkpoints doctored as well, says intact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from originlink.cli.main import run
from originlink.demo.network import DemoNode, partner, set_up
from originlink.domain.messages import MessageType
from originlink.services.messaging import inbound
from originlink.services.messaging.handlers import HandlerResult
from originlink.services.messaging.sending import signed_by_node
from originlink.store.audit import record_hash
from originlink.store.tables import audit_checkpoints, audit_head, audit_log


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        run(list(args))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


@pytest.fixture
def homes(tmp_path: Path) -> Iterator[tuple[DemoNode, DemoNode]]:
    sg = DemoNode(
        "SG-CUSTOMS", "Singapore Customs", "SG", "issuing-authority", ("RCEP",), "UTC",
        tmp_path / "sg",
    )  # fmt: skip
    jp = DemoNode("JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "UTC", tmp_path / "jp")
    set_up(tmp_path, [sg, jp])
    partner(sg, jp)
    partner(jp, sg)
    yield sg, jp


def _records_and_checkpoint(capsys: pytest.CaptureFixture[str], sg: DemoNode) -> int:
    for name in ("ann", "ben", "cat"):
        code, _, err = cli(capsys, "users", "add", name, "--role", "admin", "--home", str(sg.home))
        assert code == 0, err
    code, out, err = cli(capsys, "audit", "checkpoint", "--json", "--home", str(sg.home))
    assert code == 0, err
    made = json.loads(out)
    assert made["node"] == "SG-CUSTOMS" and made["signature"]
    return int(made["seq"])


def _partner_receives_a_message(sg: DemoNode, jp: DemoNode) -> None:
    """SG sends JP a message (any message carries SG's latest checkpoint); JP applies it."""
    sender, receiver = sg.open(), jp.open()
    try:
        wire = signed_by_node(
            sender,
            message_type=MessageType.RECEIPT,
            recipient="JP-CUSTOMS",
            payload=b"{}",
            now=sender.now(),
        )
        assert inbound.check_message(receiver, wire, "SG-CUSTOMS") is None
        receiver.handlers = {
            **receiver.handlers,
            MessageType.RECEIPT: lambda tx, node, message: HandlerResult("DELIVERED"),
        }
        assert inbound.apply_message(receiver, wire, caller="SG-CUSTOMS").status == 200
    finally:
        sender.store.dispose()
        receiver.store.dispose()


def _export(capsys: pytest.CaptureFixture[str], jp: DemoNode, file: Path) -> None:
    code, out, err = cli(
        capsys, "audit", "partner-checkpoints", "--out", str(file), "--home", str(jp.home)
    )
    assert code == 0, err
    assert "1 checkpoints: SG-CUSTOMS (record" in out


def test_records_removed_at_the_end_are_named_with_the_partners_checkpoints(
    homes: tuple[DemoNode, DemoNode], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sg, jp = homes
    seq = _records_and_checkpoint(capsys, sg)
    _partner_receives_a_message(sg, jp)
    held = tmp_path / "jp-checkpoints.json"
    _export(capsys, jp, held)
    assert json.loads(held.read_text())["checkpoints"][0]["seq"] == seq
    store = sg.database()
    with store.transaction() as tx:  # the rewrite, checkpoints of the node included
        c = tx.connection
        c.execute(delete(audit_log).where(audit_log.c.seq >= seq - 1))
        c.execute(delete(audit_checkpoints).where(audit_checkpoints.c.seq >= seq - 1))
        last = c.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq - 2)).scalar_one()
        c.execute(update(audit_head).values(seq=seq - 2, hash=last))
    store.dispose()
    code, out, _ = cli(capsys, "audit", "verify", "--home", str(sg.home))
    assert code == 0 and "intact" in out
    code, out, err = cli(
        capsys, "audit", "verify", "--partner-checkpoints", str(held), "--home", str(sg.home)
    )
    assert code == 1, out + err
    assert f"BROKEN at record {seq - 1}: record {seq - 1} is missing" in out
    assert "partner JP-CUSTOMS" in out


def test_a_record_changed_and_rechained_is_named_with_the_partners_checkpoints(
    homes: tuple[DemoNode, DemoNode], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sg, jp = homes
    seq = _records_and_checkpoint(capsys, sg)
    _partner_receives_a_message(sg, jp)
    held = tmp_path / "jp-checkpoints.json"
    _export(capsys, jp, held)
    store = sg.database()
    with store.transaction() as tx:  # record 1 changed, every later hash recomputed
        c = tx.connection
        rows = [dict(r._mapping) for r in c.execute(select(audit_log).order_by(audit_log.c.seq))]
        prev = rows[0]["prev_hash"]
        rows[0]["actor"] = "admin:mallory"
        for row in rows:
            row["prev_hash"], row["hash"] = prev, record_hash(row, prev)
            prev = row["hash"]
            c.execute(
                update(audit_log)
                .where(audit_log.c.seq == row["seq"])
                .values(actor=row["actor"], prev_hash=row["prev_hash"], hash=row["hash"])
            )
        c.execute(update(audit_head).values(seq=rows[-1]["seq"], hash=prev))
        c.execute(delete(audit_checkpoints))
    store.dispose()
    code, out, _ = cli(capsys, "audit", "verify", "--json", "--home", str(sg.home))
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = cli(
        capsys, "audit", "verify", "--partner-checkpoints", str(held), "--json",
        "--home", str(sg.home),
    )  # fmt: skip
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["first_broken_seq"] == 1
    assert report["partner_checkpoints"] == 1
    assert f"records 1 to {seq} do not lead to the head" in report["reason"]


def test_a_partner_file_that_is_not_one_is_refused_in_one_line(
    homes: tuple[DemoNode, DemoNode], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sg, _ = homes
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"checkpoints": []}')
    code, out, err = cli(
        capsys, "audit", "verify", "--partner-checkpoints", str(wrong), "--home", str(sg.home)
    )
    assert code != 0 and code != 1
    assert f"{wrong}: not a checkpoints file" in out + err and "Traceback" not in out + err
    code, out, err = cli(
        capsys, "audit", "verify", "--partner-checkpoints", str(tmp_path / "none.json"),
        "--home", str(sg.home),
    )  # fmt: skip
    assert code not in (0, 1) and "no such file" in out + err


def test_an_empty_chain_has_nothing_to_checkpoint_and_the_export_goes_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sg = DemoNode(
        "SG-CUSTOMS", "Singapore Customs", "SG", "issuing-authority", ("RCEP",), "UTC",
        tmp_path / "sg",
    )  # fmt: skip
    set_up(tmp_path, [sg])
    code, out, _ = cli(capsys, "audit", "checkpoint", "--home", str(sg.home))
    assert code == 0 and "nothing to checkpoint" in out
    code, out, _ = cli(capsys, "audit", "partner-checkpoints", "--home", str(sg.home))
    document = json.loads(out)
    assert code == 0 and document["format"] == "originlink.partner-checkpoints/1"
    assert document["exported_by"] == "SG-CUSTOMS" and document["checkpoints"] == []
