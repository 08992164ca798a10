"""services/node/clock.py and ``originlink clock``: a training node's clock is shown, advanced
and set (never before the latest recorded event); a node on the real clock refuses; what fell
due is applied at once."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from originlink.bootstrap import build_node
from originlink.cli.clock_cmds import parse_duration
from originlink.cli.main import app, run
from originlink.domain.errors import InputError
from originlink.node_config import load_config


def _init(home: Path, *extra: str) -> None:
    result = CliRunner().invoke(
        app,
        ["node", "init", "--participant", "SG-CUSTOMS", "--name", "Singapore Customs",
         "--country", "SG", "--agreements", "RCEP", "--home", str(home), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def _clock(capsys: pytest.CaptureFixture[str], home: Path, *args: str) -> tuple[int, str]:
    """Through the real entry point, so errors become their one line and exit code."""
    with pytest.raises(SystemExit) as exited:
        run(["clock", *args, "--home", str(home)])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out + err


def test_a_simulated_clock_is_advanced_and_every_node_object_sees_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "node"
    _init(home, "--clock", "simulated")
    node = build_node(load_config(home))  # another "process" of the node
    before = node.now()
    code, out = _clock(capsys, home, "advance", "30d", "--json")
    assert code == 0, out
    status = json.loads(out)
    assert status["mode"] == "simulated" and status["moves"] == 1
    assert status["offset_seconds"] == pytest.approx(30 * 86400, abs=1)
    assert node.now() - before >= timedelta(days=30)
    with node.store.read() as uow:
        records = uow.audit.records(entity_type="node")
    assert [r["action"] for r in records] == ["clock.moved"]
    node.store.dispose()


def test_the_clock_never_goes_back_before_a_recorded_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "node"
    _init(home, "--clock", "simulated")
    assert _clock(capsys, home, "advance", "2d")[0] == 0
    code, out = _clock(capsys, home, "set", "2020-01-01")
    assert code == 1 and "cannot go back" in out
    code, out = _clock(capsys, home, "set", "2040-01-01T00:00:00Z", "--json")
    assert code == 0 and json.loads(out)["now"].startswith("2040-01-01T00:00")


def test_a_node_on_the_real_clock_refuses_to_move(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "node"
    _init(home)
    code, out = _clock(capsys, home, "advance", "1d")
    assert code == 2 and "runs on the real clock" in out
    code, out = _clock(capsys, home, "show", "--json")
    assert code == 0 and json.loads(out)["mode"] == "real"


def test_durations_are_read_in_the_usual_forms() -> None:
    assert parse_duration("90d") == timedelta(days=90)
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration("2 weeks") == timedelta(weeks=2)
    assert parse_duration("45m") == timedelta(minutes=45)
    assert parse_duration("P30D") == timedelta(days=30)
    assert parse_duration("PT2H30M") == timedelta(hours=2, minutes=30)
    with pytest.raises(InputError, match="not a duration"):
        parse_duration("3 fortnights")
    with pytest.raises(InputError):
        parse_duration("10")


def test_a_clock_file_can_be_shared_by_several_nodes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "sandbox-clock.json"
    a, b = tmp_path / "a", tmp_path / "b"
    _init(a, "--clock", "simulated", "--clock-file", str(shared))
    _init(b, "--clock", "simulated", "--clock-file", str(shared))
    assert _clock(capsys, a, "advance", "10d")[0] == 0
    code, out = _clock(capsys, b, "show", "--json")
    assert code == 0
    assert json.loads(out)["offset_seconds"] == pytest.approx(10 * 86400, abs=1)


def test_keys_and_trust_lists_made_on_a_training_node_are_dated_in_its_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``ca init``, ``keys init`` and ``trustlist export``/``import`` read the node's clock: on
    a simulated one moved 400 days on, what they make is dated 400 days on (else a list made
    after a move would look older than the events the node records, and a key's validity
    would not be the node's)."""
    from datetime import UTC, datetime

    home = tmp_path / "node"
    _init(home, "--clock", "simulated")
    code, out = _clock(capsys, home, "advance", "400d")
    assert code == 0, out
    runner = CliRunner()
    for args in (
        ["ca", "init", "--name", "Training CA"],
        ["keys", "init", "--participant", "SG-CUSTOMS", "--country", "SG", "--role",
         "issuing-authority", "--name", "Singapore Customs"],
        ["trustlist", "export", "--participant", "SG-CUSTOMS", "--name", "Singapore Customs",
         "--out", str(tmp_path / "sg.json")],
    ):  # fmt: skip
        result = runner.invoke(app, [*args, "--home", str(home)])
        assert result.exit_code == 0, result.output
    listed = json.loads((tmp_path / "sg.json").read_text())["trust_list"]
    issued = datetime.fromisoformat(listed["issued_at"].replace("Z", "+00:00"))
    ahead = issued - datetime.now(UTC)
    assert timedelta(days=399) < ahead < timedelta(days=401)
    node = build_node(load_config(home))
    try:
        cert = node.require_trust().participant("SG-CUSTOMS")
        assert cert is not None and cert.issued_at == issued
    finally:
        node.store.dispose()
