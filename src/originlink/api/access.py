"""Every HTTP request: a request id, one access-log line, and the HTTP metrics.

The request id is the caller's ``X-Request-ID`` when it is a short plain token (a proxy's), else
a fresh one; it is bound to every log record written while the request is served and sent back
in ``X-Request-ID``. The access line (logger ``originlink.access``) holds the method, the path
without its query string (queries may carry digests or tokens), the status, the duration and
the client address — never a header, so never a credential.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from originlink.api.metrics import HTTP_DURATION, HTTP_REQUESTS

log = logging.getLogger("originlink.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class AccessLog:
    """Pure ASGI middleware (no body buffering), outermost in the application."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                elapsed = time.perf_counter() - started
                route = _route(scope)
                method = str(scope.get("method", ""))
                HTTP_REQUESTS.labels(route, method, str(status)).inc()
                HTTP_DURATION.labels(route, method).observe(elapsed)
                client = scope.get("client")
                log.info(
                    "%s %s %d %.1f ms from %s",
                    method,
                    scope.get("path", ""),
                    status,
                    elapsed * 1000,
                    client[0] if client else "-",
                    extra={"request_id": request_id},
                )


def _route(scope: Scope) -> str:
    """The route template (``/verify/{issuing_country}/{number:path}``), not the path: one
    series per route, whatever the numbers asked."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"
