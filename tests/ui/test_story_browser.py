"""The whole story through the pages, in Chromium, on the demo network as ``make serve`` runs
it (two gateways as real processes on loopback, SG issuing and JP importing): an exporter
applies through the form, SG's officer issues, JP receives the CO, JP's customs officer sees
its signature checked and decides two claims on it (the second an over-claim, denied with its
reason), opens a verification request that SG's officer answers, and the answer is seen at
JP; JP's administrator tests the connection to SG and verifies the audit chain. The customs
and administrator pages pass axe-core with no serious violation and each role's other pages
answer 403. Screenshots: ``customs.png`` and ``admin.png`` (committed in docs/screenshots)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from originlink.demo.network import DemoNode
from originlink.demo.serve import DemoLogin, build
from tests.ui.app_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    needs_chromium,
    screenshot_dir,
)
from tests.ui.test_app_browser import Watch

pytestmark = [needs_chromium, pytest.mark.slow]


@pytest.fixture
def network(tmp_path: Path) -> Iterator[tuple[dict[str, str], dict[str, DemoLogin]]]:
    nodes, logins = build(tmp_path / "net")
    started: list[DemoNode] = []
    try:
        for node in nodes:
            node.start()
            started.append(node)
        bases = {n.participant: f"http://localhost:{n.port}" for n in nodes}
        yield bases, {login.username: login for login in logins}
    finally:
        for node in started:
            node.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def sign_in(page: Any, base: str, login: DemoLogin) -> None:
    page.goto(base + "/app/login")
    page.get_by_label("User name").fill(login.username)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def eventually(check: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"not within {timeout:.0f} s: {what}")


def apply(page: Any, base: str, login: DemoLogin) -> None:
    """The exporter's application through the form, submitted (350 kg of ball bearings)."""
    sign_in(page, base, login)
    page.get_by_role("link", name="New application").first.click()
    page.get_by_label("Agreement").select_option("RCEP")
    page.get_by_role("button", name="Apply the agreement's choices").click()
    page.get_by_label("Importing country").select_option("JP")
    page.get_by_label("Name").first.fill("Example Precision Pte Ltd")
    page.get_by_label("Identifier scheme").fill("SG:UEN")
    page.get_by_label("Identifier", exact=True).fill("201912345K")
    page.locator("#exporter_address").fill("1 Example Way")
    page.locator("#exporter_city").fill("Singapore")
    page.locator("#importer_name").fill("Example Trading KK")
    page.locator("#importer_city").fill("Osaka")
    page.locator("#importer_country").select_option("JP")
    page.get_by_label("Mode of transport").select_option("1")
    today = datetime.now(ZoneInfo("Asia/Singapore")).date()  # the issuing node's day
    page.get_by_label("Departure date").fill((today + timedelta(days=1)).isoformat())
    page.get_by_label("Port of loading (UN/LOCODE)").fill("SGSIN")
    page.get_by_label("Port of discharge (UN/LOCODE)").fill("JPOSA")
    page.get_by_label("Invoice number").fill("INV-88231")
    page.get_by_label("Invoice date").fill(today.isoformat())
    page.get_by_label("Description, item 1").fill("Ball bearings, 10 cartons")
    page.get_by_label("HS code, item 1").fill("848210")
    page.get_by_label("Origin criterion, item 1").select_option("RVC")
    page.get_by_label("RVC %, item 1").fill("45")
    page.get_by_label("Quantity, item 1").fill("350")
    page.get_by_label("Unit, item 1").select_option("KGM")
    page.get_by_label("Gross weight (kg), item 1").fill("350.5")
    page.get_by_label("FOB value, item 1").fill("18250.00")
    page.get_by_label("Currency, item 1").fill("USD")
    page.get_by_label("Packages, item 1").fill("10")
    page.get_by_label("Package type, item 1").fill("CT")
    page.get_by_role("button", name="Submit to the issuing authority").click()
    done = page.get_by_text("The application is submitted to the issuing authority.")
    try:
        done.wait_for(timeout=15_000)
    except Exception:
        marked = page.locator(".finding").all_inner_texts()
        raise AssertionError(marked) from None


def claim(page: Any, declaration: str, quantity: str) -> str:
    """From the certificate's page: a claim on item 1, decided; the decision page's text."""
    page.get_by_role("link", name="Enter a preference claim on this certificate").click()
    page.get_by_label("Declaration number").fill(declaration)
    page.get_by_label("Line 1: quantity").fill(quantity)
    page.get_by_label("Line 1: customs value").fill("6083.33")
    page.get_by_label("Line 1: currency").fill("USD")
    page.get_by_role("button", name="Decide the claim").click()
    page.get_by_role("heading", name=f"Claim {declaration}").wait_for()
    text: str = page.locator("main").inner_text()
    return text


def test_the_whole_story_through_the_pages(
    network: tuple[dict[str, str], dict[str, DemoLogin]], browser: Any, tmp_path: Path
) -> None:
    bases, logins = network
    sg, jp = bases["SG-CUSTOMS"], bases["JP-CUSTOMS"]
    shots = screenshot_dir(tmp_path)
    watches = []

    exporter = Watch(browser, sg)
    watches.append(exporter)
    apply(exporter.page, sg, logins["acme"])

    officer = Watch(browser, sg)
    watches.append(officer)
    page = officer.page
    sign_in(page, sg, logins["officer"])
    page.get_by_role("link", name="Queue").first.click()
    page.locator("table a").first.click()
    page.get_by_role("button", name="Issue as New").click()
    page.get_by_text("The certificate is issued and signed").wait_for()
    number = re.search(r"RCEP-SG-\d{4}-\d{6}", page.locator("h1").inner_text())
    assert number is not None
    co = number.group(0)

    customs = Watch(browser, jp)
    watches.append(customs)
    page = customs.page
    sign_in(page, jp, logins["customs"])
    page.get_by_role("link", name="Received certificates").first.click()

    def arrived() -> bool:
        page.reload()
        return page.get_by_role("link", name=f"SG {co}").count() == 1

    eventually(arrived, f"{co} received at JP")
    page.get_by_role("link", name=f"SG {co}").click()
    body = page.locator("main").inner_text()
    assert "Valid: signed by SG-CUSTOMS, listed in this node's trust lists." in body
    granted = claim(page, "JP-2025-0001", "300")
    assert "GRANTED" in granted and "all checks passed" in granted
    page.get_by_role("link", name=f"SG {co}").click()
    denied = claim(page, "JP-2025-0002", "100")
    assert "DENIED" in denied and "more than what remains of the item (over-claim)" in denied
    page.get_by_role("link", name=f"SG {co}").click()
    assert "JP-2025-0001" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "customs.png"), full_page=False)
    page.get_by_label("doubt about the originating status of the goods").check()
    page.get_by_label("Questions (one a line)").fill("Provide the cost breakdown of item 1.")
    page.get_by_label("Days to reply (empty: the agreement's period)").fill("30")
    page.get_by_role("button", name="Send the verification request").click()
    page.get_by_role("heading", name=f"Verification of {co}").wait_for()
    assert "No answer yet." in page.locator("main").inner_text()
    case_url = page.url

    page = officer.page
    page.get_by_role("link", name="Verification requests").first.click()

    def requested() -> bool:
        page.reload()
        return page.get_by_role("link", name=co).count() >= 1

    eventually(requested, "the verification request at SG")
    page.get_by_role("link", name=co).first.click()
    page.get_by_label("Result").first.select_option("CONFIRMED")
    page.get_by_label("What was found").first.fill("Cost breakdown checked: RVC 47 %.")
    page.get_by_label("Summary").fill("The goods are originating.")
    page.get_by_role("button", name="Send the answer").click()
    page.get_by_role("heading", name="Answer sent").wait_for()

    page = customs.page

    def answered() -> bool:
        page.goto(case_url)
        return "No answer yet." not in page.locator("main").inner_text()

    eventually(answered, "the answer at JP")
    assert "CONFIRMED" in page.locator("main").inner_text()

    admin = Watch(browser, jp)
    watches.append(admin)
    page = admin.page
    sign_in(page, jp, logins["jp-admin"])
    page.get_by_role("link", name="Partners").first.click()
    page.get_by_role("button", name="Test connection (SG-CUSTOMS)").click()
    tested = page.get_by_role("status").first.inner_text()
    assert "Connection to SG-CUSTOMS: answered" in tested
    assert "accepted this node's signature and has this node as a partner" in tested
    page.screenshot(path=str(shots / "admin.png"), full_page=False)
    page.get_by_role("link", name="Audit chain").first.click()
    page.get_by_role("button", name="Verify the whole chain").click()
    assert "The chain is intact" in page.locator("#chain-report").inner_text()
    for watch in watches:
        assert watch.errors == [], watch.errors  # no CSP violation, no script error
        assert watch.outside == [], watch.outside  # every asset from the node itself
    assert (shots / "customs.png").stat().st_size > 20_000
    assert (shots / "admin.png").stat().st_size > 20_000


CUSTOMS_PAGES = [
    "/app/customs/certificates",
    "/app/customs/claims",
    "/app/customs/claims/new",
    "/app/customs/reviews",
    "/app/customs/verifications",
]
ADMIN_PAGES = [
    "/app/admin/users",
    "/app/admin/partners",
    "/app/admin/messages",
    "/app/admin/audit",
    "/app/admin/health",
    "/app/admin/reconciliation/SG-CUSTOMS",
]


def test_customs_and_admin_pages_are_accessible_and_closed_to_other_roles(
    network: tuple[dict[str, str], dict[str, DemoLogin]], browser: Any
) -> None:
    bases, logins = network
    jp = bases["JP-CUSTOMS"]
    problems = {}
    for user, own, other in (
        ("customs", CUSTOMS_PAGES, ADMIN_PAGES),
        ("jp-admin", ADMIN_PAGES, CUSTOMS_PAGES),
    ):
        page = Watch(browser, jp, bypass_csp=True).page  # axe is injected as a script
        sign_in(page, jp, logins[user])
        for path in own:
            assert page.goto(jp + path).status == 200, path
            found = axe_violations(page)
            if found:
                problems[f"{user}:{path}"] = found
        for path in other:
            response = page.goto(jp + path)
            assert response.status == 403, path
            assert "Your role may not see this page." in page.locator("main").inner_text()
            assert page.locator("table").count() == 0
    assert problems == {}
