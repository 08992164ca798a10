"""services/node/endpoints.py: a partner's G2G endpoint in any written form (the README's
``g2g=https://…/g2g`` included) is kept as the gateway's base URL, and the connection test at
``partners add`` refuses what is not a G2G endpoint, saying what answered."""

from __future__ import annotations

import pytest

from originlink.domain.errors import Conflict, InputError, PartnerUnavailable
from originlink.exchange.transport import Response
from originlink.services.context import Node
from originlink.services.node.endpoints import normalise_endpoint, probe_endpoint
from originlink.services.unit_of_work import Storage
from tests.services.support import node_on


class Scripted:
    """A transport that answers every request with one response (or raises)."""

    def __init__(self, answer: Response | Exception) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str]] = []

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        self.asked.append((method, url))
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def _node(storage: Storage, answer: Response | Exception) -> tuple[Node, Scripted]:
    node = node_on(storage)
    transport = Scripted(answer)
    node.transport = transport
    return node, transport


@pytest.mark.parametrize(
    "written",
    [
        "https://gw.customs.gov.sg/g2g",
        "https://gw.customs.gov.sg/g2g/",
        "https://gw.customs.gov.sg/g2g/v1",
        "https://gw.customs.gov.sg/g2g/v1/messages",
        "https://gw.customs.gov.sg",
        "https://gw.customs.gov.sg/",
    ],
)
def test_every_written_form_is_the_gateways_base_url(written: str) -> None:
    assert normalise_endpoint(written) == "https://gw.customs.gov.sg"


def test_a_gateway_behind_a_path_keeps_its_path() -> None:
    assert normalise_endpoint("https://gov.sg/customs/g2g") == "https://gov.sg/customs"


@pytest.mark.parametrize("bad", ["gw.customs.gov.sg/g2g", "ftp://gw/g2g", "https:///g2g", "x"])
def test_what_is_not_an_http_url_is_refused_saying_so(bad: str) -> None:
    with pytest.raises(InputError, match="is not an http\\(s\\) URL with a host"):
        normalise_endpoint(bad)


def test_a_gateway_that_knows_this_node_passes(storage: Storage) -> None:
    node, transport = _node(
        storage, Response(200, b'{"messages": []}', {"content-type": "application/json"})
    )
    note = probe_endpoint(node, "JP-CUSTOMS", "https://jp.example")
    assert transport.asked == [("GET", "https://jp.example/g2g/v1/messages?limit=1")]
    assert note == (
        "JP-CUSTOMS's gateway answered the connection test "
        "(GET https://jp.example/g2g/v1/messages?limit=1: 200)"
    )


def test_a_gateway_that_does_not_know_this_node_yet_passes_with_advice(
    storage: Storage,
) -> None:
    problem = b'{"code": "UNKNOWN_KEY", "status": 401}'
    node, _ = _node(storage, Response(401, problem, {"Content-Type": "application/problem+json"}))
    note = probe_endpoint(node, "JP-CUSTOMS", "https://jp.example")
    assert "401 UNKNOWN_KEY" in note and "send JP-CUSTOMS this node's trust list" in note


@pytest.mark.parametrize(
    ("status", "content_type"),
    [(404, "text/html"), (404, "application/problem+json"), (200, "text/html"), (302, "")],
)
def test_what_is_not_a_g2g_endpoint_is_refused_naming_what_answered(
    storage: Storage, status: int, content_type: str
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    node, _ = _node(storage, Response(status, b"<html>Not Found</html>", headers))
    with pytest.raises(Conflict) as info:
        probe_endpoint(node, "JP-CUSTOMS", "https://jp.example/g2g")
    assert info.value.detail.startswith(
        "https://jp.example/g2g is not JP-CUSTOMS's G2G endpoint: the connection test GET "
        f"https://jp.example/g2g/g2g/v1/messages?limit=1 was answered HTTP {status} "
        f"({content_type or 'no type'})"
    )


def test_a_gateway_that_does_not_answer_is_not_a_refusal(storage: Storage) -> None:
    node, _ = _node(storage, PartnerUnavailable("https://jp.example cannot be reached"))
    note = probe_endpoint(node, "JP-CUSTOMS", "https://jp.example")
    assert note.startswith("nothing answered the connection test (https://jp.example cannot")
