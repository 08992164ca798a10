"""The door of the gateway-to-gateway API (``/g2g/...``): what is refused before a body is read.

Anyone can send a gateway a request; until its signature is verified, the request costs its
sender nothing and the gateway whatever the gateway spends on it. So, in this order, and before
a byte of the body is read:

1. **per address**: a token bucket per client address (``[g2g] address_rate_per_minute``,
   ``address_burst``); over it, 429 problem+json with ``Retry-After``;
2. **size**: a ``Content-Length`` above ``[limits] max_message_bytes`` is 413 problem+json; a
   body without one (chunked) is cut, with the same 413, at the byte that passes the limit;
3. **the key**: a POST must carry an RFC 9421 signature whose ``keyid`` names a key the trust
   lists hold (valid, not revoked); otherwise the signed NOT_READABLE receipt of
   ``HTTPSIG_MISSING`` / ``HTTPSIG_UNKNOWN_KEY`` (401) — the signature itself is verified once
   the body is read, against these very bytes;
4. **per partner**: a token bucket per participant that key belongs to (``partner_rate_per_minute``,
   ``partner_burst``); over it, 429 with ``Retry-After``. A token is taken once a request was
   authenticated (its answer is not 401), so that a stranger who names a partner's key id
   cannot use the partner's rate up; when the bucket is found empty, the partner's next
   requests are refused before they are read, until a token is back.

Refusals here are unauthenticated: they are counted, and sampled into the refused-traffic log
(:mod:`originlink.services.messaging.refusals`), never written one row each.
"""

from __future__ import annotations

import math
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from originlink.api.limits import run_bounded
from originlink.api.problems import problem
from originlink.api.ratelimit import RateLimit, TokenBucketLimiter
from originlink.services.context import Node
from originlink.services.messaging import inbound
from originlink.services.messaging.receipts import record_refusal

PREFIX = "/g2g/"
_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
#: What the gate may answer on any G2G route, for the routes' OpenAPI documentation.
GATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Content-Length is not a number (problem+json)", "content": _PROBLEM},
    429: {
        "description": "Too many requests from this address or partner; see Retry-After "
        "(problem+json)",
        "content": _PROBLEM,
    },
}
#: And on a route that takes a body.
BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {
        "description": "Body over [limits] max_message_bytes, refused from its Content-Length "
        "or cut (problem+json); or the signed NOT_READABLE receipt of a message too large",
        "content": {**_PROBLEM, "application/json": {}},
    },
}


async def _acquire(limiter: TokenBucketLimiter, key: str) -> int | None:
    """A token; a shared bucket (a database or Redis round trip) is taken off the event loop."""
    if limiter.state is None:
        return limiter.acquire(key)
    return await run_in_threadpool(limiter.acquire, key)


class G2GGate:
    """ASGI middleware guarding every path under ``/g2g/`` (a gateway's and a hub's)."""

    def __init__(self, app: ASGIApp, node: Node) -> None:
        self.app = app
        self.node = node
        s = node.settings
        self.max_bytes = s.max_message_bytes
        # shared by every instance (and kept over a restart) when the node has a shared state
        self.addresses = TokenBucketLimiter(
            RateLimit(rate_per_minute=s.g2g_address_rate_per_minute, burst=s.g2g_address_burst),
            state=node.shared_state,
            scope="g2g-address",
        )
        self.partners = TokenBucketLimiter(
            RateLimit(rate_per_minute=s.g2g_partner_rate_per_minute, burst=s.g2g_partner_burst),
            state=node.shared_state,
            scope="g2g-partner",
        )
        #: Partners whose bucket was found empty, until when (one entry per partner at most:
        #: partners come from the trust lists).
        self._partner_blocked: dict[str, float] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        remote = str(client[0]) if client else None
        raw = scope.get("headers") or []
        declared_text = dict(raw).get(b"content-length")
        declared = _declared(declared_text)
        wait = await _acquire(self.addresses, remote or "-")
        if wait is not None:
            detail = f"too many G2G requests from {remote}; try again in {wait} s"
            await self._refuse(scope, receive, send, 429, "RATE_LIMITED", detail, remote, wait)
            return
        if declared_text is not None and (declared is None or declared > self.max_bytes):
            detail = (
                f"the request body of {declared:,} bytes exceeds the limit of "
                f"{self.max_bytes:,} bytes"
                if declared is not None
                else "the Content-Length header is not a number"
            )
            status, code = (413, "INPUT_TOO_LARGE") if declared is not None else (400, "BAD_LENGTH")
            await self._refuse(scope, receive, send, status, code, detail, remote, size=declared)
            return
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in raw]
        refusal, partner = await run_in_threadpool(
            inbound.check_before_reading,
            self.node,
            headers,
            method=str(scope.get("method")),
            remote=remote,
            declared_bytes=declared or 0,
        )
        if refusal is not None:
            response = Response(refusal.body, refusal.status, media_type=refusal.content_type)
            await response(scope, receive, send)
            return
        if partner is not None:
            wait = self._over_rate(partner)
            if wait is not None:
                detail = f"too many G2G requests from {partner}; try again in {wait} s"
                await self._refuse(scope, receive, send, 429, "RATE_LIMITED", detail, remote, wait)
                return
        status = await self._bounded(scope, receive, send, remote)
        if partner is not None and status not in (0, 401):
            # Only a request the partner's signature authenticated takes from its bucket, so a
            # stranger naming the partner's key id cannot use its rate up; once the bucket is
            # empty, the partner's next requests are refused before they are read.
            wait = await _acquire(self.partners, partner)
            if wait is not None:
                self._partner_blocked[partner] = time.monotonic() + wait

    def _over_rate(self, partner: str) -> int | None:
        """Seconds until ``partner`` may send again (None: now)."""
        until = self._partner_blocked.get(partner)
        if until is None:
            return None
        left = until - time.monotonic()
        if left <= 0:
            self._partner_blocked.pop(partner, None)
            return None
        return max(1, math.ceil(left))

    async def _bounded(self, scope: Scope, receive: Receive, send: Send, remote: str | None) -> int:
        """The request, its body cut at the limit (a chunked body says no length ahead);
        returns the status answered."""
        status = await run_bounded(self.app, scope, receive, send, self.max_bytes)
        if status is None:
            detail = f"the request body exceeds the limit of {self.max_bytes:,} bytes (cut)"
            await self._refuse(scope, receive, send, 413, "INPUT_TOO_LARGE", detail, remote)
            return 413
        return status

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        code: str,
        detail: str,
        remote: str | None,
        retry_after: int | None = None,
        *,
        size: int | None = None,
    ) -> None:
        await run_in_threadpool(
            record_refusal, self.node, code=code, detail=detail, remote=remote, body_bytes=size or 0
        )
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        titles = {413: "Input too large", 429: "Too many requests", 400: "Bad request"}
        response = problem(status, code, titles[status], detail, headers=headers)
        await response(scope, receive, send)


def _declared(value: Any) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None
