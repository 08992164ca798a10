"""services/node/training.py: a learner's progress through a lesson, on SQLite and PostgreSQL:
started (again) from the first step, each check an attempt, points and facts saved together,
completion with the last step, and only a reviewer reads everyone's progress."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.domain.errors import Conflict, Forbidden, NotFound
from originlink.services.node import training
from originlink.testing.nodes import TestNode


def test_a_step_is_recorded_with_its_attempts_points_and_facts(sg_on_db: TestNode) -> None:
    node = sg_on_db.node
    begun = node.now()
    training.start_lesson(node, "ana", "p01", max_score=20, started_at=begun)
    first = training.record_step(
        node,
        "ana",
        "p01",
        "apply",
        passed=False,
        points=0,
        facts={},
        last_step=False,
        detail="no application L01",
    )
    assert first.steps["apply"] == {
        "attempts": 1,
        "passed": False,
        "points": 0,
        "detail": "no application L01",
    }
    assert first.score == 0 and first.status == training.STARTED
    second = training.record_step(
        node,
        "ana",
        "p01",
        "apply",
        passed=True,
        points=7,
        facts={"number": "X-1"},
        last_step=False,
    )
    assert second.steps["apply"] == {"attempts": 2, "passed": True, "points": 7, "detail": ""}
    assert second.facts == {"started_at": begun.isoformat(), "number": "X-1"}
    done = training.record_step(
        node, "ana", "p01", "issue", passed=True, points=10, facts={}, last_step=True
    )
    assert done.status == training.COMPLETED and done.score == 17 and done.max_score == 20
    assert done.completed_at is not None
    stored = training.progress(node, "ana", "p01")
    assert stored == done


def test_a_passed_step_or_a_completed_lesson_is_not_recorded_again(sg: TestNode) -> None:
    node = sg.node
    training.start_lesson(node, "ana", "p01", max_score=20, started_at=node.now())
    training.record_step(node, "ana", "p01", "a", passed=True, points=10, facts={}, last_step=False)
    with pytest.raises(Conflict, match="already passed"):
        training.record_step(
            node, "ana", "p01", "a", passed=True, points=10, facts={}, last_step=False
        )
    training.record_step(node, "ana", "p01", "b", passed=True, points=10, facts={}, last_step=True)
    with pytest.raises(Conflict, match="already completed"):
        training.record_step(
            node, "ana", "p01", "b", passed=True, points=10, facts={}, last_step=True
        )


def test_starting_again_starts_from_the_first_step(sg: TestNode) -> None:
    node = sg.node
    training.start_lesson(node, "ana", "p01", max_score=20, started_at=node.now())
    training.record_step(
        node, "ana", "p01", "a", passed=True, points=10, facts={"x": 1}, last_step=False
    )
    later = node.now() + timedelta(days=3)
    again = training.start_lesson(node, "ana", "p01", max_score=20, started_at=later)
    assert again.steps == {} and again.score == 0
    assert again.facts == {"started_at": later.isoformat()}
    assert training.progress(node, "ana", "p01") == again


def test_a_step_of_a_lesson_never_started_is_refused(sg: TestNode) -> None:
    with pytest.raises(NotFound, match="has not started"):
        training.record_step(
            sg.node, "bob", "p01", "a", passed=True, points=10, facts={}, last_step=False
        )


def test_learners_see_their_own_progress_and_reviewers_everyone_s(sg: TestNode) -> None:
    node = sg.node
    for learner in ("ana", "bob"):
        training.start_lesson(node, learner, "p01", max_score=20, started_at=node.now())
    training.start_lesson(node, "ana", "p02", max_score=30, started_at=node.now())
    assert [(p.learner, p.lesson_id) for p in training.learner_progress(node, "ana")] == [
        ("ana", "p01"),
        ("ana", "p02"),
    ]
    assert len(training.all_progress(node, sg.admin)) == 3
    with pytest.raises(Forbidden):
        training.all_progress(node, sg.exporter)
