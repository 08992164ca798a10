"""The claims and verification endpoints over HTTP: status codes, problem+json with field paths,
idempotent re-posting, invalidation, usage, reviews, and who may call what."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from originlink.api.app import create_app
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import users as user_service
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.claims_support import declaration, receive

ROLES = ("exporter", "issuing_officer", "customs_officer", "admin")
Env = tuple[TestNode, TestClient, dict[str, dict[str, str]], str]


@pytest.fixture
def env(db_url: str) -> Iterator[Env]:
    tnode = build_test_node(
        db_url, ca=TestCA(), participant="JP-CUSTOMS", country="JP", timezone="Asia/Tokyo"
    )
    headers: dict[str, dict[str, str]] = {}
    for role in ROLES:
        org = "JP-ORG" if role == "exporter" else None
        user_service.add_user(
            tnode.node, SYSTEM_ACTOR, username=f"api-{role}", role=role, organisation=org
        )
        token = user_service.create_token(tnode.node, SYSTEM_ACTOR, username=f"api-{role}")
        headers[role] = {"Authorization": f"Bearer {token}"}
    co = receive(tnode.node)
    with TestClient(create_app(tnode.node), raise_server_exceptions=False) as client:
        yield tnode, client, headers, co.id
    tnode.close()


def test_claim_replay_invalidate_over_http(env: Env) -> None:
    _, client, h, co_id = env
    customs = h["customs_officer"]
    created = client.post("/api/v1/claims", json=declaration("D-1", "500"), headers=customs)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["outcome"] == "DECIDED" and body["lines"][0]["decision"] == "GRANTED"
    again = client.post("/api/v1/claims", json=declaration("D-1", "500"), headers=customs)
    assert again.status_code == 200 and again.json()["outcome"] == "REPLAYED"
    usage = client.get(f"/api/v1/certificates/{co_id}/usage", headers=customs).json()
    assert usage["items"][0]["remaining"] == "700"
    listed = client.get("/api/v1/claims?number=RCEP-SG-2025-000123", headers=customs).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == "D-1"
    gone = client.post(
        "/api/v1/claims/D-1/invalidate", json={"reason": "withdrawn"}, headers=customs
    )
    assert gone.status_code == 200 and gone.json()["status"] == "INVALIDATED"
    assert client.get("/api/v1/claims/D-1", headers=customs).json()["status"] == "INVALIDATED"
    usage = client.get(f"/api/v1/certificates/{co_id}/usage", headers=customs).json()
    assert usage["items"][0]["remaining"] == "1200"
    conflict = client.post("/api/v1/claims", json=declaration("D-1", "500"), headers=customs)
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"


def test_bad_declarations_are_422_problems_with_paths(env: Env) -> None:
    _, client, h, _ = env
    bad = declaration("D-1", "1")
    bad["lines"][0]["quantity"] = {"value": 5, "unit_code": "H87"}
    response = client.post("/api/v1/claims", json=bad, headers=h["customs_officer"])
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "VALIDATION_FAILED"
    assert problem["errors"][0]["path"] == "declaration.lines[0].quantity.value"
    missing = client.post("/api/v1/claims/D-9/invalidate", json={}, headers=h["customs_officer"])
    assert missing.status_code == 400 and missing.json()["pointer"] == "/reason"


def test_a_verification_needs_a_partner_to_ask(env: Env) -> None:
    _, client, h, co_id = env
    response = client.post(
        "/api/v1/verifications",
        json={"certificate_id": co_id, "reasons": ["RANDOM"], "questions": ["Origin?"]},
        headers=h["customs_officer"],
    )
    assert response.status_code == 409
    assert "no known partner" in response.json()["detail"]


MATRIX: list[tuple[str, str, frozenset[str], Any]] = [
    ("POST", "/api/v1/claims", frozenset({"customs_officer"}), declaration("M-1", "1")),
    ("GET", "/api/v1/claims", frozenset({"customs_officer", "admin"}), None),
    ("GET", "/api/v1/claims/M-1", frozenset({"customs_officer", "admin"}), None),
    ("POST", "/api/v1/claims/M-1/redecide", frozenset({"customs_officer"}), None),
    ("GET", "/api/v1/certificates/{co}/usage", frozenset({"customs_officer", "admin"}), None),
    ("GET", "/api/v1/claim-reviews", frozenset({"customs_officer", "admin"}), None),
    (
        "GET",
        "/api/v1/verifications",
        frozenset({"issuing_officer", "customs_officer", "admin"}),
        None,
    ),
    ("POST", "/api/v1/verifications/x/answer", frozenset({"issuing_officer"}), {"items": []}),
    ("POST", "/api/v1/verifications/x/acknowledge", frozenset({"issuing_officer"}), {}),
]


def test_who_may_call_the_claim_and_verification_endpoints(env: Env) -> None:
    _, client, h, co_id = env
    surprises = []
    for method, template, allowed, body in MATRIX:
        path = template.replace("{co}", co_id)
        if client.request(method, path, json=body).status_code != 401:
            surprises.append(f"anonymous {method} {template}")
        for role in ROLES:
            status = client.request(method, path, json=body, headers=h[role]).status_code
            if (role in allowed) == (status == 403):
                surprises.append(f"{role} {method} {template}: {status}")
    assert surprises == []
