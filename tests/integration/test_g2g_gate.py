"""api/g2g_gate.py over ASGI: a G2G request is refused before its body is read — too large by
its Content-Length (413 problem+json), unsigned or signed by a key no trust list holds (the
signed NOT_READABLE receipt), over the per-address or per-partner rate (429 problem+json with
Retry-After) — and a chunked body is cut at the limit. The limit the README states is the one
enforced. A partner's signed message still passes and is applied.

Each request is driven as raw ASGI, so the test sees exactly how much of the body the
application asked for (``receive`` calls)."""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from originlink.api.app import create_app
from originlink.api.g2g import router as g2g_router
from originlink.config import Settings
from originlink.exchange.transport import signed_request
from originlink.exchange.wire import decode_message
from originlink.services.messaging import refusals
from originlink.testing.network import Network
from tests.exchange_support import issue, two_gateways

REPO = Path(__file__).resolve().parents[2]
URL = "http://jp.test/g2g/v1/messages"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    network = two_gateways(tmp_path)
    yield network
    network.close()


@dataclass
class Sent:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    asked: int = 0  # how many body bytes the application read

    def json(self) -> Any:
        return json.loads(self.body)

    def receipt(self) -> dict[str, Any]:
        data = self.json()
        message = decode_message({"envelope": data["envelope"], "payload": data["payload"]})
        payload: dict[str, Any] = message.payload_json()
        return payload


def _post(
    app: Any,
    headers: list[tuple[str, str]],
    chunks: list[bytes],
    *,
    client: str = "10.0.0.1",
    method: str = "POST",
    path: str = "/g2g/v1/messages",
) -> Sent:
    sent = Sent()
    pending = list(chunks)

    async def receive() -> dict[str, Any]:
        if not pending:
            return {"type": "http.disconnect"}
        chunk = pending.pop(0)
        sent.asked += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": bool(pending)}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            sent.status = message["status"]
            sent.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            sent.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"jp.test"), *((k.lower().encode(), v.encode()) for k, v in headers)],
        "client": (client, 50000),
        "server": ("jp.test", 80),
    }
    asyncio.run(app(scope, receive, send))
    return sent


def _app(net: Network, **settings: Any) -> Any:
    node = net["JP-CUSTOMS"].node
    node.settings = replace(node.settings, **settings)
    return create_app(node, extra_routers=[g2g_router])


def _signed(net: Network, body: bytes) -> list[tuple[str, str]]:
    request = signed_request("POST", URL, body, net["SG-CUSTOMS"].signer, net.clock)
    return [
        (k.decode().lower(), v.decode())
        for k, v in request.headers.raw
        if k.lower() not in (b"host", b"content-length")
    ]


def _message(net: Network) -> bytes:
    issue(net["SG-CUSTOMS"])
    with net["SG-CUSTOMS"].node.store.read() as tx:
        queued = tx.outbox.search(limit=1)[0][0]
    return json.dumps(
        {
            "envelope": json.loads(queued.envelope),
            "payload": base64.b64encode(queued.payload).decode(),
        }
    ).encode()


def _refused(net: Network) -> list[dict[str, Any]]:
    with net["JP-CUSTOMS"].node.store.read() as tx:
        return tx.refused.search(limit=1000)[0]


def test_a_partners_signed_message_passes_the_gate_and_is_applied(net: Network) -> None:
    app = _app(net)
    body = _message(net)
    answer = _post(app, _signed(net, body), [body[:1000], body[1000:]])
    assert answer.status == 200, answer.body
    assert answer.receipt()["outcome"] == "DELIVERED" and answer.asked == len(body)


def test_a_body_larger_than_the_limit_is_refused_from_its_length_before_it_is_read(
    net: Network,
) -> None:
    app = _app(net, max_message_bytes=100_000)
    body = _message(net)
    answer = _post(app, [*_signed(net, body), ("content-length", "100001")], [b"x"])
    assert answer.status == 413 and answer.asked == 0
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["code"] == "INPUT_TOO_LARGE" and "100,000 bytes" in problem["detail"]


def test_a_chunked_body_is_cut_at_the_limit(net: Network) -> None:
    app = _app(net, max_message_bytes=100_000)
    chunks = [b"x" * 30_000] * 10  # 300,000 bytes, no Content-Length
    answer = _post(app, _signed(net, b"x" * 300_000), chunks)
    assert answer.status == 413 and answer.json()["code"] == "INPUT_TOO_LARGE"
    assert 100_000 < answer.asked <= 120_000  # read up to the chunk that passed the limit


def test_an_unsigned_or_unknown_key_post_is_refused_before_its_body_is_read(
    net: Network,
) -> None:
    app = _app(net)
    unsigned = _post(app, [("content-length", "8000000")], [b"x" * 8_000_000])
    assert unsigned.status == 401 and unsigned.asked == 0
    assert unsigned.receipt()["code"] == "HTTPSIG_MISSING"
    headers = [
        ("content-length", "8000000"),
        ("signature-input", 'sig1=("@method");created=1;keyid="f00d";nonce="n";tag="x"'),
        ("signature", "sig1=:AAAA:"),
    ]
    unknown = _post(app, headers, [b"x" * 8_000_000])
    assert unknown.status == 401 and unknown.asked == 0
    assert unknown.receipt()["code"] == "HTTPSIG_UNKNOWN_KEY"
    assert "before reading the body" in unknown.receipt()["detail"]


def test_the_rate_per_address_is_limited_with_retry_after(net: Network) -> None:
    app = _app(net, g2g_address_burst=3, g2g_address_rate_per_minute=6)
    statuses = [_post(app, [], [b"{}"], client="10.0.0.9").status for _ in range(3)]
    assert statuses == [401, 401, 401]
    over = _post(app, [], [b"{}"], client="10.0.0.9")
    assert over.status == 429 and over.headers["retry-after"] == "10"
    assert over.headers["content-type"] == "application/problem+json"
    assert over.json()["code"] == "RATE_LIMITED"
    assert _post(app, [], [b"{}"], client="10.0.0.10").status == 401  # another address
    get = _post(app, [], [], client="10.0.0.9", method="GET", path="/g2g/v1/trustlist")
    assert get.status == 429  # every G2G route


def test_the_rate_per_partner_is_limited_whatever_its_address(net: Network) -> None:
    app = _app(net, g2g_partner_burst=2, g2g_partner_rate_per_minute=1)
    body = _message(net)
    answers = [
        _post(app, _signed(net, body), [body], client=f"10.0.1.{n}").status for n in range(4)
    ]
    # the third finds the bucket empty once it is authenticated: from the next one on, the
    # partner is refused before its request is read
    assert answers == [200, 200, 200, 429]


def test_a_stranger_naming_a_partners_key_cannot_use_the_partners_rate_up(
    net: Network,
) -> None:
    app = _app(net, g2g_partner_burst=2, g2g_partner_rate_per_minute=1)
    body = _message(net)
    forged = [
        (k, "sig1=:" + "A" * 86 + ":") if k == "signature" else (k, v)
        for k, v in _signed(net, body)
    ]
    for n in range(5):  # SG's key id, but not SG's signature
        answer = _post(app, forged, [body], client=f"10.0.2.{n}")
        assert answer.status == 401 and answer.receipt()["code"] == "HTTPSIG_INVALID"
    answers = [_post(app, _signed(net, body), [body]).status for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # the partner's whole rate is still its own


def test_unauthenticated_refusals_are_counted_and_sampled_not_stored_one_by_one(
    net: Network,
) -> None:
    app = _app(net, g2g_refused_samples_per_minute=5)
    for n in range(40):
        assert _post(app, [], [b"{}"], client=f"10.2.0.{n}").status == 401
    rows = _refused(net)
    assert len(rows) == 5 and {r["count"] for r in rows} == {1}
    net.advance(timedelta(seconds=61))
    refusals.flush_due(net["JP-CUSTOMS"].node)
    rows = _refused(net)
    assert len(rows) == 6 and sum(r["count"] for r in rows) == 40
    [summary] = [r for r in rows if r["count"] > 1]
    assert summary["code"] == "HTTPSIG_MISSING" and summary["count"] == 35
    assert "35 more refusals HTTPSIG_MISSING" in summary["detail"]
    assert "from 35 address(es)" in summary["detail"]


def test_the_limit_the_readme_states_is_the_limit_enforced(net: Network) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    row = re.search(r"^\| largest G2G request body \|.*\| ([0-9]+) MiB \|$", readme, re.M)
    assert row, "README states no G2G body limit"
    stated = int(row.group(1)) * 1024 * 1024
    assert Settings.model_fields["max_message_bytes"].default == stated
    app = _app(net)
    assert net["JP-CUSTOMS"].node.settings.max_message_bytes == stated
    over = _post(app, [("content-length", str(stated + 1))], [b""])
    assert over.status == 413 and f"{stated:,} bytes" in over.json()["detail"]
    at = _post(app, [("content-length", str(stated))], [b""])
    assert at.status == 401  # not too large: refused for being unsigned


def test_what_the_gate_answers_is_in_the_openapi_document(net: Network) -> None:
    spec = _app(net).openapi()
    for path, methods in spec["paths"].items():
        if not path.startswith("/g2g/"):
            continue
        for method, operation in methods.items():
            answers = operation["responses"]
            assert "application/problem+json" in answers["429"]["content"], (method, path)
            if method == "post":
                assert "application/problem+json" in answers["413"]["content"], path
