"""Public verification is rate limited per client address: token bucket, 429 with Retry-After."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from originlink.api.ratelimit import RateLimit, TokenBucketLimiter
from tests.public_verify_support import co_data, digest_of, make_app, make_node, store_issued


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_requests_wait_for_new_tokens() -> None:
    clock = FakeTime()
    limiter = TokenBucketLimiter(RateLimit(rate_per_minute=6, burst=3), clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [None, None, None]
    assert limiter.acquire("a") == 10  # one token every 10 s
    clock.now += 4
    assert limiter.acquire("a") == 6
    clock.now += 6
    assert limiter.acquire("a") is None
    assert limiter.acquire("b") is None  # every address has its own bucket


def test_buckets_refill_only_up_to_the_burst() -> None:
    clock = FakeTime()
    limiter = TokenBucketLimiter(RateLimit(rate_per_minute=60, burst=2), clock=clock)
    clock.now += 3600
    assert [limiter.acquire("a") for _ in range(3)] == [None, None, 1]


def test_the_number_of_tracked_addresses_is_bounded() -> None:
    limiter = TokenBucketLimiter(RateLimit(max_clients=100))
    for n in range(1000):
        limiter.acquire(f"10.0.{n // 256}.{n % 256}")
    assert limiter.tracked_clients() == 100


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="rate_per_minute"):
        RateLimit(rate_per_minute=0)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_too_many_requests_get_429_problem_json_with_retry_after(
    db_url: str, tmp_path: Path
) -> None:
    node = make_node(db_url)
    data = co_data("RCEP-SG-2025-000100")
    store_issued(node, data)
    app = make_app(node, tmp_path, RateLimit(rate_per_minute=1, burst=2))
    path = f"/verify/SG/RCEP-SG-2025-000100?d={digest_of(data)}"
    with TestClient(app) as client:
        json = {"Accept": "application/json"}
        assert [client.get(path, headers=json).status_code for _ in range(2)] == [200, 200]
        refused = client.get(path, headers=json)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "RATE_LIMITED"
        assert int(refused.headers["retry-after"]) == 60
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 429
        assert "Too many requests" in page.text
        assert page.headers["retry-after"]
        # the back office is not limited by the public bucket
        assert client.get("/health").status_code == 200


def test_node_toml_sets_the_public_rate(tmp_path: Path) -> None:
    from originlink.domain.errors import ConfigurationError
    from originlink.node_config import load_config

    base = '[node]\nparticipant_id = "SG-C"\nname = "SG Customs"\ncountry = "SG"\n'
    (tmp_path / "node.toml").write_text(base + "[public]\nrate_per_minute = 5\nburst = 2\n")
    assert load_config(tmp_path).public_rate == RateLimit(rate_per_minute=5, burst=2)
    (tmp_path / "node.toml").write_text(base)
    assert load_config(tmp_path).public_rate == RateLimit()
    (tmp_path / "node.toml").write_text(base + "[public]\nburst = 0\n")
    with pytest.raises(ConfigurationError, match=r"\[public\]"):
        load_config(tmp_path)
