"""web/routes/training.py: the lessons' pages on the sandbox's desk node — a lesson played
through the pages (start, a failed check with its hint, the steps passing, the score), "what
happened" as an SVG diagram, the instructor's page and CSV export for administrators only, the
lesson in the browser's language, and no lessons on a node that is not a sandbox's desk. The
nodes' state comes from a canned view (the real network is the end-to-end and browser tests')."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from originlink.web.routes import training as pages
from tests.training.fakes import FakeView, application, manifest
from tests.web_support import WebNode, csrf_of, sign_in


@pytest.fixture
def view(web: WebNode, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeView:
    path = manifest().save(tmp_path)
    web.t.node.settings = replace(web.t.node.settings, training_manifest=path)
    canned = FakeView()
    monkeypatch.setattr(pages, "NetworkView", lambda _m: canned)
    return canned


def _check(client: Any, lesson: str) -> str:
    page = client.get(f"/app/training/{lesson}")
    answer = client.post(f"/app/training/{lesson}/check", data={"csrf_token": csrf_of(page.text)})
    assert answer.status_code == 303, answer.text
    return str(client.get(f"/app/training/{lesson}").text)


def test_a_lesson_played_through_the_pages(web: WebNode, view: FakeView) -> None:
    client = web.client()
    sign_in(client, "exporter")
    listing = client.get("/app/training/")
    assert listing.status_code == 200 and listing.text.count('href="/app/training/p') == 15
    page = client.get("/app/training/p01-issuance")
    assert "Apply for a certificate of origin as the exporter" in page.text
    assert "RCEP Art. 3.17.1–3.17.3" in page.text
    assert "http://sg:1/app/" in page.text  # the network's address put in the step
    start = client.post("/app/training/p01-issuance/start", data={"csrf_token": csrf_of(page.text)})
    assert start.status_code == 303
    failed = _check(client, "p01-issuance")
    assert "Not yet: SG holds no application with the invoice number L01" in failed
    assert "The application must carry the invoice number L01 and be submitted" in failed
    view.answers[("SG", "/api/v1/applications")] = [application("L01", "SUBMITTED")]
    second = _check(client, "p01-issuance")
    assert 'data-step="issue"' in second and "Score so far: 7 of 20." in second
    view.answers[("SG", "/api/v1/applications")] = [
        application("L01", "ISSUED", certificate_id="c1")
    ]
    view.answers[("SG", "/api/v1/certificates/c1")] = {
        "id": "c1", "number": "RCEP-SG-2026-000001", "issuing_country": "SG", "digest": "d"
    }  # fmt: skip
    done = _check(client, "p01-issuance")
    assert "Lesson completed. Score: 17 of 20." in done
    assert 'href="/app/training/p02-push"' in done
    view.answers[("SG", "/api/v1/messages")] = [
        {
            "created_at": "2026-03-01T09:00:01+00:00", "message_type": "co.issued",
            "recipient": "JP-CUSTOMS", "status": "ACCEPTED", "route": "push", "attempts": 1,
        }
    ]  # fmt: skip
    happened = client.get("/app/training/p01-issuance/what-happened")
    assert happened.status_code == 200
    assert "<svg" in happened.text and "business response: ACCEPTED" in happened.text


def test_the_instructor_sees_everyone_and_exports_csv(web: WebNode, view: FakeView) -> None:
    learner = web.client()
    sign_in(learner, "exporter")
    page = learner.get("/app/training/p02-push")
    learner.post("/app/training/p02-push/start", data={"csrf_token": csrf_of(page.text)})
    _check(learner, "p02-push")
    assert learner.get("/app/training/instructor").status_code == 403
    assert learner.get("/app/training/instructor.csv").status_code == 403
    instructor = web.client()
    sign_in(instructor, "admin")
    shown = instructor.get("/app/training/instructor")
    assert shown.status_code == 200
    assert "exporter" in shown.text and "Transmission by push" in shown.text
    exported = instructor.get("/app/training/instructor.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == list(pages.CSV_COLUMNS)
    assert rows[1][:8] == ["exporter", "p02-push", "P2", "Transmission by push", "STARTED",
                           "0", "30", "1"]  # fmt: skip


def test_a_lesson_in_the_browser_s_language(web: WebNode, view: FakeView) -> None:
    client = web.client()
    sign_in(client, "officer")
    page = client.get("/app/training/p10-verification", headers={"Accept-Language": "es"})
    assert "Verificación retroactiva con un plazo vencido" in page.text
    french = client.get("/app/training/", headers={"Accept-Language": "fr"})
    assert "Demande et délivrance" in french.text


def test_the_menu_leads_to_the_lessons_on_the_desk_only(web: WebNode, tmp_path: Path) -> None:
    client = web.client()
    sign_in(client, "customs")
    assert 'href="/app/training/"' not in client.get("/app/").text
    path = manifest().save(tmp_path)
    web.t.node.settings = replace(web.t.node.settings, training_manifest=path)
    assert 'href="/app/training/">Lessons</a>' in client.get("/app/").text


def test_no_lessons_on_a_node_that_is_not_a_sandbox_desk(web: WebNode) -> None:
    client = web.client()
    sign_in(client, "exporter")
    answer = client.get("/app/training/")
    assert answer.status_code == 404
    assert "this node serves no lessons" in answer.text


def test_an_unknown_lesson_is_a_404_page(web: WebNode, view: FakeView) -> None:
    client = web.client()
    sign_in(client, "exporter")
    answer = client.get("/app/training/p99")
    assert answer.status_code == 404 and "no lesson" in answer.text
