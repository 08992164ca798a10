"""Learners' progress through the training sandbox's lessons, kept on the node that serves them.

Any signed-in user is a learner of their own progress; only a reviewer (the administrator, as
the sandbox's instructor) reads everyone's. A step's result, its points and the facts its check
found are saved in one unit of work, so a progress row is never half-written; starting a lesson
again starts it from the first step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import Conflict, NotFound
from originlink.services.context import Node
from originlink.store.repos.training import LessonProgress

STARTED = "STARTED"
COMPLETED = "COMPLETED"


def start_lesson(
    node: Node, learner: str, lesson_id: str, *, max_score: int, started_at: datetime
) -> LessonProgress:
    """Begin (or begin again) ``lesson_id`` for ``learner``; ``started_at`` is the network's
    time, from which the lesson's checks look for what the learner did."""
    record = LessonProgress(
        learner=learner,
        lesson_id=lesson_id,
        status=STARTED,
        started_at=started_at,
        updated_at=node.now(),
        score=0,
        max_score=max_score,
        facts={"started_at": started_at.isoformat()},
    )
    with node.store.transaction() as uow:
        uow.training.save(record)
    return record


def progress(node: Node, learner: str, lesson_id: str) -> LessonProgress | None:
    with node.store.read() as uow:
        return uow.training.get(learner, lesson_id)


def record_step(
    node: Node,
    learner: str,
    lesson_id: str,
    step_id: str,
    *,
    passed: bool,
    points: int,
    facts: dict[str, Any],
    last_step: bool,
    detail: str = "",
) -> LessonProgress:
    """Record one check of ``step_id``: an attempt and what the check found (``detail``);
    when ``passed``, its points and facts, and with the ``last_step`` the lesson's
    completion."""
    with node.store.transaction() as uow:
        current = uow.training.get(learner, lesson_id)
        if current is None:
            raise NotFound(f"{learner} has not started lesson {lesson_id}")
        if current.status == COMPLETED:
            raise Conflict(f"lesson {lesson_id} is already completed; start it again")
        steps = {k: dict(v) for k, v in current.steps.items()}
        entry = steps.setdefault(step_id, {"attempts": 0, "passed": False, "points": 0})
        if entry["passed"]:
            raise Conflict(f"step {step_id} of {lesson_id} has already passed")
        entry["attempts"] += 1
        entry["detail"] = detail[:500]
        now = node.now()
        changes: dict[str, Any] = {"steps": steps, "updated_at": now}
        if passed:
            entry.update(passed=True, points=points)
            changes["score"] = current.score + points
            changes["facts"] = {**current.facts, **facts}
            if last_step:
                changes.update(status=COMPLETED, completed_at=now)
        updated = replace(current, **changes)
        uow.training.save(updated)
    return updated


def learner_progress(node: Node, learner: str) -> list[LessonProgress]:
    with node.store.read() as uow:
        return uow.training.all(learner=learner)


def all_progress(node: Node, actor: Actor) -> list[LessonProgress]:
    """Every learner's progress (the instructor's view)."""
    actor.require(Permission.TRAINING_REVIEW)
    with node.store.read() as uow:
        return uow.training.all()
