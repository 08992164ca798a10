"""training/engine.py: the current step is checked and recorded; a failed check gives the
hint and costs points; the last step completes the lesson; a completed lesson is not checked
again until started again. Progress is stored on a real test node."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from originlink.domain.errors import Conflict
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from originlink.training.engine import Trainer, current_step
from originlink.training.lessons import Lesson, Step
from originlink.training.outcome import Outcome, failed, passed
from tests.training.fakes import FakeView

LESSON = Lesson(
    id="demo",
    order=1,
    process="P1",
    title="t",
    aim="a",
    explanation="e",
    rule="r",
    article="",
    steps=(
        Step(id="one", do="do one", check="first", hint="hint one"),
        Step(id="two", do="do two", check="second", hint="hint two", params={"of": "x"}),
    ),
)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[TestNode]:
    node = build_test_node(f"sqlite:///{tmp_path / 'desk.db'}", ca=TestCA())
    yield node
    node.close()


def test_a_lesson_played_with_one_mistake(desk: TestNode) -> None:
    answers = {"first": [failed("not yet"), passed("found it", number="N-1")]}
    seen: list[dict[str, Any]] = []

    def first(view: Any, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
        return answers["first"].pop(0)

    def second(view: Any, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
        seen.append(dict(facts))
        return passed("done")

    trainer = Trainer(desk.node, FakeView(), {"first": first, "second": second})
    trainer.start("ana", LESSON)
    miss = trainer.check("ana", LESSON)
    assert not miss.passed and miss.step.hint == "hint one" and miss.points == 0
    hit = trainer.check("ana", LESSON)
    assert hit.passed and hit.points == 7 and hit.step.id == "one"
    assert current_step(LESSON, hit.progress) == LESSON.steps[1]
    last = trainer.check("ana", LESSON)
    assert last.completed and last.progress.score == 17 and last.progress.max_score == 20
    assert seen[0]["number"] == "N-1" and "started_at" in seen[0]
    with pytest.raises(Conflict, match="start it again"):
        trainer.check("ana", LESSON)
    again = trainer.start("ana", LESSON)
    assert current_step(LESSON, again) == LESSON.steps[0]


def test_a_missing_fact_fails_the_check_with_a_sentence(desk: TestNode) -> None:
    def needs(view: Any, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
        raise LookupError("x_number")

    trainer = Trainer(desk.node, FakeView(), {"first": needs, "second": needs})
    result = trainer.check("bob", LESSON)  # checking starts a lesson not started yet
    assert not result.passed
    assert "an earlier step has not found x_number yet" in result.outcome.detail
    assert result.progress.steps["one"]["attempts"] == 1
