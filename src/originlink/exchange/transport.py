"""Transports: how one gateway reaches another. One small interface, two siblings:

* :class:`HttpTransport`: real HTTP(S) with httpx2, every request signed (RFC 9421);
* :class:`InProcessTransport`: calls the receiving node's request handler directly (through an
  :class:`InProcessNetwork`), with the same signed headers, for tests and benchmarks that run
  several gateways in one process.

Errors are mapped once: a connection failure or a 5xx/429 answer is a
:class:`~originlink.domain.errors.PartnerUnavailable` (retry later), a timeout a
:class:`~originlink.domain.errors.PartnerTimeout`; any other answer is returned as it is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx2

from originlink.domain.clock import Clock
from originlink.domain.errors import PartnerTimeout, PartnerUnavailable
from originlink.exchange.httpsig import sign_request
from originlink.trust.signer import Signer


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class Transport(Protocol):
    def request(self, method: str, url: str, body: bytes = b"") -> Response: ...


def signed_request(
    method: str, url: str, body: bytes, signer: Signer, clock: Clock
) -> httpx2.Request:
    headers = {"content-type": "application/json", "accept": "application/json"}
    request = httpx2.Request(method, url, content=body, headers=headers)
    sign_request(request, body, signer, created=clock.now())
    return request


class HttpTransport:
    """Signed HTTP(S) requests over a pooled, thread-safe httpx2 client."""

    def __init__(
        self,
        signer: Signer,
        clock: Clock,
        *,
        timeout: float = 15.0,
        verify: bool | str = True,
        max_connections: int = 32,
    ) -> None:
        self.signer = signer
        self.clock = clock
        self._client = httpx2.Client(
            timeout=timeout,
            verify=verify,
            follow_redirects=False,
            limits=httpx2.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        request = signed_request(method, url, body, self.signer, self.clock)
        try:
            answer = self._client.send(request)
        except httpx2.TimeoutException as exc:
            raise PartnerTimeout(f"{url} did not answer in time ({type(exc).__name__})") from None
        except httpx2.TransportError as exc:
            raise PartnerUnavailable(
                f"{url} cannot be reached: {type(exc).__name__}: {exc}"
            ) from None
        response = Response(answer.status_code, answer.content, dict(answer.headers))
        _raise_for_unavailable(url, response)
        return response

    def close(self) -> None:
        self._client.close()


def _raise_for_unavailable(url: str, response: Response) -> None:
    if response.status >= 500 or response.status in {408, 429}:
        raise PartnerUnavailable(f"{url} answered {response.status}; will retry")


#: The receiving side of an in-process call: (method, url, headers, body) → response.
Handler = Callable[[str, str, list[tuple[str, str]], bytes], Response]


class InProcessNetwork:
    """The handlers of in-process gateways by base URL, shared by their transports. A base URL
    can be marked down to simulate an outage."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._down: set[str] = set()
        self._lock = threading.Lock()

    def mount(self, base_url: str, handler: Handler) -> None:
        with self._lock:
            self._handlers[base_url.rstrip("/")] = handler

    def set_down(self, base_url: str, down: bool = True) -> None:
        with self._lock:
            (self._down.add if down else self._down.discard)(base_url.rstrip("/"))

    def route(self, url: str) -> Handler | None:
        with self._lock:
            match = next((b for b in self._handlers if url.startswith(b + "/")), None)
            if match is None or match in self._down:
                return None
            return self._handlers[match]


class InProcessTransport:
    """Signed requests delivered to in-process handlers, without sockets."""

    def __init__(self, signer: Signer, clock: Clock, network: InProcessNetwork) -> None:
        self.signer = signer
        self.clock = clock
        self.network = network

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        request = signed_request(method, url, body, self.signer, self.clock)
        handler = self.network.route(url)
        if handler is None:
            raise PartnerUnavailable(f"{url} cannot be reached (in-process: down or unknown)")
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        response = handler(method, str(request.url), headers, body)
        _raise_for_unavailable(url, response)
        return response

    def close(self) -> None:
        return None


def header_value(headers: Any, name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name.lower():
            return str(value)
    return None
