"""The back-office API over HTTP (FastAPI test client): the workflow, problem+json errors,
pagination and filters, and the authorisation matrix (every role against every endpoint)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from originlink.api.app import create_app
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import users as user_service
from originlink.store.tables import number_sequences
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.node_support import application_content

ROLES = ("exporter", "issuing_officer", "customs_officer", "admin")


@pytest.fixture
def env(db_url: str) -> Iterator[tuple[TestNode, TestClient, dict[str, dict[str, str]]]]:
    tnode = build_test_node(db_url, ca=TestCA())
    headers: dict[str, dict[str, str]] = {}
    for role in ROLES:
        org = "SG-UEN-201912345K" if role == "exporter" else None
        user_service.add_user(
            tnode.node, SYSTEM_ACTOR, username=f"api-{role}", role=role, organisation=org
        )
        token = user_service.create_token(tnode.node, SYSTEM_ACTOR, username=f"api-{role}")
        headers[role] = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(tnode.node), raise_server_exceptions=False) as client:
        yield tnode, client, headers
    tnode.close()


def _issue(client: TestClient, h: dict[str, dict[str, str]]) -> dict[str, Any]:
    created = client.post("/api/v1/applications", json=application_content(), headers=h["exporter"])
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    assert (
        client.post(f"/api/v1/applications/{app_id}/submit", headers=h["exporter"]).status_code
        == 200
    )
    issued = client.post(f"/api/v1/applications/{app_id}/issue", headers=h["issuing_officer"])
    assert issued.status_code == 201, issued.text
    return issued.json()


def test_issuing_a_number_already_held_is_a_409_problem(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    tnode, client, h = env
    first = _issue(client, h)
    with tnode.node.store.transaction() as tx:
        tx.connection.execute(update(number_sequences).values(last_value=0))
    created = client.post("/api/v1/applications", json=application_content(), headers=h["exporter"])
    app_id = created.json()["id"]
    client.post(f"/api/v1/applications/{app_id}/submit", headers=h["exporter"])
    refused = client.post(f"/api/v1/applications/{app_id}/issue", headers=h["issuing_officer"])
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert f"DS-07: certificate number {first['number']} " in refused.json()["detail"]
    app = client.get(f"/api/v1/applications/{app_id}", headers=h["exporter"]).json()
    assert app["status"] == "SUBMITTED"


def test_workflow_over_http(env: tuple[TestNode, TestClient, dict[str, dict[str, str]]]) -> None:
    _, client, h = env
    cert = _issue(client, h)
    assert cert["status"] == "ISSUED" and cert["number"] == "RCEP-SG-2025-000001"
    assert cert["document"]["signatures"]["issuing_authority"]["format"] == "jws"
    listed = client.get(
        "/api/v1/certificates?agreement=RCEP&status=ISSUED&limit=1", headers=h["exporter"]
    ).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == cert["id"]
    assert (
        client.get("/api/v1/certificates?agreement=ATIGA", headers=h["exporter"]).json()["total"]
        == 0
    )
    cancelled = client.post(
        f"/api/v1/certificates/{cert['id']}/cancel",
        json={"reason": "shipment cancelled"},
        headers=h["issuing_officer"],
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    again = client.post(
        f"/api/v1/certificates/{cert['id']}/cancel",
        json={"reason": "x"},
        headers=h["issuing_officer"],
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert again.json()["code"] == "INVALID_TRANSITION"
    verify = client.get("/api/v1/audit/verify", headers=h["admin"]).json()
    assert verify["ok"] and verify["records"] > 5


def test_pagination_envelope(env: tuple[TestNode, TestClient, dict[str, dict[str, str]]]) -> None:
    _, client, h = env
    for _ in range(3):
        client.post("/api/v1/applications", json=application_content(), headers=h["exporter"])
    first = client.get("/api/v1/applications?limit=2", headers=h["exporter"]).json()
    assert first["total"] == 3 and len(first["items"]) == 2 and first["next_offset"] == 2
    second = client.get("/api/v1/applications?limit=2&offset=2", headers=h["exporter"]).json()
    assert len(second["items"]) == 1 and second["next_offset"] is None
    bad = client.get("/api/v1/applications?limit=0", headers=h["exporter"])
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "query:limit"


def test_invalid_submissions_get_findings_with_paths(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    _, client, h = env
    content = application_content()
    content["certificate"]["goods_items"][0]["origin_criterion"]["code"] = "XYZ"
    app_id = client.post("/api/v1/applications", json=content, headers=h["exporter"]).json()["id"]
    response = client.post(f"/api/v1/applications/{app_id}/submit", headers=h["exporter"])
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "VALIDATION_FAILED"
    assert any(
        e["code"] == "DS-20" and e["path"].endswith("origin_criterion.code") for e in body["errors"]
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "INPUT_UNREADABLE"),
        (b'{"certificate": {}, "certificate": {}}', 400, "INPUT_UNREADABLE"),
        (b"[1, 2]", 400, "INPUT_UNREADABLE"),
        (b"[" * 5000 + b"]" * 5000, 400, "INPUT_TOO_DEEP"),
    ],
)
def test_unreadable_bodies_are_400_problems(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
    body: bytes,
    status: int,
    code: str,
) -> None:
    _, client, h = env
    response = client.post(
        "/api/v1/applications",
        content=body,
        headers={**h["exporter"], "content-type": "application/json"},
    )
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


def test_oversized_bodies_are_refused_before_reading(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    _, client, h = env
    response = client.post(
        "/api/v1/applications",
        content=b" " * (9 * 1024 * 1024),
        headers={**h["exporter"], "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "INPUT_TOO_LARGE"


def test_no_token_or_a_bad_token_is_401(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    _, client, _ = env
    assert client.get("/api/v1/certificates").status_code == 401
    bad = client.get(
        "/api/v1/certificates", headers={"Authorization": "Bearer olk_000000000000_nope"}
    )
    assert bad.status_code == 401 and bad.json()["code"] == "AUTHENTICATION_REQUIRED"


def test_disabled_users_lose_access_at_once(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    _, client, h = env
    assert client.get("/api/v1/applications", headers=h["exporter"]).status_code == 200
    assert client.post("/api/v1/users/api-exporter/disable", headers=h["admin"]).status_code == 200
    assert client.get("/api/v1/applications", headers=h["exporter"]).status_code == 401


def test_openapi_describes_every_back_office_endpoint(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    _, client, _ = env
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, op in methods.items():
            assert op.get("summary"), f"{method} {path} has no summary"
            assert op.get("description"), f"{method} {path} has no description"
    create = spec["paths"]["/api/v1/applications"]["post"]
    assert "certificate" in json.dumps(create["requestBody"])


# --- the authorisation matrix -----------------------------------------------------------------

#: endpoint → roles allowed (everyone else gets 403, anonymous 401).
MATRIX: list[tuple[str, str, frozenset[str]]] = [
    ("POST", "/api/v1/applications", frozenset({"exporter"})),
    ("GET", "/api/v1/applications", frozenset({"exporter", "issuing_officer", "admin"})),
    ("GET", "/api/v1/applications/{app}", frozenset({"exporter", "issuing_officer", "admin"})),
    ("PUT", "/api/v1/applications/{app}", frozenset({"exporter"})),
    ("POST", "/api/v1/applications/{app}/submit", frozenset({"exporter"})),
    ("POST", "/api/v1/applications/{app}/withdraw", frozenset({"exporter"})),
    ("POST", "/api/v1/applications/{app}/issue", frozenset({"issuing_officer"})),
    ("POST", "/api/v1/applications/{app}/refuse", frozenset({"issuing_officer"})),
    ("GET", "/api/v1/certificates", frozenset(ROLES)),
    ("GET", "/api/v1/certificates/{cert}", frozenset(ROLES)),
    ("POST", "/api/v1/certificates/{cert}/cancel", frozenset({"issuing_officer"})),
    ("POST", "/api/v1/certificates/{cert}/true-copy-request", frozenset({"exporter"})),
    ("GET", "/api/v1/users", frozenset({"admin"})),
    ("POST", "/api/v1/users", frozenset({"admin"})),
    ("POST", "/api/v1/users/api-exporter/tokens", frozenset({"exporter"})),  # its owner only
    ("POST", "/api/v1/users/nobody/disable", frozenset({"admin"})),
    ("GET", "/api/v1/audit", frozenset({"admin"})),
    ("GET", "/api/v1/audit/verify", frozenset({"admin"})),
]

BODIES: dict[str, Any] = {
    "/api/v1/applications": application_content(),
    "/api/v1/applications/{app}": application_content(),
    "/api/v1/applications/{app}/refuse": {"reasons": ["test"]},
    "/api/v1/certificates/{cert}/cancel": {"reason": "test"},
    "/api/v1/users": {"username": "someone", "role": "admin"},
    "/api/v1/users/api-exporter/tokens": {},
}


def test_every_role_against_every_endpoint(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    _, client, h = env
    cert = _issue(client, h)
    app_id = client.post(
        "/api/v1/applications", json=application_content(), headers=h["exporter"]
    ).json()["id"]
    surprises = []
    for method, template, allowed in MATRIX:
        path = template.replace("{app}", app_id).replace("{cert}", cert["id"])
        body = BODIES.get(template)
        anonymous = client.request(method, path, json=body)
        if anonymous.status_code != 401:
            surprises.append(f"anonymous {method} {template}: {anonymous.status_code}")
        for role in ROLES:
            response = client.request(method, path, json=body, headers=h[role])
            denied = response.status_code == 403
            if role in allowed and (denied or response.status_code == 401):
                surprises.append(f"{role} {method} {template}: {response.status_code}")
            if role not in allowed and not denied:
                surprises.append(
                    f"{role} {method} {template}: {response.status_code} (expected 403)"
                )
            if denied:
                assert response.headers["content-type"] == "application/problem+json"
    assert surprises == []
