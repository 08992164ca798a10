"""The web application in a real browser (headless Chromium from Debian, Playwright): an
exporter applies through the form (HS suggestions, rows added and removed, live findings) and
an officer issues; the role guard, CSRF refusal, session expiry, lockout and the second factor
as a person meets them; the language switch; keyboard-only use; and axe-core on every main page
(no serious or critical violation). The pages run under their Content-Security-Policy, and no
request leaves the node.

Screenshots of each role's main page are written to ``$ORIGINLINK_SCREENSHOTS`` (default: the
test's temporary folder); ``docs/screenshots/`` holds the committed ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.services.node import credentials
from originlink.store.repos.applications import ApplicationFilter
from originlink.testing import TestCA
from tests.node_support import application_content
from tests.ui.app_support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    axe_violations,
    needs_chromium,
    screenshot_dir,
    serve,
)
from tests.web_support import PASSWORD, WebNode, web_node

pytestmark = [needs_chromium, pytest.mark.slow]


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
def site(tmp_path: Path, ca: TestCA) -> Iterator[tuple[WebNode, str]]:
    web = web_node(f"sqlite:///{tmp_path / 'node.db'}", ca, tmp_path)
    with serve(web.app) as base:
        yield web, base
    web.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watch:
    """A browser context that records console errors (CSP violations among them) and every
    request that does not go to the node."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, **options)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.context.on("request", self._request(base))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))

    def _request(self, base: str) -> Any:
        def record(request: Any) -> None:
            if not request.url.startswith((base, "data:")):
                self.outside.append(request.url)

        return record


def _sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/app/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _applications(web: WebNode) -> list[Any]:
    found, _total = apps.list_applications(
        web.t.node, web.t.exporter, ApplicationFilter(), limit=50, offset=0
    )
    return found


def test_an_exporter_applies_through_the_form_and_an_officer_issues(
    site: tuple[WebNode, str], browser: Any, tmp_path: Path
) -> None:
    web, base = site
    shots = screenshot_dir(tmp_path)
    exporter = Watch(browser, base)
    page = exporter.page
    _sign_in(page, base, "exporter")
    page.get_by_role("link", name="New application").first.click()
    page.get_by_label("Agreement").select_option("RCEP")  # htmx brings RCEP's criteria
    page.locator("#items-0-criterion option[value='RVC']").wait_for(state="attached")
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
    page.get_by_label("Departure date").fill("2025-03-05")
    page.get_by_label("Port of loading (UN/LOCODE)").fill("SGSIN")
    page.get_by_label("Port of discharge (UN/LOCODE)").fill("JPOSA")
    page.get_by_label("Invoice number").fill("INV-88231")
    page.get_by_label("Invoice date").fill("2025-03-03")
    page.get_by_label("Description, item 1").fill("Ball bearings, 10 cartons")
    hs = page.get_by_label("HS code, item 1")
    hs.press_sequentially("8482.1", delay=40)
    page.locator("#hs-list-0 option[value='848210']").wait_for(state="attached", timeout=10_000)
    assert "Ball bearings" in page.locator("#hs-list-0 option").first.inner_text()
    hs.fill("848210")
    page.get_by_label("Origin criterion, item 1").select_option("RVC")
    page.get_by_label("RVC %, item 1").fill("45")
    page.get_by_label("Quantity, item 1").fill("350")
    page.get_by_label("Unit, item 1").select_option("KGM")
    page.get_by_label("Gross weight (kg), item 1").fill("350.5")
    page.get_by_label("FOB value, item 1").fill("18250.00")
    page.get_by_label("Currency, item 1").fill("USD")
    page.get_by_label("Packages, item 1").fill("10")
    page.get_by_label("Package type, item 1").fill("CT")
    page.get_by_label("Package type, item 1").blur()
    live = page.locator("#live-findings")
    live.get_by_text("0 to correct before submitting").wait_for(timeout=10_000)
    page.get_by_role("button", name="Add an item").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "items-1-description"
    assert page.get_by_label("Description, item 1").input_value() == "Ball bearings, 10 cartons"
    page.get_by_role("button", name="Remove item 2").click()
    assert page.locator("#items-1-description").count() == 0
    page.screenshot(path=str(shots / "exporter.png"), full_page=True)
    page.get_by_role("button", name="Submit to the issuing authority").click()
    page.get_by_text("The application is submitted to the issuing authority.").wait_for()
    [application] = _applications(web)
    assert application.status == "SUBMITTED"
    item = application.content["certificate"]["goods_items"][0]
    assert item["hs_code"] == "848210" and item["origin_criterion"]["code"] == "RVC"
    assert item["quantity"] == {"value": "350", "unit_code": "KGM"}

    officer = Watch(browser, base)
    page = officer.page
    _sign_in(page, base, "officer")
    page.get_by_role("link", name="Queue").first.click()
    page.screenshot(path=str(shots / "officer.png"), full_page=False)
    page.locator("table a").first.click()
    page.get_by_role("button", name="Issue as New").click()
    page.get_by_text("The certificate is issued and signed").wait_for()
    assert re.search(r"RCEP-SG-\d{4}-\d{6}", page.locator("h1").inner_text())
    assert _applications(web)[0].status == "ISSUED"
    for watch in (exporter, officer):
        assert watch.errors == [], watch.errors  # no CSP violation, no script error
        assert watch.outside == [], watch.outside  # every asset from the node
    assert (shots / "exporter.png").stat().st_size > 20_000
    assert (shots / "officer.png").stat().st_size > 10_000


def test_a_page_of_another_role_shows_403_and_nothing_of_its_data(
    site: tuple[WebNode, str], browser: Any
) -> None:
    web, base = site
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    page = Watch(browser, base).page
    _sign_in(page, base, "customs")
    response = page.goto(f"{base}/app/officer/applications/{draft.id}")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"
    assert "Example Precision" not in page.content()


def test_a_forged_form_is_refused_and_saves_nothing(
    site: tuple[WebNode, str], browser: Any
) -> None:
    web, base = site
    page = Watch(browser, base).page
    _sign_in(page, base, "exporter")
    page.goto(base + "/app/exporter/applications/new")
    page.locator("#exporter_name").fill("Forged Ltd")
    page.evaluate(
        "document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'forged')"
    )
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Save the draft").click()
    assert posted.value.status == 403
    assert page.locator("h1").inner_text() == "The form could not be accepted"
    assert _applications(web) == []


def test_an_idle_session_expires_and_signing_in_again_returns_to_the_page(
    site: tuple[WebNode, str], browser: Any
) -> None:
    web, base = site
    page = Watch(browser, base).page
    _sign_in(page, base, "exporter")
    web.t.clock.advance(web.t.node.settings.session_idle + timedelta(minutes=1))
    page.get_by_role("link", name="Certificates").first.click()
    assert "/app/login?next=/app/exporter/certificates" in page.url
    page.get_by_label("User name").fill("exporter")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/app/exporter/certificates")


def test_repeated_failures_lock_the_user(site: tuple[WebNode, str], browser: Any) -> None:
    web, base = site
    page = Watch(browser, base).page
    for _ in range(web.t.node.settings.lockout_failures):
        _sign_in(page, base, "exporter", "not the password")
        assert page.get_by_role("alert").inner_text() == "User name or password is wrong."
    _sign_in(page, base, "exporter")
    assert "This user is locked until" in page.get_by_role("alert").inner_text()
    assert "/app/login" in page.url


def test_the_second_factor_is_asked_and_checked(site: tuple[WebNode, str], browser: Any) -> None:
    web, base = site
    enrolment = credentials.enrol_totp(web.t.node, SYSTEM_ACTOR, username="officer")
    page = Watch(browser, base).page
    _sign_in(page, base, "officer")
    assert "/app/login/code" in page.url
    page.get_by_label("Code").fill("12345x")
    page.get_by_role("button", name="Continue").click()
    assert "/app/login/code" in page.url  # the pattern keeps a malformed code in the browser
    page.get_by_label("Code").fill(pyotp.TOTP(enrolment.secret).at(web.t.clock.now()))
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Welcome, officer"


def test_the_language_follows_the_browser_and_the_switch(
    site: tuple[WebNode, str], browser: Any
) -> None:
    _web, base = site
    page = Watch(browser, base, locale="es-ES").page
    page.goto(base + "/app/login")
    assert page.locator("h1").inner_text() == "Iniciar sesión"
    page.get_by_label("Idioma").select_option("fr")
    page.get_by_role("button", name="Cambiar").click()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Se connecter"


def test_everything_can_be_done_with_the_keyboard_alone(
    site: tuple[WebNode, str], browser: Any
) -> None:
    web, base = site
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    page = Watch(browser, base).page
    page.goto(base + "/app/login")
    assert page.evaluate("document.activeElement.id") == "username"  # focused on arrival
    page.keyboard.type("officer")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/app/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _tab_to(page, "", text="Queue")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/app/officer/queue")
    _tab_to(page, "", text=None, href=f"/app/officer/applications/{draft.id}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/app/officer/applications/{draft.id}")
    _tab_to(page, "", text="Issue as New")
    page.keyboard.press("Enter")
    page.get_by_text("The certificate is issued and signed").wait_for()


def _tab_to(page: Any, element_id: str, text: str | None = None, href: str | None = None) -> None:
    """Press Tab until the focused element is the one wanted (at most 200 presses)."""
    for _ in range(200):
        focused = page.evaluate(
            "({id: document.activeElement.id, text: document.activeElement.textContent.trim(),"
            " href: document.activeElement.getAttribute('href')})"
        )
        if (
            (element_id and focused["id"] == element_id)
            or (text and focused["text"] == text)
            or (href and focused["href"] == href)
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {element_id or text or href}")


def test_a_retroactive_application_is_issued_as_such(
    site: tuple[WebNode, str], browser: Any
) -> None:
    web, base = site
    content = application_content()
    content["certificate"]["transport"]["departure_datetime"] = "2025-03-01"  # shipped already
    draft = apps.create_application(web.t.node, web.t.exporter, content, kind="retroactive")
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    page = Watch(browser, base).page
    _sign_in(page, base, "officer")
    page.goto(f"{base}/app/officer/applications/{draft.id}")
    page.get_by_role("button", name="Issue as Retroactive (issued after shipment)").click()
    page.get_by_text("The certificate is issued and signed").wait_for()
    record = apps.get_application(web.t.node, web.t.officer, draft.id)
    assert record.status == "ISSUED"


def test_every_main_page_has_no_serious_accessibility_violation(
    site: tuple[WebNode, str], browser: Any
) -> None:
    web, base = site
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    cert = issuance.issue_application(web.t.node, web.t.officer, draft.id).certificate
    pending = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, pending.id)
    flawed_content = application_content()
    flawed_content["certificate"]["goods_items"][0]["hs_code"] = "9999x"
    flawed = apps.create_application(web.t.node, web.t.exporter, flawed_content)
    assert flawed.findings
    pages = {
        None: ["/app/login", "/app/activate"],
        "exporter": [
            "/app/",
            "/app/exporter/applications",
            "/app/exporter/applications/new",
            f"/app/exporter/applications/{pending.id}",
            f"/app/exporter/applications/{flawed.id}",  # a draft with findings at its fields
            "/app/exporter/certificates",
            f"/app/exporter/certificates/{cert.id}",
            "/app/officer/queue",  # the 403 page
            "/app/account",
        ],
        "officer": [
            "/app/",
            "/app/officer/queue",
            f"/app/officer/applications/{pending.id}",
            "/app/officer/certificates",
            f"/app/officer/certificates/{cert.id}",
            "/app/officer/verifications",
        ],
    }
    problems = {}
    for user, paths in pages.items():
        page = Watch(browser, base, bypass_csp=True).page  # axe is injected as a script
        if user:
            _sign_in(page, base, user)
        for path in paths:
            page.goto(base + path)
            found = axe_violations(page)
            if found:
                problems[f"{user}:{path}"] = found
    assert problems == {}
