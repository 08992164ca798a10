"""The simulated clock of a training node, stored with the node.

A node created with ``originlink node init --clock simulated`` takes its time from
:class:`SimulatedClock`: the real time plus an offset kept in a small JSON file
(``<home>/clock.json``, or a file several nodes share, as the training sandbox's do). The clock
runs at the real pace; ``originlink clock advance`` and ``clock set`` move the offset. Every
process of the node (server, worker, command line) reads the file again as soon as it changed —
a ``stat`` per reading, comparing the file's identity and modification time — so a move is seen
at once, without restarting anything.

Moves are serialised with an exclusive lock on a side file, and written atomically (a temporary
file renamed into place), so two moves never lose one another and a reader never sees half a
file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from originlink.domain.clock import Clock, SystemClock
from originlink.domain.errors import ConfigurationError

_MAX_BYTES = 4096


@dataclass(frozen=True, slots=True)
class ClockState:
    """What the file holds: how far the simulated time is ahead of the real time."""

    offset: timedelta
    moves: int = 0
    moved_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "offset_microseconds": _micros(self.offset),
            "moves": self.moves,
            "moved_at": self.moved_at.isoformat() if self.moved_at else None,
        }


class SimulatedClock:
    """The real time plus the offset stored in ``path``; thread-safe."""

    def __init__(self, path: Path, *, real: Clock | None = None) -> None:
        self.path = path
        self._real = real or SystemClock()
        self._lock = threading.Lock()
        self._seen: tuple[int, int] | None = None
        self._state = ClockState(timedelta(0))
        if not path.is_file():
            raise ConfigurationError(
                f"the simulated clock's file {path} does not exist: create the node with "
                "'originlink node init --clock simulated'"
            )
        self._refresh()

    @staticmethod
    def create(path: Path, *, offset: timedelta = timedelta(0)) -> SimulatedClock:
        """Start a clock file (at the real time unless ``offset`` says otherwise)."""
        if not path.exists():
            _write(path, ClockState(offset))
        return SimulatedClock(path)

    def now(self) -> datetime:
        with self._lock:
            self._refresh()
            return self._real.now() + self._state.offset

    def state(self) -> ClockState:
        with self._lock:
            self._refresh()
            return self._state

    def real_now(self) -> datetime:
        return self._real.now()

    def advance(self, delta: timedelta) -> ClockState:
        """Move the simulated time forward by exactly ``delta``."""
        with _exclusive(self.path), self._lock:
            current = _read(self.path)
            state = ClockState(current.offset + delta, current.moves + 1, self._real.now())
            _write(self.path, state)
            self._seen = None
            self._refresh()
            return self._state

    def move_to(self, moment: datetime) -> ClockState:
        """Set the simulated time to ``moment`` (the caller decides whether that is allowed)."""
        if moment.tzinfo is None:
            raise ValueError("the simulated clock needs a timezone-aware time")
        with _exclusive(self.path), self._lock:
            current = _read(self.path)
            real = self._real.now()
            state = ClockState(moment.astimezone(UTC) - real, current.moves + 1, real)
            _write(self.path, state)
            self._seen = None
            self._refresh()
            return self._state

    def _refresh(self) -> None:
        """Read the file again when it is not the one read last (a move was made)."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            raise ConfigurationError(f"the simulated clock's file {self.path} is gone") from None
        seen = (st.st_ino, st.st_mtime_ns)
        if seen != self._seen:
            self._state = _read(self.path)
            self._seen = seen


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _read(path: Path) -> ClockState:
    try:
        with path.open("rb") as handle:
            raw = json.loads(handle.read(_MAX_BYTES + 1)[:_MAX_BYTES] or b"{}")
        moved = raw.get("moved_at")
        return ClockState(
            timedelta(microseconds=int(raw["offset_microseconds"])),
            int(raw.get("moves", 0)),
            datetime.fromisoformat(moved) if moved else None,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigurationError(
            f"the simulated clock's file {path} is unreadable: {exc}"
        ) from None


def _write(path: Path, state: ClockState) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state.as_json()) + "\n", "utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    lock = path.with_name(f".{path.name}.lock")
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
