"""``/api/v1/audit/checkpoints`` and ``/api/v1/audit/partner-checkpoints`` over HTTP: the
administrator signs a checkpoint on demand, lists this node's, and exports what the node holds
of its partners; ``/audit/verify`` compares the chain with the checkpoints. Anyone else: 403,
anonymous: 401."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update

from originlink.api.app import create_app
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import users as user_service
from originlink.store.tables import audit_head, audit_log
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node


@pytest.fixture
def env(db_url: str) -> Iterator[tuple[TestNode, TestClient, dict[str, dict[str, str]]]]:
    ca = TestCA()
    tnode = build_test_node(db_url, ca=ca)
    tnode.node.gateway = tnode.signer
    headers = {}
    for role in ("admin", "exporter"):
        org = "SG-UEN-201912345K" if role == "exporter" else None
        user_service.add_user(
            tnode.node, SYSTEM_ACTOR, username=f"api-{role}", role=role, organisation=org
        )
        token = user_service.create_token(tnode.node, SYSTEM_ACTOR, username=f"api-{role}")
        headers[role] = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(tnode.node), raise_server_exceptions=False) as client:
        yield tnode, client, headers
    tnode.close()


def test_the_administrator_signs_lists_and_exports_checkpoints(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]],
) -> None:
    tnode, client, h = env
    made = client.post("/api/v1/audit/checkpoints", headers=h["admin"])
    assert made.status_code == 200, made.text
    checkpoint = made.json()["checkpoint"]
    assert checkpoint["node"] == "SG-CUSTOMS" and checkpoint["signature"].count(".") == 2
    listed = client.get("/api/v1/audit/checkpoints", headers=h["admin"]).json()["items"]
    assert listed == [checkpoint]
    exported = client.get("/api/v1/audit/partner-checkpoints", headers=h["admin"]).json()
    assert exported["format"] == "originlink.partner-checkpoints/1"
    assert exported["exported_by"] == "SG-CUSTOMS" and exported["checkpoints"] == []
    verified = client.get("/api/v1/audit/verify", headers=h["admin"]).json()
    assert verified["ok"] is True and verified["checkpoints"] == 1
    seq = checkpoint["seq"]
    with tnode.node.store.transaction() as tx:  # the last record removed, the head rolled back
        tx.connection.execute(delete(audit_log).where(audit_log.c.seq == seq))
        tx.connection.execute(
            update(audit_head).values(seq=seq - 1, hash=tx.audit.hash_at(seq - 1))
        )
    verified = client.get("/api/v1/audit/verify", headers=h["admin"]).json()
    assert verified["ok"] is False and verified["first_broken_seq"] == seq


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/audit/checkpoints"),
        ("GET", "/api/v1/audit/checkpoints"),
        ("GET", "/api/v1/audit/partner-checkpoints"),
    ],
)
def test_only_the_administrator_may(
    env: tuple[TestNode, TestClient, dict[str, dict[str, str]]], method: str, path: str
) -> None:
    _, client, h = env
    assert client.request(method, path).status_code == 401
    denied = client.request(method, path, headers=h["exporter"])
    assert denied.status_code == 403
    assert denied.headers["content-type"] == "application/problem+json"
