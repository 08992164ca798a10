"""``originlink sandbox --auto``: every lesson played without a learner.

For each step the player does what the lesson's ``auto`` names
(:mod:`~originlink.sandbox.actions`), waits until the step's check passes on the nodes — the
nodes work on their own, a message takes a moment — and then records the check through the
same :class:`~originlink.training.engine.Trainer` a learner's page uses, so the score and the
stored progress are those of a learner who made no mistake. A step that does not pass in time
fails its lesson, with the check's own words; the next lesson is played all the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from originlink.domain.errors import OriginLinkError
from originlink.sandbox.actions import ACTIONS, ActionFailed, Player
from originlink.training.engine import Trainer
from originlink.training.lessons import Lesson
from originlink.training.outcome import Outcome

AUTO_LEARNER = "auto"
STEP_TIMEOUT = 45.0


@dataclass
class LessonResult:
    lesson: str
    process: str
    title: str
    passed: bool
    score: int
    max_score: int
    seconds: float
    steps: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "lesson": self.lesson,
            "process": self.process,
            "title": self.title,
            "result": "passed" if self.passed else "failed",
            "score": self.score,
            "max_score": self.max_score,
            "seconds": round(self.seconds, 2),
            "steps": self.steps,
            "error": self.error,
        }


def _wait(
    trainer: Trainer, lesson: Lesson, step: Any, facts: dict[str, Any], timeout: float
) -> Outcome:
    deadline = time.monotonic() + timeout
    while True:
        outcome = trainer.run_check(lesson, step, facts)
        if outcome.ok or time.monotonic() > deadline:
            return outcome
        time.sleep(0.25)


def play_lesson(
    trainer: Trainer,
    player: Player,
    lesson: Lesson,
    *,
    learner: str = AUTO_LEARNER,
    timeout: float = STEP_TIMEOUT,
    on_step: Callable[[str], None] | None = None,
) -> LessonResult:
    began = time.perf_counter()
    record = trainer.start(learner, lesson)
    result = LessonResult(lesson.id, lesson.process, lesson.title, False, 0, lesson.max_score, 0)
    for step in lesson.steps:
        if on_step is not None:
            on_step(f"{lesson.id}: {step.id}")
        try:
            if step.auto:
                ACTIONS[step.auto](player, dict(record.facts), dict(step.auto_params))
            _wait(trainer, lesson, step, dict(record.facts), timeout)
            checked = trainer.check(learner, lesson)
        except (ActionFailed, OriginLinkError) as exc:
            result.error = f"{step.id}: {exc}"
            break
        record = checked.progress
        result.steps.append(
            {"step": step.id, "passed": checked.passed, "detail": checked.outcome.detail}
        )
        if not checked.passed:
            result.error = f"{step.id}: {checked.outcome.detail}"
            break
    result.score = record.score
    result.passed = result.error is None and record.status == "COMPLETED"
    result.seconds = time.perf_counter() - began
    return result


def play_all(
    trainer: Trainer,
    player: Player,
    lessons: list[Lesson],
    *,
    timeout: float = STEP_TIMEOUT,
    on_step: Callable[[str], None] | None = None,
    on_lesson: Callable[[LessonResult], None] | None = None,
) -> list[LessonResult]:
    results = []
    for lesson in lessons:
        result = play_lesson(trainer, player, lesson, timeout=timeout, on_step=on_step)
        results.append(result)
        if on_lesson is not None:
            on_lesson(result)
    return results
