"""The list page of ``bench web`` as the server answers it: one GET through the node's whole
ASGI application (routing, the web route's session and CSRF handling, the service, the
template in the signed-in user's language), driven in process without a socket.

The application is built by the composition root as ``originlink serve`` builds it; the user
is signed in through the sign-in service and its session cookie is sent with every request.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Any
from urllib.parse import urlencode

from originlink.bootstrap import build_app
from originlink.domain.authz import SYSTEM_ACTOR, Actor
from originlink.node_config import NodeConfig
from originlink.services.context import Node
from originlink.services.importing.received import ListQuery
from originlink.services.node import credentials, web_sessions
from originlink.web.state import SESSION_COOKIE

LIST_PATH = "/app/customs/certificates"


class AsgiPages:
    """GET requests to one node's application, as the signed-in user ``username``."""

    def __init__(self, node: Node, config: NodeConfig, username: str) -> None:
        self.app = build_app(node, config, run_worker=False)
        password = secrets.token_urlsafe(16)
        credentials.set_password(node, SYSTEM_ACTOR, username=username, password=password)
        started = web_sessions.sign_in(node, username, password)
        self.cookie = f"{SESSION_COOKIE}={started.token}".encode()
        self.loop = asyncio.new_event_loop()

    def get(self, path: str, query: str = "") -> tuple[int, bytes]:
        return self.loop.run_until_complete(self._get(path, query))

    async def _get(self, path: str, query: str) -> tuple[int, bytes]:
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "https",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [
                (b"host", b"bench.local"),
                (b"cookie", self.cookie),
                (b"accept-language", b"en"),
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("bench.local", 443),
            "app": self.app,
        }
        sent = False
        status = 0
        body: list[bytes] = []

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await asyncio.sleep(3600)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(body)

    def close(self) -> None:
        self.loop.close()


def page_renderer(home: Any) -> Any:
    """A ``bench web`` renderer: the list page of the query, through the application. The
    first call builds the application for the node it is given (``home``: a folder)."""
    pages: dict[int, AsgiPages] = {}

    def render(node: Node, actor: Actor, query: ListQuery) -> bytes:
        key = id(node)
        if key not in pages:
            config = NodeConfig(home=home, identity=node.identity, database_url="sqlite://")
            pages[key] = AsgiPages(node, config, actor.username)
        params = {k: v for k, v in vars_of(query).items() if v}
        status, body = pages[key].get(LIST_PATH, urlencode(params))
        if status != 200:
            raise RuntimeError(f"{LIST_PATH}?{urlencode(params)} answered {status}")
        return body

    return render


def vars_of(query: ListQuery) -> dict[str, str]:
    return {name: getattr(query, name) for name in query.__dataclass_fields__}
