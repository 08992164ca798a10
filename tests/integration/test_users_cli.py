"""``originlink users add … --password-stdin``, ``users password NAME`` and ``users totp NAME``
(cli/users_cmds.py): the password signs in to the pages, a refused one stores nothing, the
enrolment prints a URI and a QR code whose codes the node accepts."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pyotp
import pytest
from typer.testing import CliRunner

from originlink.bootstrap import build_node
from originlink.cli.main import app, run
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.node_config import load_config
from originlink.services.node import audit, credentials


def _cli(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    """Through typer's runner (a terminal for the password prompt)."""
    result = CliRunner().invoke(app, [*args, "--home", str(home)], input=stdin)
    return result.exit_code, result.output


def _run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    *args: str,
    stdin: str,
) -> tuple[int, str]:
    """Through the real entry point, so errors become their one line and exit code."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as exited:
        run([*args, "--home", str(home)])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out + err


@pytest.fixture
def home(tmp_path: Path) -> Path:
    code, output = _cli(
        tmp_path, "node", "init", "--participant", "SG-CUSTOMS", "--name", "Singapore Customs",
        "--country", "SG",
    )  # fmt: skip
    assert code == 0, output
    return tmp_path


def _signs_in(home: Path, username: str, password: str) -> bool:
    node = build_node(load_config(home))
    try:
        credentials.check_password(node, username, password)
        return True
    except credentials.SignInRefused:
        return False
    finally:
        node.store.dispose()


def test_a_user_added_with_a_password_from_stdin_signs_in(home: Path) -> None:
    code, output = _cli(
        home, "users", "add", "ana", "--role", "issuing_officer", "--password-stdin",
        stdin="correct horse battery\n",
    )  # fmt: skip
    assert code == 0, output
    assert "user ana (issuing_officer) added" in output
    assert _signs_in(home, "ana", "correct horse battery")


def test_a_refused_password_adds_no_user(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add = ("users", "add", "ana", "--role", "admin", "--password-stdin")
    code, output = _run(capsys, monkeypatch, home, *add, stdin="short\n")
    assert code != 0 and "INVALID_PASSWORD: a password needs 10 to 1024 characters" in output
    assert "Traceback" not in output
    code, output = _cli(home, "users", "list", "--json")
    assert '"ana"' not in output
    code, output = _run(capsys, monkeypatch, home, *add, stdin="")
    assert code != 0 and "standard input holds no password" in output


def test_users_password_sets_a_new_password_typed_twice(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli(home, "users", "add", "ana", "--role", "admin", "--no-token")
    code, output = _cli(home, "users", "password", "ana", stdin="a new secret!\na new secret!\n")
    assert code == 0 and "password of ana set" in output, output
    assert _signs_in(home, "ana", "a new secret!")
    code, output = _cli(
        home, "users", "password", "ana", "--password-stdin", stdin="other secret!\n"
    )
    assert code == 0 and _signs_in(home, "ana", "other secret!")
    assert not _signs_in(home, "ana", "a new secret!")
    assert "user.password" in _host_actions(home)  # set on the host, with an audit record
    code, output = _run(
        capsys, monkeypatch, home, "users", "password", "ghost", "--password-stdin", stdin="x" * 12
    )
    assert code != 0 and "no user 'ghost'" in output


def test_users_totp_prints_the_uri_and_a_qr_code_that_work(home: Path) -> None:
    _cli(home, "users", "add", "ana", "--role", "issuing_officer", "--no-token")
    code, output = _cli(home, "users", "totp", "ana")
    assert code == 0, output
    uri = re.search(r"otpauth://totp/\S+", output)
    assert uri is not None
    assert "issuer=Singapore%20Customs" in uri.group(0)
    assert "▄" in output or "█" in output  # the QR code, drawn with block characters
    secret = pyotp.parse_uri(uri.group(0)).secret
    node = build_node(load_config(home))
    try:
        with node.store.read() as uow:
            user = uow.users.by_username("ana")
        assert user is not None
        credentials.check_totp(node, user.id, pyotp.TOTP(secret).now())
    finally:
        node.store.dispose()
    code, output = _cli(home, "users", "totp", "ana", "--remove")
    assert code == 0 and "second factor of ana removed" in output
    assert _host_actions(home) >= {"user.totp", "user.totp.remove"}


def _host_actions(home: Path) -> set[str]:
    """The user actions the audit chain records as done on the host (``system:host``)."""
    node = build_node(load_config(home))
    try:
        found = audit.records(node, SYSTEM_ACTOR, entity_type="user", limit=500)
    finally:
        node.store.dispose()
    return {str(r["action"]) for r in found if r["actor"] == "system:host"}
