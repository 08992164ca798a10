"""``originlink claim FILE`` and the ``claims`` / ``verification`` commands on a node home: exit
codes (0 granted, 1 a line denied, 2 unreadable), readable output, JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from originlink.bootstrap import build_node
from originlink.cli.main import run
from originlink.node_config import load_config
from tests.claims_support import declaration, receive


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        run(list(args))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "jp"
    code, _, err = cli(
        capsys,
        "node",
        "init",
        "--participant",
        "JP-CUSTOMS",
        "--name",
        "Japan Customs",
        "--country",
        "JP",
        "--timezone",
        "Asia/Tokyo",
        "--home",
        str(folder),
    )
    assert code == 0, err
    node = build_node(load_config(folder))
    receive(node)
    node.store.dispose()
    return folder


def test_claim_file_decides_and_exits_by_outcome(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = "2025-03-04"
    good = tmp_path / "d1.json"
    good.write_text(json.dumps(declaration("D-1", "1000", day=day)))
    code, out, err = cli(capsys, "claim", str(good), "--home", str(home))
    assert code == 0, err
    assert "GRANTED" in out and "remaining 1200 -> 200" in out
    over = tmp_path / "d2.json"
    over.write_text(json.dumps(declaration("D-2", "300", day=day)))
    code, out, _ = cli(capsys, "claim", str(over), "--home", str(home), "--json")
    assert code == 1
    assert json.loads(out)["lines"][0]["reason_codes"] == ["QUANTITY_EXCEEDED"]
    code, out, _ = cli(capsys, "claims", "show", "D-1", "--home", str(home))
    assert code == 0 and "D-1" in out
    code, out, _ = cli(
        capsys, "claims", "invalidate", "D-1", "--reason", "withdrawn", "--home", str(home)
    )
    assert code == 0 and "1 re-credit" in out
    code, out, _ = cli(capsys, "verification", "run-due", "--home", str(home))
    assert code == 0 and "0 case(s) changed" in out


def test_unreadable_or_invalid_declarations_exit_2_or_1_with_one_line(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, _, err = cli(capsys, "claim", str(broken), "--home", str(home))
    assert code == 2 and err.startswith("error: INPUT_UNREADABLE")
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps(declaration("D-1", "-5")))
    code, _, err = cli(capsys, "claim", str(invalid), "--home", str(home))
    assert code == 1 and "declaration.lines[0].quantity" in err
    assert len(err.strip().splitlines()) == 1
