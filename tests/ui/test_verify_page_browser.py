"""The verification page in a real browser (headless Chromium), as a phone shows it: an issued
and a cancelled CO, the visible text checked, screenshots kept for a person to look at.

Chromium comes from Debian (``scripts/ensure-browser.sh``, run by ``make test``); the tests
skip, saying so, only when no Chromium binary exists. Screenshots are written to
``$ORIGINLINK_SCREENSHOTS`` (default: the test's temporary directory).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from tests.public_verify_support import (
    change_status,
    co_data,
    digest_of,
    make_app,
    make_node,
    store_issued,
)

CHROMIUM = os.environ.get("ORIGINLINK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)),
    reason=f"no Chromium binary at {CHROMIUM} (run scripts/ensure-browser.sh as root)",
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A node serving HTTP on a loopback port, with an issued and a cancelled CO."""
    node = make_node(f"sqlite:///{tmp_path / 'node.db'}")
    issued = co_data("RCEP-SG-2025-000201")
    store_issued(node, issued)
    cancelled = co_data("RCEP-SG-2025-000202")
    change_status(node, store_issued(node, cancelled), "CANCELLED")
    app = make_app(node, tmp_path)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uvi = uvicorn.Server(config)
    thread = threading.Thread(target=uvi.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uvi.started and time.monotonic() < deadline:
        time.sleep(0.05)
    paths = {
        "issued": f"/verify/SG/RCEP-SG-2025-000201?d={digest_of(issued)}",
        "cancelled": f"/verify/SG/RCEP-SG-2025-000202?d={digest_of(cancelled)}",
    }
    try:
        yield f"http://127.0.0.1:{port}", paths
    finally:
        uvi.should_exit = True
        thread.join(timeout=10)
        sock.close()


def screenshot_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ORIGINLINK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_issued_and_cancelled_cos_read_right_on_a_phone_screen(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, paths = server
    shots = screenshot_dir(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            page.goto(base + paths["issued"])
            assert page.locator("h1").inner_text() == "Authentic — valid"
            body = page.locator("body").inner_text()
            assert "valid until 2026-03-04" in body
            assert "Singapore Customs" in body
            assert "8482" in body and "Ball bearings, 10 cartons" in body
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390  # no sideways scrolling on a phone
            page.screenshot(path=str(shots / "verify-issued.png"), full_page=True)

            page.goto(base + paths["cancelled"])
            assert page.locator("h1").inner_text() == "Authentic, but CANCELLED"
            assert "CANCELLED — may not be used" in page.locator("body").inner_text()
            page.screenshot(path=str(shots / "verify-cancelled.png"), full_page=True)
        finally:
            browser.close()
    assert (shots / "verify-issued.png").stat().st_size > 10_000
    assert (shots / "verify-cancelled.png").stat().st_size > 10_000
