"""store/clock.py: a training node's simulated clock, stored in a file every process of the
node (and every node of a sandbox) reads again as soon as it is moved."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from originlink.domain.clock import FrozenClock
from originlink.domain.errors import ConfigurationError
from originlink.store.clock import SimulatedClock

REAL = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_it_runs_at_the_real_pace_from_its_offset(tmp_path: Path) -> None:
    real = FrozenClock(REAL)
    path = tmp_path / "clock.json"
    SimulatedClock.create(path)
    clock = SimulatedClock(path, real=real)
    assert clock.now() == REAL
    clock.advance(timedelta(days=30))
    assert clock.now() == REAL + timedelta(days=30)
    real.advance(timedelta(seconds=5))
    assert clock.now() == REAL + timedelta(days=30, seconds=5)
    assert clock.state().moves == 1


def test_another_process_sees_a_move_at_once(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    real = FrozenClock(REAL)
    SimulatedClock.create(path)
    server = SimulatedClock(path, real=real)  # e.g. the serve process
    command_line = SimulatedClock(path, real=real)  # e.g. 'originlink clock advance'
    assert server.now() == REAL
    command_line.move_to(datetime(2027, 6, 1, tzinfo=UTC))
    assert server.now() == datetime(2027, 6, 1, tzinfo=UTC)
    command_line.advance(timedelta(hours=2))
    assert server.now() == datetime(2027, 6, 1, 2, tzinfo=UTC)


def test_concurrent_moves_are_never_lost(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    SimulatedClock.create(path)
    clocks = [SimulatedClock(path, real=FrozenClock(REAL)) for _ in range(4)]
    threads = [
        threading.Thread(target=lambda c=c: [c.advance(timedelta(minutes=1)) for _ in range(25)])
        for c in clocks
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert clocks[0].state().moves == 100
    assert clocks[0].now() == REAL + timedelta(minutes=100)


def test_a_missing_or_damaged_clock_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="node init --clock simulated"):
        SimulatedClock(tmp_path / "none.json")
    broken = tmp_path / "clock.json"
    broken.write_text("{not json", "utf-8")
    with pytest.raises(ConfigurationError, match="unreadable"):
        SimulatedClock(broken)


def test_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "clock.json"
    SimulatedClock.create(path).advance(timedelta(days=1))
    assert path.stat().st_mode & 0o777 == 0o600
