"""``/app/activate`` (web/routes/activate.py): a user given a one-time activation code sets a
password of their own (and a second factor when the node requires one of the role); a wrong,
used or expired code is refused with a page that says why, and attempts count toward the
lockout."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pyotp
from fastapi.testclient import TestClient

from originlink.domain.authz import HOST_ACTOR
from originlink.services.node import activation
from tests.web_support import WebNode, csrf_of, sign_in

NEW = "my very own secret"


def post(client: TestClient, **fields: str) -> tuple[int, str]:
    form = client.get("/app/activate")
    assert form.status_code == 200
    data = {"csrf_token": csrf_of(form.text), "password": NEW, "password_again": NEW, **fields}
    answer = client.post("/app/activate", data=data)
    return answer.status_code, re.sub(r"\s+", " ", answer.text)


def test_the_login_page_leads_to_activation_and_a_code_becomes_a_password(web: WebNode) -> None:
    client = web.client()
    assert 'href="/app/activate"' in client.get("/app/login").text
    page = client.get("/app/activate").text
    for field in ("username", "code", "password", "password_again"):
        assert f'name="{field}"' in page
    made = activation.reset_sign_in(web.t.node, HOST_ACTOR, username="exporter")
    status, text = post(client, username="exporter", code=made.code)
    assert status == 200 and "Your account is active" in text
    sign_in(web.client(), "exporter", NEW)
    status, text = post(client, username="exporter", code=made.code)
    assert status == 401 and "This activation code was already used" in text


def test_a_wrong_or_expired_code_says_why(web: WebNode) -> None:
    client = web.client()
    made = activation.reset_sign_in(web.t.node, HOST_ACTOR, username="exporter")
    status, text = post(client, username="exporter", code="WRONG-CODE")
    assert status == 401 and "The user name or the activation code is wrong." in text
    status, text = post(client, username="exporter", code=made.code, password_again=NEW + "!")
    assert status == 400 and "The two new passwords differ" in text
    status, text = post(
        client, username="exporter", code=made.code, password="short", password_again="short"
    )
    assert status == 400 and "a password needs 10 to 1024 characters" in text
    web.t.clock.advance(web.t.node.settings.activation_valid + timedelta(seconds=1))
    status, text = post(client, username="exporter", code=made.code)
    assert status == 401 and "This activation code expired on" in text
    fr = client.get("/app/activate", headers={"Accept-Language": "fr"})
    assert "Activer votre compte" in fr.text


def test_attempts_count_toward_the_lockout(web: WebNode) -> None:
    client = web.client()
    made = activation.reset_sign_in(web.t.node, HOST_ACTOR, username="exporter")
    for _ in range(web.t.node.settings.lockout_failures):
        status, _text = post(client, username="exporter", code="AAAAA-AAAAA-AAAAA-AAAAA")
        assert status == 401
    status, text = post(client, username="exporter", code=made.code)
    assert status == 401 and "This user is locked until" in text


def test_a_role_that_needs_a_second_factor_enrols_it_on_the_page(web: WebNode) -> None:
    web.t.node.settings = replace(web.t.node.settings, require_second_factor=True)
    client = web.client()
    made = activation.reset_sign_in(web.t.node, HOST_ACTOR, username="officer")
    status, text = post(client, username="officer", code=made.code)
    assert status == 200 and "otpauth://totp/" in text and "<svg" in text
    secret = re.search(r'name="totp_secret" value="([A-Z2-7]+)"', text)
    assert secret is not None
    totp = pyotp.TOTP(secret.group(1))
    wrong = f"{(int(totp.at(web.t.clock.now())) + 1) % 1_000_000:06d}"
    status, text = post(
        client, username="officer", code=made.code, totp_secret=secret.group(1), totp_code=wrong
    )
    assert status == 401 and "The code of your authenticator app is wrong" in text
    assert secret.group(1) in text  # the same QR code, no new scan
    status, text = post(
        client,
        username="officer",
        code=made.code,
        totp_secret=secret.group(1),
        totp_code=totp.at(web.t.clock.now()),
    )
    assert status == 200 and "Your account is active" in text
    officer = web.client()
    form = officer.get("/app/login")
    answer = officer.post(
        "/app/login",
        data={"username": "officer", "password": NEW, "csrf_token": csrf_of(form.text)},
    )
    assert answer.headers["location"] == "/app/login/code?next=/app/"
