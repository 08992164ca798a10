"""The gateway-to-gateway routes as one function of (method, URL, headers, body), so that the
in-process transport of tests and benchmarks reaches exactly the code the HTTP API runs."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

from originlink.domain.errors import OriginLinkError, TrustError
from originlink.exchange.httpsig import verify_request
from originlink.exchange.transport import Response
from originlink.services.context import Node
from originlink.services.messaging import inbound
from originlink.services.messaging import pull_serving as pull_service
from originlink.services.node import connection

PREFIX = "/g2g/v1"


def _problem(status: int, code: str, detail: str) -> Response:
    body = json.dumps(
        {
            "type": "https://originlink.dev/problems/" + code.lower(),
            "title": code,
            "status": status,
            "detail": detail,
            "code": code,
        }
    )
    return Response(status, body.encode(), {"content-type": "application/problem+json"})


def caller_of(
    node: Node, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> str:
    verified = verify_request(
        method=method,
        url=url,
        headers=headers,
        body=body,
        lookup=inbound.key_lookup(node),
        now=node.now(),
        nonces=inbound.nonce_cache(node),
        window=node.settings.replay_window,
    )
    return verified.participant


def dispatch(
    node: Node, method: str, url: str, headers: list[tuple[str, str]], body: bytes
) -> Response:
    path = urlsplit(url).path
    if not path.startswith(PREFIX):
        return _problem(404, "NOT_FOUND", f"no route {path}")
    route = path[len(PREFIX) :]
    try:
        if route == "/messages" and method == "POST":
            answer = inbound.receive(node, method=method, url=url, headers=headers, body=body)
            return Response(answer.status, answer.body, {"content-type": answer.content_type})
        if route == "/messages" and method == "GET":
            caller = caller_of(node, method, url, headers, body)
            query = parse_qs(urlsplit(url).query)
            cursor = int(query.get("cursor", ["0"])[0])
            page = pull_service.serve_mailbox(node, caller, cursor=cursor)
            return Response(200, json.dumps(page).encode(), {"content-type": "application/json"})
        if route == "/ping" and method == "GET":
            caller = caller_of(node, method, url, headers, body)
            pong = json.dumps(connection.ping(node, caller)).encode()
            return Response(200, pong, {"content-type": "application/json"})
        if route.startswith("/certificates/") and method == "GET":
            caller = caller_of(node, method, url, headers, body)
            country, _, number = route[len("/certificates/") :].partition("/")
            message = pull_service.serve_certificate(
                node, caller, issuing_country=country, number=unquote(number)
            )
            return Response(200, message.to_bytes(), {"content-type": "application/json"})
    except TrustError as exc:
        return _problem(401, exc.code, exc.detail)
    except OriginLinkError as exc:
        return _problem(exc.http_status, exc.code, exc.detail)
    return _problem(405, "METHOD_NOT_ALLOWED", f"{method} {path}")
