"""The administrator's pages at JP-CUSTOMS: users (add an administrator with a one-time
activation code, never a password; other roles refused saying where they are added; disable;
reset password and second factor with a new code), partners (add from a
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
from tests.web_support import csrf_of, sign_in


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


def activation_code(page: str) -> str:
    match = re.search(r'id="activation-code" value="([A-Z0-9-]+)"', page)
    assert match, "the page shows no activation code"
    return match.group(1)


def activate(client: TestClient, username: str, code: str, password: str) -> str:
    form = client.get("/app/activate")
    answer = client.post(
        "/app/activate",
        data={
            "csrf_token": csrf_of(form.text),
            "username": username,
            "code": code,
            "password": password,
            "password_again": password,
        },
    )
    return answer.text


def test_users_are_added_disabled_and_reset(jp: GatewayWeb) -> None:
    client, token = admin(jp)
    form = client.get("/app/admin/users").text
    # the roles offered are those the users service lets an administrator create
    roles = form[form.index('id="new-role"') :].split("</select>")[0]
    assert re.findall(r'<option value="([a-z_]+)"', roles) == ["admin"]
    assert 'name="password"' not in form  # an administrator types nobody's password
    officer = {"csrf_token": token, "username": "kenji", "role": "issuing_officer"}
    refused = flat(client.post("/app/admin/users", data=officer).text)
    assert "creates only administrators" in refused and "originlink users add" in refused
    assert client.get("/app/admin/users").text.count(">kenji<") == 0  # nothing half-saved
    new = {"csrf_token": token, "username": "hanako", "role": "admin"}
    added = client.post("/app/admin/users", data=new)
    assert added.status_code == 200 and ">hanako<" in added.text
    assert "One-time activation code for hanako" in added.text
    code = activation_code(added.text)
    assert code not in client.get("/app/admin/users").text  # shown once
    assert code not in client.get("/app/admin/audit").text
    hanako = jp.client()
    assert "Your account is active" in activate(hanako, "hanako", code, "a long enough secret")
    sign_in(hanako, "hanako", "a long enough secret")
    reset = client.post("/app/admin/users/hanako/reset", data={"csrf_token": token})
    assert reset.status_code == 200 and "One-time activation code for hanako" in reset.text
    assert hanako.get("/app/").status_code == 303  # the old session ended
    stranger = jp.client()
    form = stranger.get("/app/login")
    again = stranger.post(
        "/app/login",
        data={
            "csrf_token": csrf_of(form.text),
            "username": "hanako",
            "password": "a long enough secret",
        },
    )
    assert again.status_code == 401  # the old password is gone
    second = activation_code(reset.text)
    assert "Your account is active" in activate(jp.client(), "hanako", second, "another secret!")
    sign_in(jp.client(), "hanako", "another secret!")
    disabled = client.post("/app/admin/users/hanako/disable", data={"csrf_token": token})
    assert "User hanako disabled" in client.get(disabled.headers["location"]).text
    gone = flat(client.post("/app/admin/users/hanako/reset", data={"csrf_token": token}).text)
    assert "is disabled" in gone


def test_an_administrator_sets_no_password_and_enrols_no_second_factor(jp: GatewayWeb) -> None:
    client, token = admin(jp)
    for path in ("password", "second-factor"):
        answer = client.post(
            f"/app/admin/users/customs/{path}",
            data={"csrf_token": token, "password": "chosen by admin", "action": "renew"},
        )
        assert answer.status_code in (404, 405)
    with jp.gateway.node.store.read() as uow:
        officer = uow.users.by_username("customs")
        assert officer is not None
        creds = uow.users.credentials(officer.id)
    assert creds is not None and creds.totp_secret is None
    # nor resets an officer's sign-in (a code it handed over would let it act as the officer)
    page = flat(client.get("/app/admin/users").text)
    assert "Reset on the host: originlink users password customs" in page
    refused = flat(client.post("/app/admin/users/customs/reset", data={"csrf_token": token}).text)
    assert "is reset on the host" in refused and "One-time activation code for" not in refused
    with jp.gateway.node.store.read() as uow:
        assert uow.users.credentials(officer.id) == creds  # nothing was changed


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
