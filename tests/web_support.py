"""Test support for the web pages (``/app/``): a test node with one user of each role, each
with a password, its ASGI application, and signing in through the login form as a browser
would (the CSRF token read from the page)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from originlink.bootstrap import build_app
from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.node_config import NodeConfig
from originlink.services.context import Node
from originlink.services.node import credentials, users
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node

PASSWORD = "correct horse battery"
#: The user name of each role's test user.
USERS = {
    Role.EXPORTER: "exporter",
    Role.ISSUING_OFFICER: "officer",
    Role.CUSTOMS_OFFICER: "customs",
    Role.ADMIN: "admin",
}


@dataclass
class WebNode:
    t: TestNode
    app: Any
    customs: Actor

    def client(self) -> TestClient:
        """A browser-like client: HTTPS (the cookies are Secure), no redirects followed."""
        return TestClient(self.app, base_url="https://testserver", follow_redirects=False)

    def close(self) -> None:
        self.t.close()


def web_app(node: Node, home: Path, usernames: tuple[str, ...] = ()) -> Any:
    """The ASGI application of any node (a gateway of a test network), with ``usernames``
    given :data:`PASSWORD`."""
    for name in usernames:
        credentials.set_password(node, SYSTEM_ACTOR, username=name, password=PASSWORD)
    config = NodeConfig(home=home, identity=node.identity, database_url=node.store.url)
    return build_app(node, config, run_worker=False)


def client_of(app: Any) -> TestClient:
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def web_node(db_url: str, ca: TestCA, home: Path) -> WebNode:
    t = build_test_node(db_url, ca=ca)
    record = users.add_user(t.node, SYSTEM_ACTOR, username="customs", role="customs_officer")
    customs = Actor(record.id, "customs", Role.CUSTOMS_OFFICER, via="test")
    for name in USERS.values():
        credentials.set_password(t.node, SYSTEM_ACTOR, username=name, password=PASSWORD)
    config = NodeConfig(home=home, identity=t.node.identity, database_url=t.store.url)
    return WebNode(t, build_app(t.node, config, run_worker=False), customs)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Sign in through the form; returns the session's CSRF token (from the home page)."""
    form = client.get("/app/login")
    answer = client.post(
        "/app/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(form.text)},
    )
    assert answer.status_code == 303, answer.text
    home = client.get("/app/")
    assert home.status_code == 200, home.text
    return csrf_of(home.text)
