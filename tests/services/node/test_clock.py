"""services/node/clock.py: showing, advancing and setting a node's clock; refused on the real
clock; the work that fell due applied at once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.errors import ConfigurationError, Conflict, Forbidden, InputError
from originlink.services.context import Node
from originlink.services.node import clock as clock_service
from originlink.store.clock import SimulatedClock
from originlink.testing import TestCA
from originlink.testing.nodes import build_test_node


@pytest.fixture
def node(tmp_path: Path) -> Node:
    tnode = build_test_node(f"sqlite:///{tmp_path / 'n.db'}", ca=TestCA())
    simulated = SimulatedClock.create(tmp_path / "clock.json")
    tnode.node.clock = tnode.node.clock_control = simulated
    return tnode.node


def test_advancing_runs_the_periodic_work_at_once(node: Node) -> None:
    ran: list[str] = []
    node.hooks.periodic = [lambda n: ran.append(n.now().isoformat()) or 1]
    before = node.now()
    status = clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=90))
    assert status["applied"] == 1 and len(ran) == 1
    assert node.now() - before >= timedelta(days=90)
    assert status["mode"] == "simulated" and status["moves"] == 1


def test_only_forward_and_never_before_the_last_event(node: Node) -> None:
    with pytest.raises(InputError, match="only advances"):
        clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=-1))
    clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=10))
    with pytest.raises(Conflict, match="cannot go back"):
        clock_service.set_clock(node, SYSTEM_ACTOR, node.now() - timedelta(days=5))


def test_who_may_move_it(node: Node) -> None:
    officer = Actor("u1", "officer", Role.ISSUING_OFFICER)
    with pytest.raises(Forbidden):
        clock_service.advance_clock(node, officer, timedelta(days=1))
    admin = Actor("u2", "admin", Role.ADMIN)
    assert clock_service.advance_clock(node, admin, timedelta(days=1))["moves"] == 1


def test_the_real_clock_is_not_moved(tmp_path: Path) -> None:
    tnode = build_test_node(f"sqlite:///{tmp_path / 'r.db'}", ca=TestCA())
    assert clock_service.clock_status(tnode.node)["mode"] == "real"
    with pytest.raises(ConfigurationError, match="real clock"):
        clock_service.advance_clock(tnode.node, SYSTEM_ACTOR, timedelta(days=1))
