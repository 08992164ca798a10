"""training/lessons.py: the bundled lessons load, cover every process P1–P14 and the cases the
issue names, each names checks and actions that exist and has an aim, an explanation, a rule
and a hint for every step; a broken lesson file is refused with its name."""

from __future__ import annotations

import pytest

from originlink.domain.errors import ConfigurationError
from originlink.sandbox.actions import ACTIONS
from originlink.training import lessons
from originlink.training.checks import registry


def test_every_process_has_a_lesson() -> None:
    found = {lesson.process for lesson in lessons.all_lessons()}
    assert found >= {f"P{n}" for n in range(1, 15)}


def test_the_lessons_the_issue_names_are_there_in_order() -> None:
    ids = [lesson.id for lesson in lessons.all_lessons()]
    assert ids == [
        "p01-issuance",
        "p02-push",
        "p03-receipt",
        "p04-pull",
        "p05-hub",
        "p06-claim",
        "p07-utilisation",
        "p08-cancel",
        "p09-replace",
        "p10-verification",
        "p11-back-to-back",
        "p12-retroactive",
        "p13-true-copy",
        "p14-trust-list",
        "p15-fallback",
    ]
    over = lessons.lesson("p06-claim")
    assert any(s.params.get("reason") == "QUANTITY_EXCEEDED" for s in over.steps)
    lapsed = lessons.lesson("p10-verification")
    assert lapsed.steps[-1].params == {"statuses": ["NO_REPLY"]}


def test_every_step_is_complete_and_names_what_exists() -> None:
    every = lessons.all_lessons()
    assert lessons.problems(every, registry(), ACTIONS) == []
    for lesson in every:
        assert lesson.aim and lesson.explanation and lesson.rule, lesson.id
        for step in lesson.steps:
            assert step.do and step.hint and step.auto, (lesson.id, step.id)


def test_articles_are_cited_where_the_agreement_has_one() -> None:
    cited = {lesson.id: lesson.article for lesson in lessons.all_lessons()}
    assert cited["p10-verification"] == "RCEP Art. 3.24.4(a), 3.25"
    assert cited["p13-true-copy"] == "RCEP Art. 3.17.9"
    assert all(article.startswith("RCEP Art. ") for article in cited.values())


def test_scores() -> None:
    assert lessons.lesson("p01-issuance").max_score == 2 * lessons.STEP_POINTS
    assert [lessons.step_points(n) for n in range(5)] == [10, 7, 4, 4, 4]


def test_problems_names_a_missing_check_or_action() -> None:
    first = lessons.all_lessons()[0]
    assert lessons.problems([first], {"issued"}, {"issue"}) == [
        "p01-issuance/apply: no check 'application'",
        "p01-issuance/apply: no action 'apply'",
    ]


def test_a_broken_lesson_file_is_refused_with_its_name() -> None:
    with pytest.raises(ConfigurationError, match=r"lesson file x\.toml: missing or wrong field"):
        lessons._lesson("x.toml", {"id": "x", "steps": []})
    raw = {
        "id": "x",
        "order": 1,
        "process": "P1",
        "title": "t",
        "aim": "a",
        "explanation": "e",
        "rule": "r",
        "steps": [
            {"id": "s", "do": "d", "check": "c", "hint": "h"},
            {"id": "s", "do": "d", "check": "c", "hint": "h"},
        ],
    }
    with pytest.raises(ConfigurationError, match="step ids repeated"):
        lessons._lesson("x.toml", raw)
