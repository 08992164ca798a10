"""The public pages over HTTP: ``/`` leads to ``/verify`` (or ``/app/`` when signed in); the
``/verify`` form by number (this node's own page, or the issuing authority's contact details
from its trust list) and by file (each finding shown); errors as pages that say what to fix;
the QR page shows the authority's published contact."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from originlink.api.ratelimit import RateLimit, TokenBucketLimiter
from originlink.testing import TestCA
from originlink.testing.network import Network
from originlink.web.public_site import create_site_router
from tests.dbs import sqlite_url
from tests.exchange_support import issue, two_gateways
from tests.public_verify_support import make_app
from tests.services.verification.contact_support import publish_contact
from tests.web_support import sign_in, web_node


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    network = two_gateways(tmp_path)
    publish_contact(network, network["JP-CUSTOMS"], "SG-CUSTOMS", public="https://v.example.sg")
    publish_contact(network, network["SG-CUSTOMS"], "SG-CUSTOMS")
    yield network
    network.close()


def client(net: Network, who: str, tmp_path: Path) -> TestClient:
    app = make_app(net[who].node, tmp_path / who)
    return TestClient(app, follow_redirects=False)


def test_the_root_leads_anonymous_visitors_to_verify_and_users_to_the_app(
    net: Network, tmp_path: Path
) -> None:
    assert client(net, "JP-CUSTOMS", tmp_path).get("/").headers["location"] == "/verify"
    app = FastAPI()
    limiter = TokenBucketLimiter(RateLimit(rate_per_minute=60, burst=10))
    app.include_router(create_site_router(net["JP-CUSTOMS"].node, limiter, signed_in=bool))
    answer = TestClient(app, follow_redirects=False).get("/")
    assert answer.status_code == 303 and answer.headers["location"] == "/app/"


def test_the_root_knows_a_signed_in_user_by_the_session_cookie(tmp_path: Path) -> None:
    web = web_node(sqlite_url(tmp_path), TestCA(), tmp_path)
    try:
        browser = web.client()
        assert browser.get("/").headers["location"] == "/verify"
        sign_in(browser, "customs")
        assert browser.get("/").headers["location"] == "/app/"
        stranger = web.client()
        stranger.cookies.set("originlink_session", "forged")
        assert stranger.get("/").headers["location"] == "/verify"
    finally:
        web.close()


def test_the_form_asks_for_country_number_digest_or_a_file(net: Network, tmp_path: Path) -> None:
    page = client(net, "JP-CUSTOMS", tmp_path).get("/verify")
    assert page.status_code == 200
    for field in ('name="country"', 'name="number"', 'name="d"', 'name="file"'):
        assert field in page.text
    assert '<label for="country">' in page.text and 'type="file"' in page.text
    assert "form-action 'self'" in page.headers["content-security-policy"]


def test_a_number_issued_here_goes_to_the_node_s_own_verification_page(
    net: Network, tmp_path: Path
) -> None:
    http = client(net, "SG-CUSTOMS", tmp_path)
    co = issue(net["SG-CUSTOMS"]).certificate
    answer = http.get("/verify", params={"country": "sg", "number": co.number, "d": co.digest})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/verify/SG/{co.number}?d={co.digest}"
    page = http.get(answer.headers["location"])
    assert "Authentic — valid" in page.text
    assert "verify@customs.example.sg" in page.text and "Contact the issuing authority" in page.text


def test_a_number_issued_elsewhere_shows_the_authority_s_contact(
    net: Network, tmp_path: Path
) -> None:
    page = client(net, "JP-CUSTOMS", tmp_path).get(
        "/verify", params={"country": "SG", "number": "RCEP-SG-2025-000001", "d": ""}
    )
    assert page.status_code == 200
    assert "Ask the issuing authority" in page.text
    assert 'href="mailto:verify@customs.example.sg"' in page.text
    assert "55 Newton Road" in page.text
    assert 'href="https://v.example.sg/verify/SG/RCEP-SG-2025-000001"' in page.text


def test_a_malformed_reference_comes_back_with_the_field_marked(
    net: Network, tmp_path: Path
) -> None:
    page = client(net, "JP-CUSTOMS", tmp_path).get(
        "/verify", params={"country": "Singapore", "number": "N-1"}
    )
    assert page.status_code == 400
    assert "is not an ISO 3166-1 alpha-2 country code" in page.text
    assert 'name="country" value="Singapore"' in page.text
    assert 'aria-invalid="true"' in page.text.split('name="country"')[1].split(">")[0]


def test_an_uploaded_co_is_checked_against_the_trust_lists(net: Network, tmp_path: Path) -> None:
    co = issue(net["SG-CUSTOMS"])
    data = json.dumps(co.document.to_json_dict()).encode()
    http = client(net, "JP-CUSTOMS", tmp_path)
    page = http.post("/verify", files={"file": ("co.json", data, "application/json")})
    assert page.status_code == 200
    assert "Signature valid, no severe finding" in page.text
    assert "Signed by SG-CUSTOMS." in page.text and "verify@customs.example.sg" in page.text
    changed = co.document.to_json_dict()
    changed["certificate"]["goods_items"][0]["description"] = "Other goods"
    page = http.post("/verify", files={"file": ("co.json", json.dumps(changed).encode())})
    assert "Do not rely on this file" in page.text
    assert 'class="aspect-failed"><td>integrity</td>' in page.text


def test_an_upload_that_is_no_co_says_what_to_fix(net: Network, tmp_path: Path) -> None:
    http = client(net, "JP-CUSTOMS", tmp_path)
    page = http.post("/verify", files={"file": ("notes.txt", b"hello")})
    assert page.status_code == 400
    assert "notes.txt: the document is neither XML nor JSON" in page.text
    assert 'aria-invalid="true"' in page.text.split('name="file"')[1].split(">")[0]
    empty = http.post("/verify", data={"other": "x"})
    assert empty.status_code == 400 and "choose the CO file to check" in empty.text


def test_the_form_is_rate_limited_like_the_qr_page(net: Network, tmp_path: Path) -> None:
    app = make_app(net["JP-CUSTOMS"].node, tmp_path, RateLimit(rate_per_minute=1, burst=1))
    http = TestClient(app)
    params = {"country": "SG", "number": "N-1"}
    assert http.get("/verify", params=params).status_code == 200
    refused = http.get("/verify", params=params)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Too many requests" in refused.text


def test_the_public_pages_speak_the_visitor_s_language(net: Network, tmp_path: Path) -> None:
    http = client(net, "JP-CUSTOMS", tmp_path)
    french = http.get("/verify", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in french.text and "Vérifier un certificat d'origine" in french.text
    spanish = http.get(
        "/verify",
        params={"country": "SG", "number": "RCEP-SG-2025-000001"},
        headers={"Accept-Language": "es"},
    )
    assert (
        "Pregunte a la autoridad emisora" in spanish.text and "Correo electrónico" in spanish.text
    )
    assert "Accept-Language" in spanish.headers["vary"]
