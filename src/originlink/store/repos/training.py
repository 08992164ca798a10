"""Lesson progress of the training sandbox's learners (:mod:`originlink.store.training_tables`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from originlink.store.training_tables import lesson_progress


@dataclass(frozen=True, slots=True)
class LessonProgress:
    """Where one learner is in one lesson. ``steps`` holds, per step id, the attempts (checks
    run), whether it passed and the points it earned; ``facts`` what the checks found."""

    learner: str
    lesson_id: str
    status: str
    started_at: datetime
    updated_at: datetime
    score: int
    max_score: int
    completed_at: datetime | None = None
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "lesson_id": self.lesson_id,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
            "updated_at": self.updated_at.isoformat(),
            "score": self.score,
            "max_score": self.max_score,
            "steps": self.steps,
            "facts": self.facts,
        }


def _record(row: Any) -> LessonProgress:
    return LessonProgress(
        learner=row.learner,
        lesson_id=row.lesson_id,
        status=row.status,
        started_at=row.started_at,
        completed_at=row.completed_at,
        updated_at=row.updated_at,
        score=int(row.score),
        max_score=int(row.max_score),
        steps=json.loads(row.steps),
        facts=json.loads(row.facts),
    )


class Training:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, learner: str, lesson_id: str) -> LessonProgress | None:
        row = self._c.execute(
            select(lesson_progress).where(
                lesson_progress.c.learner == learner, lesson_progress.c.lesson_id == lesson_id
            )
        ).first()
        return _record(row) if row is not None else None

    def save(self, record: LessonProgress) -> None:
        """Insert or replace the learner's row for the lesson (inside the caller's transaction,
        so a step's result and its facts are saved together or not at all)."""
        self._c.execute(
            delete(lesson_progress).where(
                lesson_progress.c.learner == record.learner,
                lesson_progress.c.lesson_id == record.lesson_id,
            )
        )
        self._c.execute(
            lesson_progress.insert().values(
                learner=record.learner,
                lesson_id=record.lesson_id,
                status=record.status,
                started_at=record.started_at,
                completed_at=record.completed_at,
                updated_at=record.updated_at,
                score=record.score,
                max_score=record.max_score,
                steps=json.dumps(record.steps, sort_keys=True),
                facts=json.dumps(record.facts, sort_keys=True, default=str),
            )
        )

    def all(self, *, learner: str | None = None, limit: int = 10_000) -> list[LessonProgress]:
        query = select(lesson_progress).order_by(
            lesson_progress.c.learner, lesson_progress.c.lesson_id
        )
        if learner is not None:
            query = query.where(lesson_progress.c.learner == learner)
        return [_record(r) for r in self._c.execute(query.limit(limit))]
