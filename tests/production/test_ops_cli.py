"""cli/ops_cmds.py end to end: evidence CO_ID --out FILE, evidence verify FILE (offline, and
against a node's trust lists with --home), retention run [--dry-run], backup and restore."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from originlink.node_config import load_config
from originlink.store.core import Store
from tests.dbs import postgres_schema, postgres_unavailable
from tests.production.support import cli, issue_on, two_homes


def _count(home: Path) -> int:
    store = Store(load_config(home).database_url)
    try:
        with store.read() as tx:
            return len(tx.records.retention_candidates(10_000))
    finally:
        store.dispose()


def test_evidence_is_written_and_verified_offline_and_against_trust_lists(tmp_path: Path) -> None:
    sg, jp = two_homes(tmp_path)
    (co_id,) = issue_on(sg)
    bundle = tmp_path / "evidence.json"
    done = cli("evidence", co_id, "--out", str(bundle), "--home", str(sg.home))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(bundle.stat().st_mode) == 0o600
    assert json.loads(bundle.read_text())["content"]["certificate"]["id"] == co_id
    offline = cli("evidence", "verify", str(bundle), "--json")
    assert offline.returncode == 0, offline.stdout
    assert json.loads(offline.stdout)["ok"] is True
    at_partner = cli("evidence", "verify", str(bundle), "--home", str(jp.home))
    assert at_partner.returncode == 0, at_partner.stdout
    assert "bundle verified" in at_partner.stdout
    data = json.loads(bundle.read_text())
    data["content"]["certificate"]["number"] = "SG-OTHER"
    bundle.write_text(json.dumps(data))
    tampered = cli("evidence", "verify", str(bundle))
    assert tampered.returncode == 1 and "NOT verified" in tampered.stdout


def test_evidence_usage_errors_are_one_line(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    assert "--out" in cli("evidence", "x", "--home", str(sg.home)).stderr
    missing = cli(
        "evidence", "no-such-co", "--out", str(tmp_path / "o.json"), "--home", str(sg.home)
    )
    assert missing.returncode != 0 and "no certificate" in missing.stderr
    assert "Traceback" not in missing.stderr
    not_json = tmp_path / "bad.json"
    not_json.write_text("{}")
    bad = cli("evidence", "verify", str(not_json))
    assert bad.returncode == 2 and "not an evidence bundle" in bad.stderr


def test_retention_dry_run_lists_and_run_archives(tmp_path: Path) -> None:
    from originlink.store.clock import SimulatedClock

    sg, _ = two_homes(tmp_path)
    assert cli("partners", "remove", "JP-CUSTOMS", "--home", str(sg.home)).returncode == 0
    issue_on(sg, 2)  # no partner: nothing queued, nothing in use
    today = cli("retention", "run", "--dry-run", "--home", str(sg.home), "--json")
    assert today.returncode == 0, today.stderr
    assert json.loads(today.stdout)["removed"] == []
    assert json.loads(today.stdout)["within_period"] == 2
    # the same node as a training node whose simulated clock is four years on
    toml = sg.home / "node.toml"
    toml.write_text(toml.read_text() + '\n[clock]\nmode = "simulated"\n')
    SimulatedClock.create(sg.home / "clock.json")
    moved = cli("clock", "advance", "1461d", "--home", str(sg.home))
    assert moved.returncode == 0, moved.stderr
    dry = cli("retention", "run", "--dry-run", "--home", str(sg.home), "--json")
    assert dry.returncode == 0, dry.stderr
    assert len(json.loads(dry.stdout)["removed"]) == 2
    assert _count(sg.home) == 2 and not (sg.home / "archive").exists()
    done = cli("retention", "run", "--home", str(sg.home))
    assert done.returncode == 0, done.stderr
    assert "removed 2 CO(s)" in done.stdout
    assert _count(sg.home) == 0
    (archive,) = (sg.home / "archive").glob("retention-*.jsonl")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    lines = archive.read_text().splitlines()
    assert len(lines) == 2
    bundle = tmp_path / "one.json"
    bundle.write_text(lines[0])
    assert cli("evidence", "verify", str(bundle), "--home", str(sg.home)).returncode == 0
    assert cli("audit", "verify", "--home", str(sg.home)).returncode == 0


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_backup_and_restore_round_trip(tmp_path: Path, database: str) -> None:
    if database == "postgresql":
        reason = postgres_unavailable()
        if reason:
            pytest.skip(reason)
    with postgres_schema() if database == "postgresql" else _Nothing() as url:
        sg, _ = two_homes(tmp_path, url)
        issue_on(sg, 2)
        backup = tmp_path / "node.backup"
        done = cli("backup", "--out", str(backup), "--home", str(sg.home))
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600
        issue_on(sg, 1)
        assert _count(sg.home) == 3
        restored = cli("restore", str(backup), "--home", str(sg.home))
        assert restored.returncode == 0, restored.stderr
        assert _count(sg.home) == 2
        assert cli("audit", "verify", "--home", str(sg.home)).returncode == 0


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    junk = tmp_path / "junk"
    junk.write_bytes(b"hello")
    done = cli("restore", str(junk), "--home", str(sg.home))
    assert done.returncode == 2 and "is not a SQLite backup" in done.stderr


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
