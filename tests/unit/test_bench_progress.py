"""The benchmarks report their phases (bench/*.py ``PHASES``), which the bench commands show as
a progress bar; with --json or without a terminal nothing but the result is printed."""

from __future__ import annotations

import json

import pytest

from originlink.bench import issue, sign
from originlink.cli.main import run


def test_bench_sign_reports_every_phase_in_order() -> None:
    seen: list[str] = []
    sign.run(quick=True, step=seen.append)
    assert seen == list(sign.PHASES)


def test_bench_issue_reports_every_phase_in_order() -> None:
    seen: list[str] = []
    issue.run(quick=True, pg_url=None, step=seen.append)
    assert seen == list(issue.PHASES)


def test_bench_sign_json_prints_one_object_and_no_bar(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        run(["bench", "sign", "--quick", "--json"])
    assert done.value.code == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["sign_per_s"] > 0
    assert err == ""
