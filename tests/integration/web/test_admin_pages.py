"""The administrator's pages at JP-CUSTOMS: users (add with a first password, refused
password, disable, reset password, new second factor shown as a QR code), partners (add from a
trust-list file, test connection saying what answered or that nothing did), messages (a dead
letter sent again), reconciliation per partner, the audit chain verified, the node's health."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from originlink.testing.network import Network
from tests.exchange_support import issue, two_gateways
from tests.network_web_support import GatewayWeb, gateway_web
from tests.web_support import sign_in


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    network = two_gateways(tmp_path)
    yield network
    network.close()


@pytest.fixture
def jp(net: Network, tmp_path: Path) -> GatewayWeb:
    return gateway_web(net, "JP-CUSTOMS", tmp_path / "jp-home")


def admin(jp: GatewayWeb) -> tuple[TestClient, str]:
    client = jp.client()
    return client, sign_in(client, "admin")


def flat(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(page))


def test_users_are_added_disabled_and_reset(jp: GatewayWeb) -> None:
    client, token = admin(jp)
    new = {"csrf_token": token, "username": "hanako", "role": "customs_officer"}
    short = client.post("/app/admin/users", data={**new, "password": "short"})
    assert short.status_code == 400 and "a password needs" in short.text
    assert client.get("/app/admin/users").text.count(">hanako<") == 0  # nothing half-saved
    added = client.post("/app/admin/users", data={**new, "password": "a long enough secret"})
    assert added.status_code == 303
    page = client.get(added.headers["location"])
    assert "User hanako added." in page.text and ">hanako<" in page.text
    hanako = jp.client()
    sign_in(hanako, "hanako", "a long enough secret")
    reset = client.post(
        "/app/admin/users/hanako/password",
        data={"csrf_token": token, "password": "another long secret"},
    )
    assert reset.status_code == 303
    assert hanako.get("/app/").status_code == 303  # the old session ended
    sign_in(jp.client(), "hanako", "another long secret")
    totp = client.post(
        "/app/admin/users/hanako/second-factor", data={"csrf_token": token, "action": "renew"}
    )
    assert totp.status_code == 200 and "otpauth://totp/" in totp.text and "<svg" in totp.text
    disabled = client.post("/app/admin/users/hanako/disable", data={"csrf_token": token})
    assert "User hanako disabled" in client.get(disabled.headers["location"]).text
    form = jp.client().get("/app/login")
    assert form.status_code == 200


def test_a_partner_is_added_from_its_trust_list_file(net: Network, jp: GatewayWeb) -> None:
    client, token = admin(jp)
    kr = net.ca.issue("KR-CUSTOMS", "KR", "customs")
    signed = net.ca.signed_trust_list(
        net.ca.trust_list(kr, endpoints={"g2g": "https://kr.example/g2g"}, name="Korea Customs")
    )
    added = client.post(
        "/app/admin/partners",
        data={"csrf_token": token, "model": "push", "endpoint": "", "agreements": "RCEP"},
        files={"trust_list": ("kr.json", signed, "application/json")},
    )
    assert added.status_code == 303, added.text
    page = flat(client.get(added.headers["location"]).text)
    # the trust list's g2g=https://…/g2g form is kept as the gateway's base URL
    assert "Partner KR-CUSTOMS saved." in page and "https://kr.example<" in page
    forged = client.post(
        "/app/admin/partners",
        data={"csrf_token": token, "model": "push"},
        files={"trust_list": ("x.json", b'{"trust_list": {}}', "application/json")},
    )
    assert forged.status_code == 400 and "Please correct this" in forged.text
    missing = client.post("/app/admin/partners", data={"csrf_token": token, "model": "push"})
    assert missing.status_code == 400 and "choose the partner" in missing.text


def test_test_connection_says_what_answered(net: Network, jp: GatewayWeb) -> None:
    client, token = admin(jp)
    answered = flat(
        client.post("/app/admin/partners/SG-CUSTOMS/test", data={"csrf_token": token}).text
    )
    assert "Connection to SG-CUSTOMS: answered" in answered
    assert "SG-CUSTOMS (Singapore Customs" in answered
    assert "accepted this node's signature and has this node as a partner" in answered
    net.wires.set_down(net["SG-CUSTOMS"].base_url)
    down = flat(client.post("/app/admin/partners/SG-CUSTOMS/test", data={"csrf_token": token}).text)
    assert "Connection to SG-CUSTOMS: failed" in down and "cannot be reached" in down


def test_a_dead_letter_is_sent_again_and_reconciliation_counts_it(
    net: Network, jp: GatewayWeb
) -> None:
    client, token = admin(jp)
    issue(net["SG-CUSTOMS"])
    net.drain()  # JP answers with a business response, which it sends back
    with jp.gateway.node.store.read() as tx:
        sent, _ = tx.outbox.search(recipient="SG-CUSTOMS")
    assert sent
    message_id = sent[0].message_id
    with jp.gateway.node.store.transaction() as tx:
        tx.outbox.update(message_id, status="DEAD", last_error="gave up after 12 attempts")
    dead = flat(client.get("/app/admin/messages?status=DEAD").text)
    assert "gave up after 12 attempts" in dead and "Send again" in dead
    report = flat(client.get("/app/admin/reconciliation/SG-CUSTOMS").text)
    assert "Dead letters" in report and message_id in report
    again = client.post(f"/app/admin/messages/{message_id}/resend", data={"csrf_token": token})
    assert again.status_code == 303
    assert f"Message {message_id} queued again." in client.get(again.headers["location"]).text
    twice = client.post(f"/app/admin/messages/{message_id}/resend", data={"csrf_token": token})
    assert twice.status_code == 409 and "only DEAD or REJECTED" in twice.text


def test_the_audit_chain_is_verified_and_the_health_shown(jp: GatewayWeb) -> None:
    client, token = admin(jp)
    page = client.get("/app/admin/audit")
    assert page.status_code == 200 and "user.password" in page.text
    verified = flat(client.post("/app/admin/audit/verify", data={"csrf_token": token}).text)
    assert re.search(r"The chain is intact: \d+ records recomputed.", verified)
    health = flat(client.get("/app/admin/health").text)
    assert "JP-CUSTOMS · Japan Customs (JP)" in health
    assert "The node works" in health and '>DEAD</a></th><td class="num">0<' in health
