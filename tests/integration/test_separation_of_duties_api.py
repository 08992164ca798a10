"""Separation of duties over the HTTP API (issue 17, part 3): no user acts as another.

* a token is created only by its owner: an administrator minting the issuing officer's token
  (to issue with it) is 403, the officer minting its own is 201; on the host,
  ``originlink users token NAME`` makes anyone's (tested in ``test_users_cli.py``), audited;
* over the API an administrator creates administrators only: issuing officers, customs
  officers and exporters (of any organisation) are added on the host;
* an administrator does not issue, decide or refuse;
* an exporter applies only for COs whose exporter is its organisation or one it represents.

Every refusal is 403 ``application/problem+json`` with the reason, and stores nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from originlink.api.app import create_app
from originlink.domain.authz import HOST_ACTOR
from originlink.services.node import users as user_service
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.node_support import application_content

Headers = dict[str, dict[str, str]]


@pytest.fixture
def env(db_url: str) -> Iterator[tuple[TestNode, TestClient, Headers]]:
    tnode = build_test_node(db_url, ca=TestCA())
    people = {
        "io": ("issuing_officer", None, None),
        "root": ("admin", None, None),
        "acme": ("exporter", "SG-UEN-201912345K", None),
        "agent": ("exporter", "SG-UEN-200000001A", ["SG:UEN:199900001Z"]),
    }
    headers: Headers = {}
    for name, (role, org, represents) in people.items():
        user_service.add_user(
            tnode.node,
            HOST_ACTOR,
            username=name,
            role=role,
            organisation=org,
            represents=represents,
        )
        token = user_service.create_token(tnode.node, HOST_ACTOR, username=name)
        headers[name] = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(tnode.node), raise_server_exceptions=False) as client:
        yield tnode, client, headers
    tnode.close()


def _forbidden(response: Any, reason: str) -> None:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "FORBIDDEN"
    assert reason in response.json()["detail"]


def _audit_actions(client: TestClient, h: Headers) -> list[str]:
    page = client.get("/api/v1/audit?limit=500", headers=h["root"]).json()
    return [r["action"] for r in page["items"]]


def test_an_administrator_cannot_mint_the_officers_token(
    env: tuple[TestNode, TestClient, Headers],
) -> None:
    _, client, h = env
    before = _audit_actions(client, h)
    _forbidden(
        client.post("/api/v1/users/io/tokens", json={}, headers=h["root"]),
        "a token for 'io' is created only by 'io' itself, or on the node's host "
        "with 'originlink users token io'",
    )
    assert _audit_actions(client, h) == before
    own = client.post("/api/v1/users/io/tokens", json={"label": "mine"}, headers=h["io"])
    assert own.status_code == 201, own.text
    token = own.json()["token"]
    mine = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    _forbidden(
        client.post("/api/v1/users/root/tokens", json={}, headers=h["io"]),
        "created only by 'root' itself",
    )


@pytest.mark.parametrize("role", ["issuing_officer", "customs_officer", "exporter"])
def test_an_administrator_creates_no_one_who_issues_decides_or_applies(
    env: tuple[TestNode, TestClient, Headers], role: str
) -> None:
    _, client, h = env
    body = {"username": "new-one", "role": role, "organisation": "SG-UEN-201912345K"}
    _forbidden(
        client.post("/api/v1/users", json=body, headers=h["root"]),
        f"a {role} is added on the node's host with 'originlink users add'",
    )
    names = [u["username"] for u in client.get("/api/v1/users", headers=h["root"]).json()["items"]]
    assert "new-one" not in names


def test_an_administrator_may_create_another_administrator(
    env: tuple[TestNode, TestClient, Headers],
) -> None:
    _, client, h = env
    made = client.post(
        "/api/v1/users", json={"username": "root2", "role": "admin"}, headers=h["root"]
    )
    assert made.status_code == 201 and made.json()["role"] == "admin"
    # ... who cannot be given a token by the first one either
    _forbidden(
        client.post("/api/v1/users/root2/tokens", json={}, headers=h["root"]),
        "created only by 'root2' itself",
    )


def test_an_administrator_does_not_issue_or_decide(
    env: tuple[TestNode, TestClient, Headers],
) -> None:
    _, client, h = env
    app_id = client.post(
        "/api/v1/applications", json=application_content(), headers=h["acme"]
    ).json()["id"]
    assert client.post(f"/api/v1/applications/{app_id}/submit", headers=h["acme"]).is_success
    _forbidden(
        client.post(f"/api/v1/applications/{app_id}/issue", headers=h["root"]),
        "role admin may not application decide",
    )
    _forbidden(
        client.post(
            f"/api/v1/applications/{app_id}/refuse", json={"reasons": ["x"]}, headers=h["root"]
        ),
        "role admin may not application decide",
    )
    _forbidden(
        client.post("/api/v1/applications", json=application_content(), headers=h["root"]),
        "role admin may not application write",
    )
    got = client.get(f"/api/v1/applications/{app_id}", headers=h["acme"]).json()
    assert got["status"] == "SUBMITTED"


def _exported_by(scheme: str, value: str) -> dict[str, Any]:
    content = application_content()
    content["certificate"]["parties"]["exporter"]["identifiers"] = [
        {"scheme": scheme, "value": value}
    ]
    return content


def test_an_exporter_applies_only_for_itself_or_whom_it_represents(
    env: tuple[TestNode, TestClient, Headers],
) -> None:
    _, client, h = env
    stranger = _exported_by("SG:UEN", "199900001Z")
    _forbidden(
        client.post("/api/v1/applications", json=stranger, headers=h["acme"]),
        "the CO's exporter (SG:UEN:199900001Z) is neither your organisation nor one you are "
        "recorded as representing (SG-UEN-201912345K)",
    )
    assert client.get("/api/v1/applications", headers=h["acme"]).json()["total"] == 0
    represented = client.post("/api/v1/applications", json=stranger, headers=h["agent"])
    assert represented.status_code == 201, represented.text
    own = client.post("/api/v1/applications", json=application_content(), headers=h["acme"])
    assert own.status_code == 201
    _forbidden(
        client.put(f"/api/v1/applications/{own.json()['id']}", json=stranger, headers=h["acme"]),
        "neither your organisation",
    )
    _forbidden(
        client.post("/api/v1/applications", json=application_content(), headers=h["agent"]),
        "(SG-UEN-200000001A, SG:UEN:199900001Z)",
    )
