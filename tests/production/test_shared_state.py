"""exchange/shared_state.py and store/shared_state.py: rate limits and seen nonces shared by
every instance of a node and kept across a restart (database or Redis); in memory on SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.api.ratelimit import RateLimit, TokenBucketLimiter
from originlink.exchange.httpsig import NonceCache
from originlink.exchange.shared_state import MemoryState
from originlink.store.core import Store
from originlink.store.shared_state import RedisSharedState, SqlSharedState

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_unavailable() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis not reachable at {REDIS_URL}: {exc}"
    return None


def test_two_instances_on_one_database_share_a_bucket_and_the_nonces(db_url: str) -> None:
    first, second = Store(db_url), Store(db_url)
    a, b = SqlSharedState(first.engine), SqlSharedState(second.engine)
    limit = RateLimit(rate_per_minute=1, burst=3)
    one = TokenBucketLimiter(limit, state=a)
    two = TokenBucketLimiter(limit, state=b)
    answers = [
        one.acquire("198.51.100.7"),
        two.acquire("198.51.100.7"),
        one.acquire("198.51.100.7"),
    ]
    assert answers == [None, None, None]
    assert two.acquire("198.51.100.7") == 60  # the fourth, on either instance, waits a minute
    assert one.acquire("198.51.100.8") is None  # another address has its own bucket
    seen_a = NonceCache(timedelta(minutes=5), state=a)
    seen_b = NonceCache(timedelta(minutes=5), state=b)
    assert seen_a.check_and_add("key:n1") is True
    assert seen_b.check_and_add("key:n1") is False  # a replay to the other instance
    first.dispose()
    second.dispose()
    restarted = Store(db_url)
    after = SqlSharedState(restarted.engine)
    assert NonceCache(timedelta(minutes=5), state=after).check_and_add("key:n1") is False
    assert TokenBucketLimiter(limit, state=after).acquire("198.51.100.7") is not None
    restarted.dispose()


def test_an_expired_nonce_may_be_seen_again(db_url: str) -> None:
    store = Store(db_url)
    now = [1000.0]
    state = SqlSharedState(store.engine, clock=lambda: now[0])
    assert state.first_seen("n", ttl_seconds=10) is True
    now[0] += 5
    assert state.first_seen("n", ttl_seconds=10) is False
    now[0] += 6
    assert state.first_seen("n", ttl_seconds=10) is True
    store.dispose()


def test_a_bucket_refills_at_the_configured_rate(db_url: str) -> None:
    store = Store(db_url)
    now = [0.0]
    state = SqlSharedState(store.engine, clock=lambda: now[0])
    assert state.take_token("k", rate_per_second=1.0, burst=1) is None
    wait = state.take_token("k", rate_per_second=1.0, burst=1)
    assert wait == pytest.approx(1.0)
    now[0] += 1.0
    assert state.take_token("k", rate_per_second=1.0, burst=1) is None
    store.dispose()


def test_redis_shares_buckets_and_nonces() -> None:
    reason = _redis_unavailable()
    if reason:
        pytest.skip(reason)
    import uuid

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    a = RedisSharedState(REDIS_URL, prefix=prefix)
    b = RedisSharedState(REDIS_URL, prefix=prefix)
    assert a.take_token("c", rate_per_second=1 / 60, burst=2) is None
    assert b.take_token("c", rate_per_second=1 / 60, burst=2) is None
    wait = a.take_token("c", rate_per_second=1 / 60, burst=2)
    assert wait is not None and 55 < wait <= 60
    assert a.first_seen("n", ttl_seconds=30) is True
    assert b.first_seen("n", ttl_seconds=30) is False
    other = RedisSharedState(REDIS_URL, prefix=prefix + "-other-node")
    assert other.first_seen("n", ttl_seconds=30) is True  # nodes sharing a Redis stay apart
    a.close()
    b.close()
    other.close()


def test_an_unreachable_redis_is_storage_unavailable() -> None:
    from originlink.domain.errors import StorageUnavailable

    state = RedisSharedState("redis://127.0.0.1:1/0", prefix="x")
    with pytest.raises(StorageUnavailable, match="Redis"):
        state.first_seen("n", ttl_seconds=5)


def test_memory_state_is_the_one_process_backend() -> None:
    now = [0.0]
    state = MemoryState(clock=lambda: now[0], max_keys=2)
    assert state.take_token("a", rate_per_second=1.0, burst=1) is None
    assert state.take_token("a", rate_per_second=1.0, burst=1) == pytest.approx(1.0)
    assert state.first_seen("x", ttl_seconds=1) is True
    assert state.first_seen("x", ttl_seconds=1) is False
    now[0] += 2
    assert state.first_seen("x", ttl_seconds=1) is True


def test_the_node_on_postgresql_shares_its_state_and_on_sqlite_keeps_it_in_memory(
    tmp_path: object, db_url: str
) -> None:
    from pathlib import Path

    from originlink.bootstrap import build_node
    from originlink.node_config import load_config
    from tests.production.support import two_homes, use_database

    root = Path(str(tmp_path))
    sg, _ = two_homes(root)
    if not db_url.startswith("sqlite"):
        use_database(sg.home, db_url)
    node = build_node(load_config(sg.home))
    if db_url.startswith("sqlite"):
        assert node.shared_state is None
    else:
        assert isinstance(node.shared_state, SqlSharedState)
        from originlink.services.messaging.inbound import nonce_cache

        assert nonce_cache(node).state is node.shared_state
        from originlink.api.g2g_gate import G2GGate

        gate = G2GGate(lambda *a: None, node)  # type: ignore[arg-type]
        assert gate.addresses.state is node.shared_state
        assert gate.partners.state is node.shared_state
        assert gate.addresses.scope != gate.partners.scope
    node.store.dispose()


@pytest.mark.postgres
def test_two_instances_enforce_one_public_limit(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from fastapi.testclient import TestClient

    from originlink.bootstrap import build_app, build_node
    from originlink.node_config import load_config
    from tests.dbs import postgres_schema, postgres_unavailable
    from tests.production.support import two_homes

    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    monkeypatch.setenv("ORIGINLINK_PUBLIC_BURST", "2")
    monkeypatch.setenv("ORIGINLINK_PUBLIC_RATE_PER_MINUTE", "1")
    with postgres_schema() as url:
        sg, _ = two_homes(Path(str(tmp_path)), url)
        config = load_config(sg.home)
        nodes = [build_node(config), build_node(config)]
        apps = [build_app(n, config, run_worker=False) for n in nodes]
        address = ("198.51.100.23", 5000)
        with TestClient(apps[0], client=address) as one, TestClient(apps[1], client=address) as two:
            path = "/verify/SG/SG-NONE-1?format=json"
            assert one.get(path).status_code == 404
            assert two.get(path).status_code == 404
            third = one.get(path)  # the address's burst is spent on both instances together
            assert third.status_code == 429 and int(third.headers["retry-after"]) >= 1
        for n in nodes:
            n.store.dispose()


def test_a_node_with_redis_configured_keeps_its_state_there(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from originlink.bootstrap import build_node
    from originlink.node_config import load_config
    from tests.production.support import two_homes

    sg, _ = two_homes(Path(str(tmp_path)))
    monkeypatch.setenv("ORIGINLINK_REDIS_URL", REDIS_URL)
    node = build_node(load_config(sg.home))
    assert isinstance(node.shared_state, RedisSharedState)  # even on SQLite, when configured
    node.store.dispose()
