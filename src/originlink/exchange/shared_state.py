"""State that every instance of a node must share: token buckets and nonces already seen.

A rate limit kept in one process's memory is a limit per process, and a replay cache in memory
forgets every nonce at a restart: with several instances behind a load balancer a client gets
N times its allowance and a captured signed request can be replayed against the instance that
did not see it. :class:`SharedState` is the small interface both need; the composition root
gives the one the configuration says — Redis when ``redis_url`` is set, else the PostgreSQL
database (:mod:`originlink.store.shared_state`), else (SQLite: one process) :class:`MemoryState`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol


class SharedState(Protocol):
    """Token buckets and seen keys, shared by every instance that uses the same backend."""

    def take_token(self, key: str, *, rate_per_second: float, burst: int) -> float | None:
        """Take one token from ``key``'s bucket (full at first): None when allowed, else how
        many seconds until a token is back."""

    def first_seen(self, key: str, *, ttl_seconds: float) -> bool:
        """Remember ``key`` for ``ttl_seconds``: True when it was not already remembered."""

    def close(self) -> None:
        """Release connections."""


class MemoryState:
    """The in-process backend (one process, e.g. a node on SQLite). Bounded: at most
    ``max_keys`` buckets and nonces each, the least recently used forgotten first."""

    def __init__(
        self, *, max_keys: int = 200_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max = max_keys
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._seen: OrderedDict[str, float] = OrderedDict()

    def take_token(self, key: str, *, rate_per_second: float, burst: int) -> float | None:
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (float(burst), now))
            tokens = min(float(burst), tokens + max(0.0, now - last) * rate_per_second)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
            while len(self._buckets) > self._max:
                self._buckets.popitem(last=False)
        return None if allowed else (1.0 - tokens) / rate_per_second

    def first_seen(self, key: str, *, ttl_seconds: float) -> bool:
        now = self._clock()
        with self._lock:
            while self._seen and (
                next(iter(self._seen.values())) < now or len(self._seen) > self._max
            ):
                self._seen.popitem(last=False)
            expires = self._seen.get(key)
            if expires is not None and expires >= now:
                return False
            self._seen[key] = now + ttl_seconds
            return True

    def close(self) -> None:
        return None
