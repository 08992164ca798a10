"""Lessons as data: one TOML file per lesson in ``training/lessons/``.

A lesson has an ``id``, the ``process`` it teaches (P1–P14), a ``title``, an ``aim``, a short
``explanation`` of the process, the ``rule`` it teaches and the agreement ``article`` that says
so (empty where no article does), and ``steps``. A step says what the learner does (``do``: in
the pages, and ``cli`` where a command does it), which ``check`` confirms it from the nodes'
state (with ``params``), the ``hint`` shown when the check fails, and the ``auto`` action the
unattended player takes instead of a learner. Loading checks every name against the checks and
actions that exist, so a misspelt lesson fails at once rather than in front of a learner.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from originlink.domain.errors import ConfigurationError

#: Points a step earns when its first check passes; each failed check costs
#: :data:`PENALTY`, down to :data:`FLOOR`.
STEP_POINTS = 10
PENALTY = 3
FLOOR = 4
_TEXT_FIELDS = ("title", "aim", "explanation", "rule")


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    do: str
    check: str
    hint: str
    cli: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    auto: str = ""
    auto_params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    order: int
    process: str
    title: str
    aim: str
    explanation: str
    rule: str
    article: str
    steps: tuple[Step, ...]

    @property
    def max_score(self) -> int:
        return STEP_POINTS * len(self.steps)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def texts(self) -> list[str]:
        """Every text of the lesson a translator translates (the catalogues' message ids)."""
        out = [getattr(self, name) for name in _TEXT_FIELDS]
        for step in self.steps:
            out.extend(t for t in (step.do, step.hint) if t)
        return [t for t in out if t]


def _text(value: Any) -> str:
    """One line: a TOML multi-line string is folded, so it is one message id to translate."""
    return " ".join(str(value).split())


def step_points(failed_attempts: int) -> int:
    return max(FLOOR, STEP_POINTS - PENALTY * failed_attempts)


def _lesson(name: str, raw: dict[str, Any]) -> Lesson:
    try:
        steps = tuple(
            Step(
                id=str(s["id"]),
                do=_text(s["do"]),
                check=str(s["check"]),
                hint=_text(s["hint"]),
                cli=str(s.get("cli", "")).strip(),
                params=dict(s.get("params", {})),
                auto=str(s.get("auto", "")),
                auto_params=dict(s.get("auto_params", {})),
            )
            for s in raw["steps"]
        )
        lesson = Lesson(
            id=str(raw["id"]),
            order=int(raw["order"]),
            process=str(raw["process"]),
            title=_text(raw["title"]),
            aim=_text(raw["aim"]),
            explanation=_text(raw["explanation"]),
            rule=_text(raw["rule"]),
            article=_text(raw.get("article", "")),
            steps=steps,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"lesson file {name}: missing or wrong field {exc}") from None
    if not steps or len({s.id for s in steps}) != len(steps):
        raise ConfigurationError(f"lesson file {name}: steps missing or step ids repeated")
    return lesson


@lru_cache(maxsize=1)
def all_lessons() -> tuple[Lesson, ...]:
    """The bundled lessons, in their order."""
    folder = resources.files("originlink.training").joinpath("lessons")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            found.append(_lesson(entry.name, tomllib.loads(entry.read_text("utf-8"))))
    found.sort(key=lambda lesson: lesson.order)
    if len({lesson.id for lesson in found}) != len(found):
        raise ConfigurationError("two lesson files share an id")
    return tuple(found)


def lesson(lesson_id: str) -> Lesson:
    for candidate in all_lessons():
        if candidate.id == lesson_id:
            return candidate
    raise KeyError(lesson_id)


def problems(
    lessons: Collection[Lesson], checks: Collection[str], actions: Collection[str]
) -> list[str]:
    """What in the lessons names a check or an action that does not exist."""
    found = []
    for item in lessons:
        for step in item.steps:
            if step.check not in checks:
                found.append(f"{item.id}/{step.id}: no check {step.check!r}")
            if step.auto and step.auto not in actions:
                found.append(f"{item.id}/{step.id}: no action {step.auto!r}")
    return found
