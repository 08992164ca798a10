"""The sign-in pages (web/routes/sign_in.py) and what every page gets from web/security.py:
the login form's fields, Secure/HttpOnly/SameSite cookies, CSRF refusals, lockout, session
expiry, the second factor, sign-out, security headers, assets served by the node."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pyotp

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import credentials
from tests.web_support import PASSWORD, WebNode, csrf_of, sign_in


def test_a_visitor_is_sent_to_the_login_form_with_its_two_fields(web: WebNode) -> None:
    client = web.client()
    answer = client.get("/app/?view=DRAFT")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app/login?next=/app/%3Fview%3DDRAFT"
    page = client.get("/app/login").text
    assert re.search(r'<label for="username">User name</label>', page)
    assert re.search(r'<input id="username" name="username"', page)
    assert re.search(r'<input id="password" name="password" type="password"', page)


def test_signing_in_sets_a_secure_httponly_samesite_cookie_and_goes_on(web: WebNode) -> None:
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    answer = client.post(
        "/app/login",
        data={
            "username": "exporter",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/app/exporter/certificates",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/app/exporter/certificates"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("originlink_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/", "Max-Age=43200"):
        assert flag in cookie
    assert "Welcome, exporter" in client.get("/app/").text


def test_next_never_leads_off_the_site(web: WebNode) -> None:
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    answer = client.post(
        "/app/login",
        data={
            "username": "exporter",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/app/",
        },
    )
    assert answer.headers["location"] == "/app/"


def test_a_wrong_password_answers_401_and_says_so_without_naming_what(web: WebNode) -> None:
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    for username in ("exporter", "nobody"):
        answer = client.post(
            "/app/login", data={"username": username, "password": "wrong!!", "csrf_token": token}
        )
        assert answer.status_code == 401
        assert "User name or password is wrong." in answer.text
        assert "originlink_session" not in answer.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(web: WebNode) -> None:
    client = web.client()
    client.get("/app/login")
    refused = client.post("/app/login", data={"username": "exporter", "password": PASSWORD})
    assert refused.status_code == 403
    assert "The form could not be accepted" in refused.text
    assert "originlink_session" not in refused.headers.get("set-cookie", "")
    token = sign_in(client, "exporter")
    for forged in ("", "forged-token"):
        answer = client.post("/app/logout", data={"csrf_token": forged})
        assert answer.status_code == 403
        assert client.get("/app/").status_code == 200  # still signed in
    assert client.post("/app/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/app/").status_code == 303  # signed out


def test_a_form_from_another_session_is_refused(web: WebNode) -> None:
    mine, theirs = web.client(), web.client()
    sign_in(mine, "exporter")
    their_token = sign_in(theirs, "officer")
    assert mine.post("/app/logout", data={"csrf_token": their_token}).status_code == 403


def test_repeated_failures_lock_the_user_out_of_the_pages(web: WebNode) -> None:
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    for _ in range(web.t.node.settings.lockout_failures):
        answer = client.post(
            "/app/login", data={"username": "exporter", "password": "wrong!!", "csrf_token": token}
        )
        assert answer.status_code == 401
    locked = client.post(
        "/app/login", data={"username": "exporter", "password": PASSWORD, "csrf_token": token}
    )
    assert locked.status_code == 401
    assert "This user is locked until" in locked.text
    web.t.clock.advance(web.t.node.settings.lockout_duration + timedelta(seconds=1))
    assert sign_in(client, "exporter")


def test_an_idle_session_expires_and_the_next_page_asks_to_sign_in(web: WebNode) -> None:
    client = web.client()
    sign_in(client, "exporter")
    web.t.clock.advance(web.t.node.settings.session_idle + timedelta(seconds=1))
    answer = client.get("/app/")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/app/login")
    htmx = client.get("/app/", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].startswith("/app/login")


def test_the_second_factor_is_asked_after_the_password(web: WebNode) -> None:
    enrolment = credentials.enrol_totp(web.t.node, SYSTEM_ACTOR, username="officer")
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    answer = client.post(
        "/app/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.headers["location"] == "/app/login/code?next=/app/"
    assert client.get("/app/").status_code == 303  # nothing opens before the code
    page = client.get("/app/login/code")
    assert '<input id="code" name="code"' in page.text
    wrong = client.post(
        "/app/login/code", data={"code": "000000", "csrf_token": csrf_of(page.text)}
    )
    if pyotp.TOTP(enrolment.secret).at(web.t.clock.now()) != "000000":
        assert wrong.status_code == 401 and "The code is wrong" in wrong.text
    code = pyotp.TOTP(enrolment.secret).at(web.t.clock.now())
    done = client.post("/app/login/code", data={"code": code, "csrf_token": csrf_of(page.text)})
    assert done.status_code == 303 and done.headers["location"] == "/app/"
    assert "Welcome, officer" in client.get("/app/").text


def test_a_node_requiring_a_second_factor_refuses_an_officer_without_one(web: WebNode) -> None:
    web.t.node.settings = replace(web.t.node.settings, require_second_factor=True)
    client = web.client()
    token = csrf_of(client.get("/app/login").text)
    answer = client.post(
        "/app/login", data={"username": "officer", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 401 and "Your role needs a second factor" in answer.text
    assert sign_in(client, "exporter")  # exporters are not concerned


def test_pages_carry_security_headers_and_load_only_the_nodes_own_assets(web: WebNode) -> None:
    client = web.client()
    sign_in(client, "exporter")
    page = client.get("/app/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["cache-control"] == "no-store"
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith(("/", "#", "data:")) for s in sources), sources
    htmx = client.get("/app/static/htmx.min.js")
    assert htmx.status_code == 200 and htmx.headers["content-type"].startswith("text/javascript")
    assert b"htmx" in htmx.content[:2000]
    assert client.get("/app/static/app.css").status_code == 200
    assert client.get("/app/static/..%2Fpages.py").status_code == 404
