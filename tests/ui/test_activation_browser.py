"""In Chromium: an administrator adds an administrator on the users page and reads the one-time
activation code (no password field anywhere); the new user activates at ``/app/activate``,
signs in, and changes its own password at ``/app/account``; the code then is refused as used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from originlink.testing import TestCA
from tests.ui.app_support import CHROMIUM, CHROMIUM_ARGS, needs_chromium, serve
from tests.web_support import PASSWORD, WebNode, web_node

pytestmark = [needs_chromium, pytest.mark.slow]

MINE = "chosen by hanako"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[WebNode, str]]:
    web = web_node(f"sqlite:///{tmp_path / 'node.db'}", TestCA(), tmp_path)
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


def _sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/app/login")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _activate(page: Any, base: str, code: str) -> None:
    page.goto(base + "/app/login")
    page.get_by_role("link", name="Activate your account").click()
    page.get_by_label("User name").fill("hanako")
    page.get_by_label("Activation code").fill(code)
    page.get_by_label("New password", exact=True).fill(MINE)
    page.get_by_label("New password again").fill(MINE)
    page.get_by_role("button", name="Activate").click()


def test_a_new_user_activates_with_the_code_and_changes_its_own_password(
    site: tuple[WebNode, str], browser: Any
) -> None:
    _web, base = site
    admin = browser.new_context().new_page()
    _sign_in(admin, base, "admin", PASSWORD)
    admin.goto(base + "/app/admin/users")
    assert admin.locator('input[type="password"]').count() == 0
    admin.get_by_label("User name", exact=True).fill("hanako")
    admin.get_by_label("Role").select_option("admin")
    admin.get_by_role("button", name="Add the user").click()
    code = admin.get_by_role("textbox", name="Activation code").input_value()
    assert len(code) == 23

    user = browser.new_context().new_page()
    _activate(user, base, code)
    assert "Your account is active" in user.get_by_role("status").inner_text()
    _sign_in(user, base, "hanako", MINE)
    user.get_by_role("link", name="hanako · Administrator").click()
    user.get_by_label("Current password").fill(MINE)
    user.get_by_label("New password", exact=True).fill("and now another one")
    user.get_by_label("New password again").fill("and now another one")
    user.get_by_role("button", name="Change your password").click()
    assert "Your password is changed" in user.get_by_role("status").inner_text()

    again = browser.new_context().new_page()
    _activate(again, base, code)
    assert "already used" in again.get_by_role("alert").inner_text()
