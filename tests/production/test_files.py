"""bootstrap.secure_home and trust/files.py: what a node creates is 0600 in a 0700 home; keys
may come from files an orchestrator mounted."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from originlink.bootstrap import build_node, load_node_signer
from originlink.node_config import load_config
from tests.production.support import cli


def _modes(home: Path) -> dict[str, int]:
    return {
        str(p.relative_to(home)) or ".": stat.S_IMODE(p.stat().st_mode)
        for p in [home, *home.rglob("*")]
    }


def test_a_new_node_keeps_everything_to_its_own_account(tmp_path: Path) -> None:
    home = tmp_path / "node"
    assert (
        cli(
            "node",
            "init",
            "--participant",
            "SG-CUSTOMS",
            "--name",
            "Singapore Customs",
            "--country",
            "SG",
            "--agreements",
            "RCEP",
            "--home",
            str(home),
        ).returncode
        == 0
    )
    done = cli("ca", "init", "--name", "Pilot Root CA", "--home", str(home))
    assert done.returncode == 0, done.stderr
    done = cli(
        "keys",
        "init",
        "--participant",
        "SG-CUSTOMS",
        "--country",
        "SG",
        "--role",
        "issuing-authority",
        "--home",
        str(home),
    )
    assert done.returncode == 0, done.stderr
    build_node(load_config(home)).store.dispose()
    modes = _modes(home)
    assert modes["."] == 0o700
    assert (home / "originlink.db").exists() and (home / "node.toml").exists()
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (0o700 if (home / name).is_dir() else 0o600)
    }
    assert wrong == {}
    assert any(name.startswith("keys/") for name in modes)


def test_keys_mounted_by_an_orchestrator_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.production.support import two_homes

    sg, _ = two_homes(tmp_path)
    keys = sg.home / "keys"
    mounted = tmp_path / "secrets"
    mounted.mkdir()
    (mounted / "key.pem").write_bytes((keys / "SG-CUSTOMS.key.pem").read_bytes())
    chain = (keys / "SG-CUSTOMS.cert.pem").read_bytes() + (
        keys / "SG-CUSTOMS.chain.pem"
    ).read_bytes()
    (mounted / "cert.pem").write_bytes(chain)
    for name in ("key", "cert", "chain", "csr"):
        (keys / f"SG-CUSTOMS.{name}.pem").unlink(missing_ok=True)
    assert load_node_signer(load_config(sg.home)) is None
    monkeypatch.setenv("ORIGINLINK_KEY_FILE", str(mounted / "key.pem"))
    monkeypatch.setenv("ORIGINLINK_CERT_FILE", str(mounted / "cert.pem"))
    signer = load_node_signer(load_config(sg.home))
    assert signer is not None and len(signer.chain) == 2
    monkeypatch.delenv("ORIGINLINK_CERT_FILE")
    from originlink.domain.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="key_file and cert_file"):
        load_node_signer(load_config(sg.home))


def test_a_passphrase_may_come_from_a_mounted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.production.support import two_homes

    sg, _ = two_homes(tmp_path)
    secret = tmp_path / "passphrase"
    secret.write_text("correct horse\n")
    monkeypatch.setenv("ORIGINLINK_KEY_PASSPHRASE_FILE", str(secret))
    assert load_config(sg.home).key_passphrase == "correct horse"
    monkeypatch.setenv("ORIGINLINK_KEY_PASSPHRASE_FILE", str(tmp_path / "missing"))
    from originlink.domain.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="key_passphrase_file"):
        load_config(sg.home)
