"""``make demo`` itself: the whole demo runs and ends with exit 0 (real processes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow


def test_the_demo_runs_from_start_to_end(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "originlink",
            "demo",
            "--examples",
            str(EXAMPLES),
            "--workdir",
            str(tmp_path / "demo-run"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    out = result.stdout
    for expected in (
        "35 of 35 examples as expected",
        "push to JP-CUSTOMS",
        "payload_format=ubl",
        "CANCELLED at JP",
        "REPLACED",
        "QUANTITY_EXCEEDED",
        "NO_REPLY on both sides",
        "authentic=True",
        "audit chain intact",
    ):
        assert expected in out, expected
    assert "✘" not in out
