"""Long rendering reports its progress; ``bench render`` prints the time of a large CO and its
ratio to a bare fpdf2 table (the quick form, with fewer items: a check that it runs and
reports, not a timing)."""

from __future__ import annotations

import json

import pytest

from originlink.bench.sign import typical_co
from originlink.cli.main import run
from originlink.formats.pdf import render_certificate


def test_rendering_reports_each_item_placed() -> None:
    seen: list[tuple[int, int]] = []
    pdf = render_certificate(typical_co(60), on_progress=lambda n, total: seen.append((n, total)))
    assert pdf.pages > 1
    assert seen == [(n, 60) for n in range(1, 61)]


def test_bench_render_quick_prints_time_and_ratio(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run(["bench", "render", "--quick", "--json", "--items", "40"])
    assert info.value.code == 0
    captured = capsys.readouterr()
    figures = json.loads(captured.out)
    assert captured.err == ""  # no progress bar with --json (nor off a terminal)
    assert figures["items"] == 40 and figures["pages"] >= 2
    for key in ("render_s", "render_first_s", "raw_s", "ratio_to_raw"):
        assert figures[key] > 0
    assert figures["target_s"] == 3.0
    assert isinstance(figures["within_target"], bool)
    with pytest.raises(SystemExit) as info:
        run(["bench", "render", "--quick", "--items", "5"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "bench render: 5-item CO" in out and "ratio" in out and "3 s target" in out
