"""A training network on one simulated clock, with the nodes as real processes: a move made
from the command line is seen at once by every node's server, and what fell due is applied."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import httpx2
import pytest

from originlink.cli.main import run
from originlink.demo.network import DemoNode, set_up, user


def _now(node: DemoNode, token: str) -> datetime:
    answer = httpx2.get(
        f"{node.url}/api/v1/clock", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    answer.raise_for_status()
    data = answer.json()
    assert data["mode"] == "simulated"
    return datetime.fromisoformat(data["now"])


def test_every_server_sees_a_move_of_the_shared_clock_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sg = DemoNode(
        "SG-CUSTOMS", "Singapore Customs", "SG", "issuing-authority", ("RCEP",),
        "Asia/Singapore", tmp_path / "sg",
    )  # fmt: skip
    jp = DemoNode(
        "JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "Asia/Tokyo", tmp_path / "jp"
    )
    set_up(tmp_path, [sg, jp], clock_file=tmp_path / "clock.json")
    tokens = {n.participant: user(n, "admin", "admin") for n in (sg, jp)}
    for node in (sg, jp):
        node.start()
    try:
        before = {n.participant: _now(n, tokens[n.participant]) for n in (sg, jp)}
        with pytest.raises(SystemExit) as done:
            run(["clock", "advance", "45d", "--home", str(sg.home), "--json"])
        assert done.value.code == 0, capsys.readouterr()
        for node in (sg, jp):  # the JP server shares the clock file with SG
            moved = _now(node, tokens[node.participant]) - before[node.participant]
            assert timedelta(days=45) <= moved < timedelta(days=45, minutes=5)
    finally:
        for node in (sg, jp):
            node.stop()
