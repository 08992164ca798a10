"""services/messaging/backoff.py: a failing call is retried with capped exponential back-off
and jitter, one warning per step and no traceback; setting ``stop`` ends the retries."""

from __future__ import annotations

import logging
import threading

import pytest
from tenacity import RetryError

from originlink.domain.errors import StorageUnavailable
from originlink.services.messaging.backoff import retrying


def test_each_step_is_logged_once_and_waits_grow(caplog: pytest.LogCaptureFixture) -> None:
    stop = threading.Event()
    waits: list[float] = []
    calls = 0

    def flaky() -> str:
        nonlocal calls
        calls += 1
        if calls < 5:
            raise StorageUnavailable("the database cannot be reached: refused")
        return "done"

    policy = retrying(stop, "delivery round", max_wait=4.0)
    policy.sleep = waits.append  # type: ignore[method-assign]  # no real waiting in the test
    with caplog.at_level(logging.WARNING, logger="originlink.delivery"):
        assert policy(flaky) == "done"
    lines = [r for r in caplog.records if r.name == "originlink.delivery"]
    assert len(lines) == 4  # one line per back-off step
    assert all(r.exc_info is None for r in lines)  # no tracebacks
    assert "attempt 1" in lines[0].getMessage() and "cannot be reached" in lines[0].getMessage()
    assert all(0 <= w <= 4.0 for w in waits) and len(waits) == 4


def test_the_wait_is_capped(caplog: pytest.LogCaptureFixture) -> None:
    stop = threading.Event()
    waits: list[float] = []
    calls = 0

    def always() -> None:
        nonlocal calls
        calls += 1
        if calls >= 30:
            stop.set()
        raise StorageUnavailable("down")

    policy = retrying(stop, "periodic work", max_wait=2.0)
    policy.sleep = waits.append  # type: ignore[method-assign]
    with pytest.raises(RetryError):
        policy(always)
    assert max(waits) <= 2.0 and calls == 30
