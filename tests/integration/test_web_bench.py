"""``originlink bench web --quick``: the list-page figures, each page under the target, and
the ratio to the bare SQL of a page."""

from __future__ import annotations

import json

import pytest

from originlink.cli.main import run

PAGES = ("first", "status", "expired", "partner", "agreement", "dates")


def test_bench_web_quick_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(["bench", "web", "--quick", "--json"])
    assert exit_.value.code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cos"] == 10_000 and data["target_ms"] == 50.0 and data["rendered_html"] is True
    for name in (*PAGES, "page10_cursor", "page10_offset"):
        assert 0 < data[f"page_ms_p50_{name}"] <= data[f"page_ms_p99_{name}"]
    assert data["raw_query_ms_p50"] > 0 and data["ratio_to_raw_first"] > 1
    assert data["within_target"] is (data["worst_page_ms_p50"] <= 50.0)


def test_bench_web_prints_a_table_for_people(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(["bench", "web", "--quick", "--service-only"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("bench web: 10,000 COs stored, pages (service only) (quick)")
    assert "page10_cursor" in out and "bare SQL of one page" in out
