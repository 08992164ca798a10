"""``/app/training/``: the training sandbox's lessons, on the node that serves them (the one
whose ``[training] manifest`` names the sandbox).

Any signed-in user is a learner: the lesson list with their progress, a lesson's page (its aim,
explanation, rule and article, its steps with the current one's instructions, a button that
checks that step against the nodes' state and, when it fails, the hint), "what happened" (the
messages the nodes exchanged since the lesson started, as a sequence diagram) and, for the
instructor (an administrator), every learner's progress and its CSV export. The checking and
scoring are :mod:`originlink.training`'s; the page only shows them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import NotFound
from originlink.services.context import Node
from originlink.services.node import training as progress_service
from originlink.store.repos.training import LessonProgress
from originlink.training import diagram, i18n
from originlink.training.engine import Trainer, current_step
from originlink.training.lessons import Lesson, all_lessons, lesson
from originlink.training.manifest import Manifest
from originlink.training.probe import NetworkView
from originlink.web.guards import Administrator, NodeDep, SignedIn
from originlink.web.security import WebRoute
from originlink.web.templating import language, render

router = APIRouter(prefix="/app/training", route_class=WebRoute, include_in_schema=False)

CSV_COLUMNS = (
    "learner", "lesson", "process", "title", "status", "score", "max_score", "checks",
    "started_at", "completed_at",
)  # fmt: skip


def _manifest(node: Node) -> Manifest:
    path = node.settings.training_manifest
    if path is None:
        raise NotFound("this node serves no lessons: it is not a training sandbox's desk")
    return Manifest.load(Path(path))


def _lesson(lesson_id: str) -> Lesson:
    try:
        return lesson(lesson_id)
    except KeyError:
        raise NotFound(f"no lesson {lesson_id!r}") from None


def _trainer(node: Node) -> Trainer:
    return Trainer(node, NetworkView(_manifest(node)))


def _steps(shown: Lesson, record: LessonProgress | None, values: dict[str, Any]) -> list[Any]:
    """Each step with its state (done, current, to come) and its texts filled in."""
    current = current_step(shown, record)
    done = record.steps if record is not None else {}
    out = []
    for step in shown.steps:
        entry = done.get(step.id, {})
        out.append(
            {
                "id": step.id,
                "do": i18n.fill(step.do, values),
                "cli": i18n.fill(step.cli, values),
                "hint": i18n.fill(step.hint, values),
                "passed": bool(entry.get("passed")),
                "attempts": int(entry.get("attempts", 0)),
                "points": int(entry.get("points", 0)),
                "detail": entry.get("detail", ""),
                "current": current is not None and current.id == step.id and record is not None,
            }
        )
    return out


@router.get("/")
def lessons(request: Request, node: NodeDep, session: SignedIn) -> Response:
    _manifest(node)
    mine = {p.lesson_id: p for p in progress_service.learner_progress(node, session.actor.username)}
    lang = language(request)
    rows = [(i18n.localized(item, lang), mine.get(item.id)) for item in all_lessons()]
    return render(request, "app/training/index.html", rows=rows)


@router.get("/instructor")
def instructor(request: Request, node: NodeDep, session: Administrator) -> Response:
    _manifest(node)
    rows = progress_service.all_progress(node, session.actor)
    titles = {item.id: i18n.localized(item, language(request)).title for item in all_lessons()}
    learners = sorted({r.learner for r in rows})
    return render(
        request, "app/training/instructor.html", rows=rows, titles=titles, learners=learners
    )


@router.get("/instructor.csv")
def instructor_csv(node: NodeDep, session: Administrator) -> Response:
    _manifest(node)
    known = {item.id: item for item in all_lessons()}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in progress_service.all_progress(node, session.actor):
        item = known.get(row.lesson_id)
        writer.writerow(
            [
                row.learner,
                row.lesson_id,
                item.process if item else "",
                item.title if item else "",
                row.status,
                row.score,
                row.max_score,
                sum(int(s.get("attempts", 0)) for s in row.steps.values()),
                row.started_at.isoformat(),
                row.completed_at.isoformat() if row.completed_at else "",
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="training-progress.csv"'},
    )


@router.get("/{lesson_id}")
def lesson_page(lesson_id: str, request: Request, node: NodeDep, session: SignedIn) -> Response:
    item = _lesson(lesson_id)
    manifest = _manifest(node)
    record = progress_service.progress(node, session.actor.username, item.id)
    shown = i18n.localized(item, language(request))
    values = {**manifest.placeholders(), **(record.facts if record else {})}
    order = [x.id for x in all_lessons()]
    position = order.index(item.id)
    following = order[position + 1] if position + 1 < len(order) else None
    return render(
        request,
        "app/training/lesson.html",
        lesson=shown,
        record=record,
        steps=_steps(shown, record, values),
        following=following,
    )


@router.post("/{lesson_id}/start")
def start(lesson_id: str, node: NodeDep, session: SignedIn) -> Response:
    item = _lesson(lesson_id)
    _trainer(node).start(session.actor.username, item)
    return RedirectResponse(f"/app/training/{item.id}", status_code=303)


@router.post("/{lesson_id}/check")
def check(lesson_id: str, node: NodeDep, session: SignedIn) -> Response:
    item = _lesson(lesson_id)
    _trainer(node).check(session.actor.username, item)
    return RedirectResponse(f"/app/training/{item.id}#current", status_code=303)


@router.get("/{lesson_id}/what-happened")
def what_happened(lesson_id: str, request: Request, node: NodeDep, session: SignedIn) -> Response:
    item = _lesson(lesson_id)
    manifest = _manifest(node)
    record = progress_service.progress(node, session.actor.username, item.id)
    if record is None:
        raise NotFound(f"you have not started lesson {item.id}")
    shown = i18n.localized(item, language(request))
    seq = diagram.sequence(NetworkView(manifest), record.started_at)
    svg = diagram.render_svg(seq, title=shown.title)
    return render(
        request, "app/training/what_happened.html", lesson=shown, record=record, seq=seq, svg=svg
    )
