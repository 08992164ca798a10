"""Back-off of the worker's loops when something fails that is not a partner's answer (the
database down, a bug): exponential with full jitter, capped, by tenacity — and one log line per
step, so a database outage of a minute is a handful of warnings, not thousands of tracebacks."""

from __future__ import annotations

import logging
import threading

from tenacity import RetryCallState, Retrying, stop_when_event_set, wait_random_exponential

from originlink.domain.errors import OriginLinkError

log = logging.getLogger("originlink.delivery")


def retrying(stop: threading.Event, what: str, *, max_wait: float = 60.0) -> Retrying:
    """Call a function again after a failure, waiting 0.5 s · 2^n at random (at most
    ``max_wait``), until it succeeds or ``stop`` is set (then ``RetryError``)."""

    def note(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        detail = error.one_line() if isinstance(error, OriginLinkError) else repr(error)
        wait = state.next_action.sleep if state.next_action else 0.0
        log.warning(
            "%s failed (attempt %d): %s; next try in %.1f s",
            what,
            state.attempt_number,
            detail,
            wait,
        )

    def sleep(seconds: float) -> None:
        stop.wait(seconds)

    return Retrying(
        wait=wait_random_exponential(multiplier=0.5, max=max_wait),
        stop=stop_when_event_set(stop),
        sleep=sleep,
        before_sleep=note,
        reraise=False,
    )
