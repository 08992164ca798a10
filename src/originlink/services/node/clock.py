"""The node's clock: shown, and on a training node (simulated clock) moved.

Everything that depends on time reads the node's clock — issuance windows, validity,
verification deadlines, delivery retries, and what the command line dates on a training node
(keys, trust lists: ``cli/trust_options.home_clock``) — so moving a simulated clock moves all of
it. Nodes sharing the clock file see the move at once; their servers' workers apply what fell
due there within a round (half a second). A move is refused on a node that runs on the real
clock, and never goes back before the
latest recorded event (the audit chain's last record): history stays in order. After a move the
work that fell due is applied at once: the periodic tasks (deadlines, pulls, polls) run and the
delivery worker sends what is due.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import ConfigurationError, Conflict, InputError
from originlink.services.context import MovableClock, Node
from originlink.services.messaging.delivery import worker_for

SIMULATED = "simulated"
REAL = "real"


def clock_status(node: Node) -> dict[str, Any]:
    """What the node's clock says, and for a simulated one how far it is from the real time."""
    now = node.now()
    status: dict[str, Any] = {"mode": REAL, "now": now.isoformat()}
    control = node.clock_control
    if control is not None:
        state = control.state()
        status.update(
            mode=SIMULATED,
            real_now=control.real_now().isoformat(),
            offset_seconds=round(state.offset.total_seconds(), 3),
            moves=state.moves,
            moved_at=state.moved_at.isoformat() if state.moved_at else None,
        )
    return status


def advance_clock(node: Node, actor: Actor, delta: timedelta) -> dict[str, Any]:
    """Move the simulated clock forward by ``delta`` and apply what fell due."""
    actor.require(Permission.CLOCK_MOVE)
    control = _control(node)
    if delta <= timedelta(0):
        raise InputError(
            f"the clock only advances: {delta} is not a positive duration (use 'clock set' "
            "to go to a given date)"
        )
    before = node.now()
    control.advance(delta)
    return _moved(node, actor, before)


def set_clock(node: Node, actor: Actor, moment: datetime) -> dict[str, Any]:
    """Move the simulated clock to ``moment`` (not before the latest recorded event) and
    apply what fell due."""
    actor.require(Permission.CLOCK_MOVE)
    control = _control(node)
    if moment.tzinfo is None:
        raise InputError("the date needs a time zone (e.g. 2026-03-01T00:00:00Z)")
    before = node.now()
    with node.store.read() as uow:
        last = uow.audit.last_event_at()
    if last is not None and moment < last:
        raise Conflict(
            f"the clock cannot go back to {moment.isoformat()}: an event was recorded at "
            f"{last.isoformat()}; set a time at or after it"
        )
    control.move_to(moment)
    return _moved(node, actor, before)


def _moved(node: Node, actor: Actor, before: datetime) -> dict[str, Any]:
    """Record the move in the audit chain and apply what fell due."""
    moment = node.now()
    with node.store.transaction() as uow:
        uow.audit.append(
            at=node.now(),
            actor=actor.label,
            action="clock.moved",
            entity_type="node",
            entity_id=node.identity.participant_id,
            details={"from": before.isoformat(), "to": moment.isoformat(), "via": actor.via},
        )
    status = clock_status(node)
    status["applied"] = apply_due_work(node)
    return status


def apply_due_work(node: Node) -> int:
    """Run the periodic tasks (deadlines, pulls, polls) and, on a node that exchanges, send
    what is due until nothing moves; how much was done."""
    if node.transport is None:
        return sum(task(node) for task in node.hooks.periodic)
    worker = worker_for(node, worker_id="clock-move")
    try:
        return worker.drain()
    finally:
        worker.close()


def _control(node: Node) -> MovableClock:
    if node.clock_control is None:
        raise ConfigurationError(
            f"node {node.identity.participant_id} runs on the real clock, which nobody moves; "
            "only a node created with 'originlink node init --clock simulated' (a training "
            "node) has a clock to advance or set"
        )
    return node.clock_control
