"""Playing a lesson: start it, check the current step from the nodes' state, keep the score.

The learner (or the unattended player) does a step in the pages or on the command line and
asks for it to be checked; :meth:`Trainer.check` runs the step's check against the nodes and
records the attempt. A step that passes earns :data:`~originlink.training.lessons.STEP_POINTS`
less :data:`~originlink.training.lessons.PENALTY` per failed check before it; one that fails
returns the step's hint. The last step passing completes the lesson.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from originlink.domain.errors import Conflict
from originlink.services.context import Node
from originlink.services.node import training as progress_service
from originlink.store.repos.training import LessonProgress
from originlink.training import checks
from originlink.training.lessons import Lesson, Step, step_points
from originlink.training.outcome import Check, Outcome, failed
from originlink.training.probe import NetworkView


@dataclass(frozen=True, slots=True)
class CheckResult:
    lesson: Lesson
    step: Step
    outcome: Outcome
    points: int
    progress: LessonProgress

    @property
    def passed(self) -> bool:
        return self.outcome.ok

    @property
    def completed(self) -> bool:
        return self.progress.status == progress_service.COMPLETED


def current_step(lesson: Lesson, record: LessonProgress | None) -> Step | None:
    """The first step not passed yet (None once every step passed)."""
    done = record.steps if record is not None else {}
    for step in lesson.steps:
        if not done.get(step.id, {}).get("passed"):
            return step
    return None


class Trainer:
    """Lessons played against the sandbox's nodes, with progress kept on ``desk``."""

    def __init__(
        self, desk: Node, view: NetworkView, registry: dict[str, Check] | None = None
    ) -> None:
        self.desk = desk
        self.view = view
        self.checks = registry if registry is not None else checks.registry()

    def start(self, learner: str, lesson: Lesson) -> LessonProgress:
        return progress_service.start_lesson(
            self.desk,
            learner,
            lesson.id,
            max_score=lesson.max_score,
            started_at=self.desk.now(),
        )

    def progress(self, learner: str, lesson: Lesson) -> LessonProgress | None:
        return progress_service.progress(self.desk, learner, lesson.id)

    def run_check(self, lesson: Lesson, step: Step, facts: dict[str, Any]) -> Outcome:
        """The step's check, without recording anything (the player polls with it)."""
        try:
            return self.checks[step.check](self.view, facts, step.params)
        except LookupError as exc:
            return failed(f"an earlier step has not found {exc} yet: do the steps in order")

    def check(self, learner: str, lesson: Lesson) -> CheckResult:
        """Check the learner's current step and record the attempt."""
        record = self.progress(learner, lesson)
        if record is None:
            record = self.start(learner, lesson)
        step = current_step(lesson, record)
        if step is None or record.status == progress_service.COMPLETED:
            raise Conflict(f"lesson {lesson.id} is completed: start it again to play it again")
        outcome = self.run_check(lesson, step, record.facts)
        failures = record.steps.get(step.id, {}).get("attempts", 0)
        points = step_points(failures) if outcome.ok else 0
        updated = progress_service.record_step(
            self.desk,
            learner,
            lesson.id,
            step.id,
            passed=outcome.ok,
            points=points,
            facts=outcome.facts,
            last_step=step is lesson.steps[-1],
            detail=outcome.detail,
        )
        return CheckResult(lesson, step, outcome, points, updated)
