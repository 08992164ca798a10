"""Bounding request bodies before they are read into memory."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from originlink.api.problems import PROBLEM_JSON


class BodySizeLimit:
    """Refuse bodies over ``max_bytes`` with 413 problem+json, by header and while streaming.
    Paths under ``skip`` have a limit of their own (the G2G API: ``api/g2g_gate.py``)."""

    def __init__(self, app: ASGIApp, max_bytes: int, skip: str | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.skip = skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (
            self.skip is not None and str(scope.get("path", "")).startswith(self.skip)
        ):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = True
            if too_big:
                await self._refuse(send)
                return
        if await run_bounded(self.app, scope, receive, send, self.max_bytes) is None:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body: dict[str, Any] = {
            "type": "https://originlink.dev/problems/input-too-large",
            "title": "Input too large",
            "status": 413,
            "detail": f"the request body exceeds the limit of {self.max_bytes:,} bytes",
            "code": "INPUT_TOO_LARGE",
        }
        data = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", PROBLEM_JSON.encode()),
                    (b"content-length", str(len(data)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})


class _TooLarge(Exception):
    """The body went past the limit while it was streamed."""


async def run_bounded(
    app: ASGIApp, scope: Scope, receive: Receive, send: Send, max_bytes: int
) -> int | None:
    """Run ``app`` with its request body cut at ``max_bytes`` (a chunked body says no length
    ahead). Returns the status the app answered, or None when the body was cut before it
    answered: the caller then refuses it (413); an answer already started stands."""
    received = 0
    responded = 0

    async def limited_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise _TooLarge
        return message

    async def tracking_send(message: Message) -> None:
        nonlocal responded
        if message["type"] == "http.response.start":
            responded = int(message["status"])
        await send(message)

    try:
        await app(scope, limited_receive, tracking_send)
    except _TooLarge:
        return responded or None
    return responded
