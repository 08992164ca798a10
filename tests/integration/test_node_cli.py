"""The node commands on a node home (``cli/node_cmds.py``): users added and given tokens on the
host (``--represents``, ``--json``, each audited as the host), and ``serve`` on a port in use
(one line, exit 2)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from originlink.bootstrap import build_node
from originlink.cli.main import run
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.node_config import load_config
from originlink.services.node import audit, users


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        run(list(args))
    out, err = capsys.readouterr()
    return int(exit_.value.code or 0), out, err


@pytest.fixture
def home(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "sg"
    code, _, err = cli(
        capsys,
        "node", "init", "--participant", "SG-CUSTOMS", "--name", "Singapore Customs",
        "--country", "SG", "--home", str(folder),
    )  # fmt: skip
    assert code == 0, err
    return folder


def test_users_add_records_whom_an_agent_represents(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        capsys,
        "users", "add", "agent", "--role", "exporter", "--organisation", "SG-UEN-200000001A",
        "--represents", "SG-UEN-201912345K,TH:TIN:0105551234567", "--json", "--home", str(home),
    )  # fmt: skip
    assert code == 0, err
    added = json.loads(out)
    assert added["represents"] == ["SG-UEN-201912345K", "TH:TIN:0105551234567"]
    node = build_node(load_config(home))
    try:
        assert users.authenticate(node, added["token"]).represents == (
            "SG-UEN-201912345K",
            "TH:TIN:0105551234567",
        )
    finally:
        node.store.dispose()
    code, _, err = cli(
        capsys,
        "users", "add", "io", "--role", "issuing_officer", "--represents", "X",
        "--home", str(home),
    )  # fmt: skip
    assert code == 1 and err.strip() == (
        "error: INVALID_USER: only an exporter (an agent) represents other exporters"
    )


def test_users_token_prints_json_and_is_audited_as_the_host(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(
        capsys, "users", "add", "io", "--role", "issuing_officer", "--no-token",
        "--home", str(home),
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(
        capsys, "users", "token", "io", "--label", "desk", "--valid-days", "30", "--json",
        "--home", str(home),
    )  # fmt: skip
    assert code == 0, err
    made = json.loads(out)
    assert (made["username"], made["label"], made["valid_days"]) == ("io", "desk", 30)
    assert made["token"].startswith("olk_")
    code, out, _ = cli(capsys, "users", "token", "io", "--home", str(home))
    assert code == 0 and out.strip().startswith("olk_") and "{" not in out
    node = build_node(load_config(home))
    try:
        assert users.authenticate(node, made["token"]).username == "io"
        rows = audit.records(node, SYSTEM_ACTOR, entity_type="user")
    finally:
        node.store.dispose()
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("user.add", "system:host"),
        ("token.create", "system:host"),
        ("token.create", "system:host"),
    ]
    assert json.loads(rows[1]["details"])["via"] == "host-cli"
    code, _, err = cli(capsys, "users", "token", "io", "--valid-days", "0", "--home", str(home))
    assert code == 2 and "--valid-days" in err


def test_serve_on_a_port_in_use_says_so_in_one_line_and_exits_2(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        code, _out, err = cli(capsys, "serve", "--port", str(port), "--home", str(home))
    finally:
        taken.close()
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.strip() == (
        f"error: CONFIGURATION_ERROR: cannot listen on 127.0.0.1:{port}: the port is already "
        "in use (another 'originlink serve'?); choose another with --port or [server] port in "
        "node.toml"
    )
