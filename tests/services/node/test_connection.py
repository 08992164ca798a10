"""services/node/connection.py: the administrator's test connection — the partner answered
and knows us; nothing answered; a gateway refused our signature; another participant
answered at the address; and the ping a node answers (who it is, whether the caller is its
partner)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from originlink.domain.authz import Actor, Role
from originlink.domain.errors import Forbidden, NotFound
from originlink.exchange.transport import Response
from originlink.services.node import connection
from originlink.services.node.connection import ping
from originlink.testing.network import Network

ADMIN = Actor("admin-1", "admin", Role.ADMIN, via="test")


class Canned:
    """A transport that answers every request with one response."""

    def __init__(self, status: int, body: dict[str, object]) -> None:
        self.response = Response(status, json.dumps(body).encode())

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        return self.response


def test_the_partner_answers_and_knows_us(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    result = connection.test_connection(jp.node, ADMIN, "SG-CUSTOMS")
    assert result.ok and result.outcome == "ok" and result.status == 200
    assert result.url == "https://sg-customs.gateway.example/g2g/v1/ping"
    assert result.answer is not None and result.answer["caller"] == "JP-CUSTOMS"
    assert "has this node as a partner" in result.detail


def test_nothing_answers(net: Network) -> None:
    net.wires.set_down(net["SG-CUSTOMS"].base_url)
    result = connection.test_connection(net["JP-CUSTOMS"].node, ADMIN, "SG-CUSTOMS")
    assert (result.ok, result.outcome) == (False, "unreachable")
    assert "cannot be reached" in result.detail


@pytest.mark.parametrize(
    ("status", "body", "outcome", "words"),
    [
        (401, {"detail": "unknown key"}, "refused", "does not accept this node's signature"),
        (200, {"participant": "KR-CUSTOMS"}, "wrong_participant", "KR-CUSTOMS answered"),
        (404, {"title": "Not Found"}, "unexpected", "not an OriginLink gateway's ping"),
    ],
)
def test_what_else_can_answer(
    net: Network, status: int, body: dict[str, object], outcome: str, words: str
) -> None:
    jp = net["JP-CUSTOMS"]
    node = replace(jp.node, transport=Canned(status, body))
    result = connection.test_connection(node, ADMIN, "SG-CUSTOMS")
    assert (result.ok, result.outcome) == (False, outcome) and words in result.detail


def test_only_partners_and_only_administrators(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    with pytest.raises(NotFound):
        connection.test_connection(jp.node, ADMIN, "KR-CUSTOMS")
    with pytest.raises(Forbidden):
        connection.test_connection(jp.node, jp.customs, "SG-CUSTOMS")


def test_the_ping_says_who_answers_and_whether_the_caller_is_a_partner(net: Network) -> None:
    sg = net["SG-CUSTOMS"].node
    assert ping(sg, "JP-CUSTOMS")["caller_is_partner"] is True
    answer = ping(sg, "KR-CUSTOMS")
    assert answer["participant"] == "SG-CUSTOMS" and answer["caller_is_partner"] is False
