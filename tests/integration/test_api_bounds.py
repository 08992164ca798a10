"""Every parameter and body field of the node's API has bounds, and every route declares what
it answers (issue 17, part 4). Walks the OpenAPI document, so a new route without bounds fails
here; and the numbers past the bounds that were a 500 (``offset``, ``after_seq`` above 2^63-1)
are a 422 problem+json naming the parameter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from originlink.api.app import create_app
from originlink.api.g2g import router as g2g_router
from originlink.api.public import create_public_router
from originlink.api.ratelimit import TokenBucketLimiter
from originlink.domain.authz import HOST_ACTOR
from originlink.services.node import users as user_service
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from originlink.web.pages import VerificationPages

#: Bodies the API reads itself, strictly and bounded by size and depth (``deps.json_body``).
RAW_BODIES = {"CO document", "JSON object"}


@pytest.fixture
def env(db_url: str) -> Iterator[tuple[TestNode, TestClient, dict[str, Any]]]:
    tnode = build_test_node(db_url, ca=TestCA())
    pages = VerificationPages(tnode.node.identity.name)
    app = create_app(tnode.node, extra_routers=[g2g_router, create_public_router(
        TokenBucketLimiter(), pages)])  # fmt: skip
    with TestClient(app, raise_server_exceptions=False) as client:
        yield tnode, client, client.get("/openapi.json").json()
    tnode.close()


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return dict(spec["components"]["schemas"][ref.rsplit("/", 1)[1]])
    return schema


def _unbounded(spec: dict[str, Any], schema: dict[str, Any], where: str) -> Iterator[str]:
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from _unbounded(spec, part, where)
    kind = schema.get("type")
    if "enum" in schema or "const" in schema or kind in {"boolean", "null"}:
        return
    if kind == "string" and "maxLength" not in schema and schema.get("format") != "date-time":
        yield f"{where}: a string without maxLength"
    if kind == "integer" and ("maximum" not in schema or "minimum" not in schema):
        yield f"{where}: an integer without minimum and maximum"
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: an array without maxItems"
        yield from _unbounded(spec, schema.get("items", {}), f"{where}[]")
    if kind == "object" and schema.get("title") not in RAW_BODIES:
        for name, prop in schema.get("properties", {}).items():
            yield from _unbounded(spec, prop, f"{where}.{name}")


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_parameter_and_body_field_is_bounded(
    env: tuple[TestNode, TestClient, dict[str, Any]],
) -> None:
    spec = env[2]
    found: list[str] = []
    for label, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            where = f"{label} {parameter['in']} {parameter['name']}"
            found += _unbounded(spec, parameter["schema"], where)
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body and "schema" in body and "$ref" in body["schema"]:
            found += _unbounded(spec, body["schema"], f"{label} body")
    assert found == [], "\n".join(found)


def test_every_route_declares_its_refusals_as_problem_json(
    env: tuple[TestNode, TestClient, dict[str, Any]],
) -> None:
    missing = []
    for label, operation in _operations(env[2]):
        if label.startswith(("GET /api/v1", "POST /api/v1", "PUT /api/v1")):
            for status in ("400", "401", "403", "404", "409", "413", "422", "503"):
                content = operation["responses"].get(status, {}).get("content", {})
                if "application/problem+json" not in content:
                    missing.append(f"{label} {status}")
    assert missing == []


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/applications?offset=9223372036854775808", "offset"),
        ("/api/v1/certificates?offset=2147483648", "offset"),
        ("/api/v1/audit?after_seq=9223372036854775808", "after_seq"),
        ("/api/v1/applications?agreement=" + "R" * 65, "agreement"),
        ("/api/v1/applications/" + "a" * 129, "app_id"),
    ],
)
def test_a_number_or_text_past_its_bound_is_a_422_naming_it(
    env: tuple[TestNode, TestClient, dict[str, Any]], path: str, parameter: str
) -> None:
    tnode, client, _ = env
    user_service.add_user(tnode.node, HOST_ACTOR, username="root", role="admin")
    token = user_service.create_token(tnode.node, HOST_ACTOR, username="root")
    answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["code"] == "REQUEST_INVALID"
    assert parameter in answer.json()["detail"]
