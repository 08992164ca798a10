"""``originlink sandbox``: the training network as real processes. ``--auto --json`` plays
every lesson (P1–P14) and each one passes with full marks, the progress stored on the desk
node; the text form prints one line per lesson; an unknown lesson is refused with the list of
lessons; without ``--auto`` it prints where to begin and keeps running until interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from originlink.bootstrap import build_node
from originlink.node_config import load_config
from originlink.services.node import training
from originlink.training.lessons import all_lessons
from originlink.training.manifest import FILE_NAME, Manifest

pytestmark = pytest.mark.slow


def _sandbox(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "originlink", "sandbox", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )


@pytest.mark.timeout(900)
def test_auto_plays_every_lesson_with_full_marks(tmp_path: Path) -> None:
    done = _sandbox("--auto", "--json", "--dir", str(tmp_path / "sb"))
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout)  # --json: nothing but the JSON on standard output
    assert report["passed"] is True
    lessons = report["lessons"]
    assert [r["lesson"] for r in lessons] == [lesson.id for lesson in all_lessons()]
    for result in lessons:
        assert result["result"] == "passed", result
        assert result["score"] == result["max_score"] > 0
        assert all(step["passed"] for step in result["steps"])
    manifest = Manifest.load(tmp_path / "sb" / FILE_NAME)
    desk = build_node(load_config(Path(manifest.node("SG").home)))
    try:
        stored = training.learner_progress(desk, "auto")
    finally:
        desk.store.dispose()
    assert len(stored) == len(lessons)
    assert {p.status for p in stored} == {training.COMPLETED}


@pytest.mark.timeout(300)
def test_one_line_per_lesson_and_an_unknown_lesson_refused(tmp_path: Path) -> None:
    unknown = _sandbox("--auto", "--lesson", "p99", "--dir", str(tmp_path / "x"))
    assert unknown.returncode != 0
    assert "no lesson p99; the lessons are: p01-issuance" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    refused = _sandbox("--auto", "--dir", str(precious))
    assert refused.returncode == 2
    assert "is not a training sandbox (no sandbox.json in it)" in refused.stderr
    assert (precious / "notes.txt").read_text() == "keep me"
    done = _sandbox("--auto", "--lesson", "p01-issuance", "--dir", str(tmp_path / "sb"))
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("PASS p01-issuance") and "20/20" in lines[0]


@pytest.mark.timeout(300)
def test_the_sandbox_says_where_to_begin_and_runs_until_interrupted(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "originlink", "sandbox", "--dir", str(tmp_path / "sb")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Manifest:"):
                break
        text = "".join(lines)
        assert "First lesson Application and issuance" in text, text
        manifest = Manifest.load(tmp_path / "sb" / FILE_NAME)
        for node in manifest.nodes.values():
            assert node.url in text
            assert httpx2.get(node.url + "/health", timeout=5).status_code == 200
        desk = manifest.node("SG")
        assert f"{desk.url}/app/training/p01-issuance\n" in text  # on one line
        assert f"{desk.url}/app/training/instructor " in text
        login = httpx2.get(desk.url + "/app/login", timeout=5)
        assert login.status_code == 200 and 'name="password"' in login.text
        for user in manifest.users:
            assert user.username in text
        assert {u.role for u in manifest.users} >= {
            "exporter",
            "issuing_officer",
            "customs_officer",
            "admin",
        }
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    for node in manifest.nodes.values():
        with pytest.raises(httpx2.TransportError):
            httpx2.get(node.url + "/health", timeout=2)
