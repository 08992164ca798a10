"""Rate limiting of the public, unauthenticated routes: a token bucket per client address.

Each address may make ``burst`` requests at once and then ``rate_per_minute`` a minute; over
that it gets 429 with ``Retry-After``. Without a shared backend the buckets live in memory (one
node process) and at most ``max_clients`` are kept: the least recently seen are forgotten
first, so a flood of addresses costs bounded memory. With several instances the composition
root passes a :class:`~originlink.exchange.shared_state.SharedState` (the database or Redis),
and every instance takes from the same bucket, also after a restart. Behind a reverse proxy,
run ``originlink serve --forwarded-allow-ips`` so that the client address is the caller's.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from originlink.exchange.shared_state import SharedState


@dataclass(frozen=True, slots=True)
class RateLimit:
    """Configuration: sustained rate, burst size and how many clients to track."""

    rate_per_minute: float = 60.0
    burst: int = 20
    max_clients: int = 10_000

    def __post_init__(self) -> None:
        if self.rate_per_minute <= 0 or self.burst < 1 or self.max_clients < 1:
            raise ValueError("rate_per_minute must be > 0, burst and max_clients >= 1")


class TokenBucketLimiter:
    """Thread-safe (FastAPI runs sync routes in a thread pool); the clock is injectable."""

    def __init__(
        self,
        limit: RateLimit | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        state: SharedState | None = None,
        scope: str = "public",
    ) -> None:
        self.limit = limit or RateLimit()
        self.state = state
        self.scope = scope
        self._per_second = self.limit.rate_per_minute / 60.0
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def acquire(self, client: str) -> int | None:
        """Take one token for ``client``: None when allowed, else the whole seconds to wait."""
        if self.state is not None:
            wait = self.state.take_token(
                f"{self.scope}:{client}", rate_per_second=self._per_second, burst=self.limit.burst
            )
            return None if wait is None else max(1, math.ceil(wait))
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - last) * self._per_second)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.limit.max_clients:
                self._buckets.popitem(last=False)
        if allowed:
            return None
        return max(1, math.ceil((1.0 - tokens) / self._per_second))

    def tracked_clients(self) -> int:
        return len(self._buckets)
