"""``originlink bench claims --quick``: one JSON object with the latency keys the issue names."""

from __future__ import annotations

import json

import pytest

from originlink.cli.main import run

KEYS = [
    f"claim_ms_{p}_{size}{suffix}"
    for suffix in ("", "_postgresql")
    for size in ("100k", "1m")
    for p in ("p50", "p99")
]


def test_bench_claims_quick_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(["bench", "claims", "--quick", "--json", "--no-postgresql"])
    assert exit_.value.code == 0
    data = json.loads(capsys.readouterr().out)
    assert set(KEYS) <= set(data)
    for key in KEYS[:4]:
        assert 0 < data[key] < 1000
    assert data["claim_ms_p50_100k"] <= data["claim_ms_p99_100k"]
    assert all(data[key] is None for key in KEYS[4:])
    assert data["postgresql_note"] == "skipped (--no-postgresql)"
    assert (data["cos_100k"], data["cos_1m"]) == (2000, 10000)
    assert data["ratio_to_raw_draw_100k"] > 1
