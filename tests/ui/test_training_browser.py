"""One lesson played through the pages in a real browser (headless Chromium) on a real
training network: a learner signs in at the sandbox's desk and starts "Application and
issuance"; a check made too early shows what the nodes hold and the hint; the exporter applies
in the exporter's pages (a file uploaded, then submitted) and the learner's check passes; the
officer issues from the queue and the lesson is completed with its score; "what happened"
draws the co.issued message pushed to Japan and its receipt; the instructor sees the learner's
progress. Screenshots go to ``$ORIGINLINK_SCREENSHOTS`` (default: tmp_path)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from originlink.sandbox.network import INSTRUCTOR, SandboxNetwork, build
from originlink.services.node import training as progress_service
from originlink.testing.factories import fresh_application
from originlink.training.probe import NetworkView

CHROMIUM = os.environ.get("ORIGINLINK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)),
        reason=f"no Chromium binary at {CHROMIUM} (run scripts/ensure-browser.sh as root)",
    ),
]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[SandboxNetwork]:
    net = build(tmp_path / "sandbox", learners=1)
    net.start()
    try:
        yield net
    finally:
        net.stop()


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/app/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.timeout(300)
def test_a_learner_plays_a_lesson_through_the_pages(
    sandbox: SandboxNetwork, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("ORIGINLINK_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    manifest = sandbox.manifest
    desk = manifest.node("SG")
    users = {u.username: u for u in manifest.users if u.node == desk.participant}
    view = NetworkView(manifest)
    lesson = desk.url + "/app/training/p01-issuance"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # three people, three browsers: the learner, the exporter, the issuing officer
            learner, exporter, officer = (browser.new_page() for _ in range(3))
            _sign_in(learner, desk.url, "learner1", users["learner1"].password)
            learner.goto(lesson)
            assert learner.locator("h1").inner_text() == "Application and issuance"
            learner.get_by_role("button", name="Start the lesson").click()
            learner.get_by_role("button", name="Check this step").click()  # nothing done yet
            failed = learner.locator("#check-failed").inner_text()
            assert "Not yet: SG holds no application with the invoice number L01" in failed
            assert "The application must carry the invoice number L01" in failed
            learner.screenshot(path=str(shots / "lesson-hint.png"), full_page=True)

            # the exporter applies in its own pages: a file uploaded, then submitted
            _sign_in(exporter, desk.url, "exporter", users["exporter"].password)
            exporter.goto(desk.url + "/app/exporter/applications/new")
            content = fresh_application(view.now(), importing="JP", reference="L01")
            content["certificate"]["references"]["invoices"][0]["number"] = "L01"
            exporter.locator("#document").set_input_files(
                {"name": "l01.json", "mimeType": "application/json",
                 "buffer": json.dumps(content).encode()}
            )  # fmt: skip
            exporter.get_by_role("button", name="Upload and check").click()
            exporter.get_by_role("button", name="Submit to the issuing authority").click()
            assert "submitted" in exporter.locator("main").inner_text()
            learner.get_by_role("button", name="Check this step").click()
            assert "Score so far: 7 of 20." in learner.locator("#score").inner_text()

            # the officer issues it from the queue
            _sign_in(officer, desk.url, "officer", users["officer"].password)
            officer.goto(desk.url + "/app/officer/queue")  # oldest first: a sample, then L01
            officer.locator("table tbody a").last.click()
            officer.get_by_role("button", name="Issue as New").click()
            learner.get_by_role("button", name="Check this step").click()
            result = learner.locator("#result").inner_text()
            assert result == "Lesson completed. Score: 17 of 20."
            learner.screenshot(path=str(shots / "lesson-completed.png"), full_page=True)

            learner.wait_for_timeout(1500)  # the push to Japan and its answers
            learner.get_by_role("link", name="What happened").click()
            labels = learner.locator("figure.diagram svg text").all_text_contents()
            assert labels[:4] == ["SG-CUSTOMS", "APAC-HUB", "JP-CUSTOMS", "NZ-CUSTOMS"]
            assert "co.issued" in labels and "signed receipt" in labels
            learner.screenshot(path=str(shots / "lesson-what-happened.png"), full_page=True)

            teacher = browser.new_page()
            _sign_in(teacher, desk.url, INSTRUCTOR, users[INSTRUCTOR].password)
            teacher.goto(desk.url + "/app/training/instructor")
            table = teacher.locator("table").inner_text()
            assert "learner1" in table and "Application and issuance" in table
            assert "17 / 20" in table
        finally:
            browser.close()
    node = sandbox.nodes["SG"].open()
    try:
        stored = progress_service.progress(node, "learner1", "p01-issuance")
    finally:
        node.store.dispose()
    assert stored is not None and stored.status == "COMPLETED" and stored.score == 17
    assert (shots / "lesson-what-happened.png").stat().st_size > 10_000
