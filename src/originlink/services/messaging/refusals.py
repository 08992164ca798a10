"""Counting unauthenticated refusals instead of storing each one.

A request refused before its sender is established (unsigned, an unknown key, too large, over
the rate limit) costs whoever sends it nothing; one database row for each would let anyone
fill the database and keep its write lock busy. So, per kind of refusal (its code) and per
minute, the first ``g2g_refused_samples_per_minute`` are written to the refused-traffic log as
samples and the others only counted; once the minute is over, one row says how many more there
were (its ``count``), from how many addresses and with how many bytes. A refusal of an
authenticated partner is always written in full: partners are few and accountable.

The counts live in the node's memory (``node.memory``) until their row is written: at the next
refusal after the minute, by the worker round (:func:`flush_due`), or when the server stops;
only a process killed outright loses at most one minute of counts.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from originlink.services.context import Node

WINDOW = timedelta(minutes=1)
#: Distinct addresses remembered per kind and window (beyond, they are only counted).
_MAX_ADDRESSES = 1000
#: ``body_bytes`` is a 32-bit column; a summary of a flood says "at least" this much.
_MAX_BYTES = 2**31 - 1
_KEY = "refusal_counter"


@dataclass
class _Kind:
    kept: int = 0
    counted: int = 0
    body_bytes: int = 0
    addresses: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class CountedRefusals:
    """The refusals of one kind that a window counted without keeping them."""

    code: str
    start: datetime
    end: datetime
    count: int
    body_bytes: int
    addresses: int

    def row(self) -> dict[str, Any]:
        """The refused-traffic row that stands for them."""
        return {
            "received_at": self.start,
            "code": self.code,
            "detail": f"{self.count:,} more refusals {self.code} between "
            f"{self.start.isoformat()} and {self.end.isoformat()}, from "
            f"{self.addresses:,}{'+' if self.addresses >= _MAX_ADDRESSES else ''} "
            "address(es), were counted, not kept one by one",
            "body_bytes": min(self.body_bytes, _MAX_BYTES),
            "count": self.count,
        }


class RefusalCounter:
    """Decides, per refusal, whether it is kept as a sample or only counted (thread-safe)."""

    def __init__(self, samples_per_window: int) -> None:
        self.samples = samples_per_window
        self._lock = threading.Lock()
        self._start: datetime | None = None
        self._kinds: dict[str, _Kind] = {}

    def note(
        self, now: datetime, code: str, remote: str | None, body_bytes: int
    ) -> tuple[bool, list[CountedRefusals]]:
        """(whether to keep this refusal as a sample, the counts of a window now over)."""
        with self._lock:
            closed = self._close(now, force=False)
            if self._start is None:
                self._start = now
            kind = self._kinds.setdefault(code, _Kind())
            if kind.kept < self.samples:
                kind.kept += 1
                return True, closed
            kind.counted += 1
            kind.body_bytes += body_bytes
            if remote is not None and len(kind.addresses) < _MAX_ADDRESSES:
                kind.addresses.add(remote)
            return False, closed

    def close_due(self, now: datetime, *, force: bool = False) -> list[CountedRefusals]:
        """The counts of the window if it is over (or at once with ``force``)."""
        with self._lock:
            return self._close(now, force=force)

    def pending(self) -> int:
        """Refusals counted and not yet written."""
        with self._lock:
            return sum(k.counted for k in self._kinds.values())

    def _close(self, now: datetime, *, force: bool) -> list[CountedRefusals]:
        if self._start is None or (not force and now - self._start < WINDOW):
            return []
        start, end = self._start, max(now, self._start)
        closed = [
            CountedRefusals(code, start, end, k.counted, k.body_bytes, len(k.addresses))
            for code, k in sorted(self._kinds.items())
            if k.counted
        ]
        self._start, self._kinds = None, {}
        return closed


def counter(node: Node) -> RefusalCounter:
    """This node's counter (made on first use, kept in the node's memory)."""
    with _CREATE:
        found: RefusalCounter | None = node.memory.get(_KEY)
        if found is None:
            found = node.memory[_KEY] = RefusalCounter(node.settings.g2g_refused_samples_per_minute)
        return found


_CREATE = threading.Lock()


def write_counts(node: Node, closed: list[CountedRefusals]) -> None:
    """One refused-traffic row per kind that was counted."""
    if not closed:
        return
    with node.store.transaction() as tx:
        for counted in closed:
            tx.refused.add(**counted.row())


def flush_due(node: Node) -> int:
    """Worker-round task: write the counts of a window that is over. Returns 0 (bookkeeping
    that causes no further work)."""
    write_counts(node, counter(node).close_due(node.now()))
    return 0
