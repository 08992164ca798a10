"""The shared state of several instances (token buckets, seen nonces) in the node's database,
or in Redis when the operator configures one (see :mod:`originlink.exchange.shared_state`).

Database: one short transaction per question. A bucket is created full with ``INSERT … ON
CONFLICT DO NOTHING`` and then locked with ``SELECT … FOR UPDATE`` (PostgreSQL; SQLite's write
transactions are serial anyway), so two instances taking the last token of one client never
both get it. A nonce is one upsert that succeeds only when the key is new or its earlier entry
expired. Times are the wall clock (``time.time``): instances share no monotonic clock.

Redis: a bucket is a hash updated by one Lua script (atomic on the server); a nonce is
``SET NX EX``. Keys are prefixed with the node's participant id, so nodes may share a Redis.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from originlink.domain.errors import StorageUnavailable
from originlink.store.ops_tables import shared_buckets, shared_nonces

#: Every this many questions an instance removes expired nonces and idle buckets.
_SWEEP_EVERY = 1000


class SqlSharedState:
    """Buckets and nonces in the ``shared_buckets`` and ``shared_nonces`` tables."""

    def __init__(self, engine: Engine, *, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._for_update = engine.dialect.name == "postgresql"
        self._calls = 0
        self._lock = threading.Lock()

    def take_token(self, key: str, *, rate_per_second: float, burst: int) -> float | None:
        now = self._clock()
        self._maybe_sweep(now)
        with self._engine.begin() as c:
            c.execute(
                self._insert(shared_buckets)
                .values(key=key, tokens=float(burst), updated_at=now)
                .on_conflict_do_nothing(index_elements=["key"])
            )
            query = select(shared_buckets.c.tokens, shared_buckets.c.updated_at).where(
                shared_buckets.c.key == key
            )
            if self._for_update:
                query = query.with_for_update()
            tokens, last = c.execute(query).one()
            tokens = min(float(burst), tokens + max(0.0, now - last) * rate_per_second)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            c.execute(
                update(shared_buckets)
                .where(shared_buckets.c.key == key)
                .values(tokens=tokens, updated_at=max(now, last))
            )
        return None if allowed else (1.0 - tokens) / rate_per_second

    def first_seen(self, key: str, *, ttl_seconds: float) -> bool:
        now = self._clock()
        self._maybe_sweep(now)
        stmt = self._insert(shared_nonces).values(key=key, expires_at=now + ttl_seconds)
        upsert = stmt.on_conflict_do_update(
            index_elements=["key"],
            set_={"expires_at": stmt.excluded.expires_at},
            where=shared_nonces.c.expires_at < now,
        ).returning(shared_nonces.c.key)
        with self._engine.begin() as c:
            return c.execute(upsert).first() is not None

    def _maybe_sweep(self, now: float) -> None:
        with self._lock:
            self._calls += 1
            if self._calls % _SWEEP_EVERY:
                return
        with self._engine.begin() as c:
            c.execute(delete(shared_nonces).where(shared_nonces.c.expires_at < now))
            # a bucket idle for an hour is full again for any sensible limit
            c.execute(delete(shared_buckets).where(shared_buckets.c.updated_at < now - 3600))

    def close(self) -> None:
        return None


_BUCKET_SCRIPT = """
local b = redis.call('HMGET', KEYS[1], 't', 'u')
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local t = tonumber(b[1]) or burst
local u = tonumber(b[2]) or now
t = math.min(burst, t + math.max(0, now - u) * rate)
local ok = 0
if t >= 1 then
  t = t - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 't', tostring(t), 'u', tostring(math.max(now, u)))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return {ok, tostring(t)}
"""


class RedisSharedState:
    """Buckets and nonces in Redis (``redis_url``); an unreachable Redis is
    :class:`StorageUnavailable`, like an unreachable database."""

    def __init__(self, url: str, *, prefix: str, clock: Callable[[], float] = time.time) -> None:
        import redis

        self._redis: Any = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self._errors: tuple[type[Exception], ...] = (redis.RedisError,)
        self._script = self._redis.register_script(_BUCKET_SCRIPT)
        self._prefix = f"originlink:{prefix}:"
        self._clock = clock

    def take_token(self, key: str, *, rate_per_second: float, burst: int) -> float | None:
        try:
            ok, tokens = self._script(
                keys=[self._prefix + "bucket:" + key],
                args=[rate_per_second, burst, self._clock()],
            )
        except self._errors as exc:
            raise StorageUnavailable(f"Redis cannot be reached: {type(exc).__name__}") from exc
        if int(ok):
            return None
        return (1.0 - float(tokens)) / rate_per_second

    def first_seen(self, key: str, *, ttl_seconds: float) -> bool:
        try:
            done = self._redis.set(
                self._prefix + "nonce:" + key, b"1", nx=True, ex=max(1, math.ceil(ttl_seconds))
            )
        except self._errors as exc:
            raise StorageUnavailable(f"Redis cannot be reached: {type(exc).__name__}") from exc
        return bool(done)

    def close(self) -> None:
        self._redis.close()
