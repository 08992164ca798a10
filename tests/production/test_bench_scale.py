"""bench/scale.py through ``originlink bench scale --json``: one then two gateway instances on
one PostgreSQL, accepted per second each, and their ratio."""

from __future__ import annotations

import json

import pytest

from tests.dbs import PG_URL, postgres_unavailable
from tests.production.support import cli


@pytest.mark.slow
@pytest.mark.postgres
def test_bench_scale_prints_both_rates_and_their_ratio() -> None:
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    done = cli("bench", "scale", "--count", "12", "--json", "--postgresql-url", PG_URL, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["count"] == 12
    assert result["accepted_per_s_1"] > 0 and result["accepted_per_s_2"] > 0
    one, two = result["accepted_per_s_1"], result["accepted_per_s_2"]
    # the rates are printed to 0.01, the ratio (of the unrounded rates) to 0.001
    assert result["ratio"] == pytest.approx(two / one, abs=0.01 * (1 + two / one) / one + 0.001)


def test_an_unreachable_server_is_one_line() -> None:
    done = cli("bench", "scale", "--quick", "--postgresql-url", "postgresql://nobody@127.0.0.1:1/x")
    assert done.returncode != 0
    assert "PostgreSQL not reachable" in done.stderr and "Traceback" not in done.stderr
