"""One lesson played through the pages in a real browser (headless Chromium) on a real
training network: a learner signs in at the sandbox's desk, starts "Transmission by push",
checks a step too early (the page shows what the nodes hold and the hint), does the step
(as its command-line alternative says, through the API with the exporter's token), checks the
steps until the lesson is completed with its score, and opens "what happened": the diagram
shows the co.issued message, its receipt and the business response. The instructor then sees
the learner's progress. Screenshots go to ``$ORIGINLINK_SCREENSHOTS`` (default: tmp_path)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from originlink.sandbox.actions import ACTIONS, Player
from originlink.sandbox.network import INSTRUCTOR, SandboxNetwork, build
from originlink.services.node import training as progress_service
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


@pytest.mark.timeout(300)
def test_a_learner_plays_a_lesson_through_the_pages(
    sandbox: SandboxNetwork, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    shots = Path(os.environ.get("ORIGINLINK_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    manifest = sandbox.manifest
    desk = manifest.node("SG")
    learner = next(u for u in manifest.users if u.username == "learner1")
    instructor = next(u for u in manifest.users if u.username == INSTRUCTOR)
    player = Player(manifest, NetworkView(manifest))
    lesson = desk.url + "/app/training/p02-push"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(desk.url + "/app/login")
            page.fill("#username", learner.username)
            page.fill("#password", learner.password)
            page.click("button.primary")
            page.goto(lesson)
            assert page.locator("h1").inner_text() == "Transmission by push"
            page.click("text=Start the lesson")
            page.click("text=Check this step")  # nothing issued yet
            failed = page.locator("#check-failed").inner_text()
            assert "Not yet: SG holds no application with the invoice number L02" in failed
            assert "The CO is pushed only once it is issued" in failed
            page.screenshot(path=str(shots / "lesson-hint.png"), full_page=True)

            ACTIONS["apply_and_issue"](player, {}, {"reference": "L02", "importing": "JP"})
            page.click("text=Check this step")
            assert "Score so far: 7 of 30." in page.locator("#score").inner_text()
            for _ in range(2):  # delivered, then received at JP: the nodes do it on their own
                page.wait_for_timeout(1500)
                page.click("text=Check this step")
            result = page.locator("#result").inner_text()
            assert result == "Lesson completed. Score: 27 of 30."
            page.screenshot(path=str(shots / "lesson-completed.png"), full_page=True)

            page.click("text=What happened")
            svg = page.locator("figure.diagram svg")
            labels = svg.locator("text").all_text_contents()
            assert labels[:4] == ["SG-CUSTOMS", "APAC-HUB", "JP-CUSTOMS", "NZ-CUSTOMS"]
            assert "co.issued" in labels and "signed receipt" in labels
            assert "business response: ACCEPTED" in labels
            page.screenshot(path=str(shots / "lesson-what-happened.png"), full_page=True)

            other = browser.new_page()
            other.goto(desk.url + "/app/login")
            other.fill("#username", instructor.username)
            other.fill("#password", instructor.password)
            other.click("button.primary")
            other.goto(desk.url + "/app/training/instructor")
            table = other.locator("table").inner_text()
            assert "learner1" in table and "Transmission by push" in table and "27 / 30" in table
        finally:
            browser.close()
    node = sandbox.nodes["SG"].open()
    try:
        stored = progress_service.progress(node, "learner1", "p02-push")
    finally:
        node.store.dispose()
    assert stored is not None and stored.status == "COMPLETED" and stored.score == 27
    assert (shots / "lesson-what-happened.png").stat().st_size > 10_000
