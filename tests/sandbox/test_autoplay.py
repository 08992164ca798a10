"""sandbox/autoplay.py: the unattended player does each step's action, waits for its check
to pass, records it through the trainer (full marks), stops a lesson at a step that does not
pass in time or whose action is refused — saying which and why — and plays the next lesson."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from originlink.sandbox import autoplay
from originlink.sandbox.actions import ActionFailed, Player
from originlink.services.node import training as progress_service
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from originlink.training.engine import Trainer
from originlink.training.lessons import Lesson, Step
from originlink.training.outcome import Outcome, failed, passed
from tests.training.fakes import FakeView


def _lesson(lesson_id: str, *actions: str) -> Lesson:
    steps = tuple(
        Step(id=f"s{n}", do="do", check="ready", hint="hint", auto=action)
        for n, action in enumerate(actions, start=1)
    )
    return Lesson(lesson_id, 1, "P1", "Title", "aim", "explanation", "rule", "", steps)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[TestNode]:
    node = build_test_node(f"sqlite:///{tmp_path / 'desk.db'}", ca=TestCA())
    yield node
    node.close()


def test_every_step_done_waited_for_and_recorded(
    desk: TestNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = {"done": 0, "pending": False}

    def act(player: Any, facts: dict[str, Any], params: dict[str, Any]) -> None:
        state["done"] += 1
        state["pending"] = True

    def ready(view: Any, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
        # the nodes take a moment: the first look after each action finds nothing yet
        if state["pending"]:
            state["pending"] = False
            return failed("not yet")
        return passed("there")

    monkeypatch.setattr(autoplay, "ACTIONS", {"act": act})
    view = FakeView()
    trainer = Trainer(desk.node, view, {"ready": ready})
    seen: list[str] = []
    result = autoplay.play_lesson(
        trainer, Player(view.manifest, view), _lesson("x", "act", "act"), on_step=seen.append
    )
    assert result.passed and result.error is None
    assert (result.score, result.max_score) == (20, 20)
    assert state["done"] == 2 and seen == ["x: s1", "x: s2"]
    assert [s["passed"] for s in result.steps] == [True, True]
    stored = progress_service.progress(desk.node, autoplay.AUTO_LEARNER, "x")
    assert stored is not None and stored.status == progress_service.COMPLETED


def test_a_step_that_never_passes_fails_its_lesson_and_the_next_is_played(
    desk: TestNode, monkeypatch: pytest.MonkeyPatch
) -> None:
    def act(player: Any, facts: dict[str, Any], params: dict[str, Any]) -> None:
        return None

    def refuse(player: Any, facts: dict[str, Any], params: dict[str, Any]) -> None:
        raise ActionFailed("POST /api/v1/applications at SG: 422 bad content")

    def ready(view: Any, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
        return failed("JP holds no CO N-1 yet")

    monkeypatch.setattr(autoplay, "ACTIONS", {"act": act, "refuse": refuse})
    view = FakeView()
    trainer = Trainer(desk.node, view, {"ready": ready})
    player = Player(view.manifest, view)
    done: list[autoplay.LessonResult] = []
    results = autoplay.play_all(
        trainer, player, [_lesson("a", "act"), _lesson("b", "refuse")], timeout=0.3,
        on_lesson=done.append,
    )  # fmt: skip
    assert done == results
    first, second = results
    assert not first.passed and first.error == "s1: JP holds no CO N-1 yet"
    assert first.as_json()["result"] == "failed" and first.score == 0
    assert not second.passed
    assert second.error == "s1: POST /api/v1/applications at SG: 422 bad content"
