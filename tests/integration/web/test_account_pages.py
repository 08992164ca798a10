"""``/app/account`` (web/routes/account.py): every signed-in user changes its own password and
enrols or removes its own second factor; refusals say why."""

from __future__ import annotations

import re
from dataclasses import replace

import pyotp

from tests.web_support import PASSWORD, WebNode, sign_in

NEW = "my very own secret"


def flat(page: str) -> str:
    return re.sub(r"\s+", " ", page)


def test_every_role_reaches_its_account_page(web: WebNode) -> None:
    for name in ("exporter", "officer", "customs", "admin"):
        client = web.client()
        sign_in(client, name)
        page = client.get("/app/account")
        assert page.status_code == 200 and "Change your password" in page.text
        assert 'href="/app/account"' in client.get("/app/").text
    assert web.client().get("/app/account").headers["location"].startswith("/app/login")


def test_a_user_changes_its_own_password(web: WebNode) -> None:
    client = web.client()
    token = sign_in(client, "exporter")
    other = web.client()
    sign_in(other, "exporter")
    fields = {"csrf_token": token, "password": NEW, "password_again": NEW}
    wrong = client.post("/app/account/password", data={**fields, "current_password": "nope!"})
    assert wrong.status_code == 400 and "The current password is wrong." in wrong.text
    differ = client.post(
        "/app/account/password",
        data={**fields, "current_password": PASSWORD, "password_again": "something else"},
    )
    assert differ.status_code == 400 and "The two new passwords differ" in differ.text
    done = client.post("/app/account/password", data={**fields, "current_password": PASSWORD})
    assert done.status_code == 303
    assert "Your password is changed" in client.get(done.headers["location"]).text
    assert other.get("/app/").status_code == 303  # the other session ended, this one stays
    sign_in(web.client(), "exporter", NEW)


def test_a_user_enrols_and_removes_its_own_second_factor(web: WebNode) -> None:
    client = web.client()
    token = sign_in(client, "officer")
    shown = client.post("/app/account/second-factor", data={"csrf_token": token})
    assert shown.status_code == 200 and "otpauth://totp/" in shown.text and "<svg" in shown.text
    secret = re.search(r'name="totp_secret" value="([A-Z2-7]+)"', shown.text)
    assert secret is not None
    totp = pyotp.TOTP(secret.group(1))
    wrong = f"{(int(totp.at(web.t.clock.now())) + 1) % 1_000_000:06d}"
    refused = client.post(
        "/app/account/second-factor/confirm",
        data={"csrf_token": token, "totp_secret": secret.group(1), "code": wrong},
    )
    assert refused.status_code == 400 and "authenticator app is wrong" in refused.text
    done = client.post(
        "/app/account/second-factor/confirm",
        data={
            "csrf_token": token,
            "totp_secret": secret.group(1),
            "code": totp.at(web.t.clock.now()),
        },
    )
    assert done.status_code == 303
    page = flat(client.get(done.headers["location"]).text)
    assert "Your new second factor is enrolled" in page and "A second factor is enrolled." in page
    web.t.node.settings = replace(web.t.node.settings, require_second_factor=True)
    kept = client.post(
        "/app/account/second-factor/remove",
        data={"csrf_token": token, "current_password": PASSWORD},
    )
    assert kept.status_code == 400 and "Your role needs a second factor" in kept.text
    web.t.node.settings = replace(web.t.node.settings, require_second_factor=False)
    removed = client.post(
        "/app/account/second-factor/remove",
        data={"csrf_token": token, "current_password": PASSWORD},
    )
    assert removed.status_code == 303
    assert "No second factor is enrolled." in client.get("/app/account").text
