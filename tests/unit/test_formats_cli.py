"""``originlink convert``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES

MINIMAL = EXAMPLES / "valid" / "rcep-sg-jp-minimal.json"


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", "from originlink.cli.main import run; run()", *args],
        capture_output=True,
        check=False,
        timeout=60,
    )


def test_convert_to_a_file_prints_the_report_on_stdout(tmp_path: Path) -> None:
    target = tmp_path / "co.xml"
    done = run("convert", "--from", "canonical", "--to", "ubl", str(MINIMAL), str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"<?xml")
    assert b"loss report: 10 entries (2 degraded, 8 synthesised); lossy" in done.stdout
    assert b"DEGRADED    certificate.status" in done.stdout


def test_convert_to_stdout_keeps_the_report_on_stderr() -> None:
    done = run("convert", "--to", "uncefact", str(MINIMAL))
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["iD"] == "urn:originlink:coo:RCEP-SG-2025-000123"
    assert b"loss report: 16 entries" in done.stderr and b"VALID" in done.stderr


def test_json_is_one_document_on_stdout_with_findings_loss_and_output() -> None:
    """--from auto is the default; with --json everything is one JSON document."""
    done = run("convert", "--to", "uncefact", str(MINIMAL), "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    report = json.loads(done.stdout)
    assert report["format"] == "canonical" and report["written"] == "-"
    assert report["loss_report"]["lossy"] is True
    assert report["loss_report"]["counts"]["DROPPED"] == 10
    assert json.loads(report["output"])["iD"] == "urn:originlink:coo:RCEP-SG-2025-000123"
    assert isinstance(report["findings"], list)


def test_strict_refusal_exits_1_and_lists_the_losses(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    done = run(
        "convert", "--from", "canonical", "--to", "uncefact", "--strict", str(MINIMAL), str(target)
    )
    assert done.returncode == 1
    assert not target.exists()
    assert b"refused (--strict)" in done.stdout
    assert b"DROPPED     certificate.goods_items[0].quantity" in done.stdout


def test_round_trip_through_files(tmp_path: Path, minimal_co: dict[str, Any]) -> None:
    xml = tmp_path / "co.xml"
    back = tmp_path / "co.json"
    assert (
        run("convert", "--from", "canonical", "--to", "ubl", str(MINIMAL), str(xml)).returncode == 0
    )
    assert run("convert", "--from", "ubl", "--to", "canonical", str(xml), str(back)).returncode == 0
    assert json.loads(back.read_text()) == minimal_co


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--from", "canonical", "--to", "ubl", "missing.json"), b"no such file"),
        (("--from", "pdf", "--to", "ubl", str(MINIMAL)), b"unknown format 'pdf'"),
        (("--to", "igl", str(MINIMAL)), b"unknown format 'igl'"),
    ],
)
def test_unreadable_input_or_bad_usage_exits_2(args: tuple[str, ...], message: bytes) -> None:
    done = run("convert", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert b"Traceback" not in done.stderr


def test_malicious_xml_exits_2_with_one_line(tmp_path: Path) -> None:
    evil = tmp_path / "evil.xml"
    evil.write_bytes(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    done = run("convert", "--from", "ubl", "--to", "canonical", str(evil))
    assert done.returncode == 2
    assert done.stderr.count(b"\n") == 1 and b"document type declaration" in done.stderr
