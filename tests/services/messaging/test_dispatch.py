"""services/messaging/dispatch.py: the gateway-to-gateway routes as one function — which route
serves what, the problem+json answers for an unknown route, a wrong method, an unsigned or
untrusted caller and a refused or missing resource."""

from __future__ import annotations

import json
from typing import Any

from originlink.exchange.transport import InProcessTransport, Response
from originlink.services.messaging.dispatch import PREFIX, dispatch
from originlink.services.node import partners as partner_service
from originlink.testing.network import Network
from tests.exchange_support import issue
from tests.services.support import ADMIN


def _get(net: Network, caller: str, path: str, method: str = "GET") -> Response:
    """A request signed by ``caller``'s key to JP's routes."""
    transport = InProcessTransport(net[caller].signer, net.clock, net.wires)
    return transport.request(method, net["JP-CUSTOMS"].base_url + path)


def _problem(response: Response) -> dict[str, Any]:
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = json.loads(response.body)
    assert problem["status"] == response.status
    assert problem["type"] == "https://originlink.dev/problems/" + problem["code"].lower()
    return problem


def test_an_unknown_route_or_method_is_a_problem(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    outside = dispatch(jp.node, "GET", jp.base_url + "/api/v1/certificates", [], b"")
    assert outside.status == 404 and _problem(outside)["detail"] == "no route /api/v1/certificates"
    wrong = _get(net, "SG-CUSTOMS", PREFIX + "/messages", method="PUT")
    assert wrong.status == 405 and _problem(wrong)["code"] == "METHOD_NOT_ALLOWED"
    nowhere = _get(net, "SG-CUSTOMS", PREFIX + "/trustlists")
    assert nowhere.status == 405 and _problem(nowhere)["detail"] == f"GET {PREFIX}/trustlists"


def test_an_unsigned_request_is_not_authenticated(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    for route in ("/messages?cursor=0", "/certificates/SG/RCEP-SG-2025-000001"):
        answer = dispatch(jp.node, "GET", jp.base_url + PREFIX + route, [], b"")
        assert answer.status == 401 and _problem(answer)["code"].startswith("HTTPSIG")


def test_a_partner_reads_its_mailbox_page(net: Network) -> None:
    answer = _get(net, "SG-CUSTOMS", PREFIX + "/messages?cursor=5")
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    assert json.loads(answer.body) == {"messages": [], "next_cursor": 5, "more": False}


def test_a_caller_that_is_no_partner_is_forbidden(net: Network) -> None:
    partner_service.remove_partner(net["JP-CUSTOMS"].node, ADMIN, "SG-CUSTOMS")
    answer = _get(net, "SG-CUSTOMS", PREFIX + "/messages")
    assert answer.status == 403
    assert _problem(answer)["detail"] == "SG-CUSTOMS is not a partner of this node"


def test_a_co_is_served_by_number_and_a_missing_one_is_not_found(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    record = issue(sg).certificate
    transport = InProcessTransport(net["JP-CUSTOMS"].signer, net.clock, net.wires)
    served = transport.request("GET", f"{sg.base_url}{PREFIX}/certificates/SG/{record.number}")
    assert served.status == 200
    assert json.loads(served.body)["envelope"]["message_type"] == "co.issued"
    missing = transport.request("GET", f"{sg.base_url}{PREFIX}/certificates/SG/ATIGA%2FSG%2F9")
    assert missing.status == 404
    assert _problem(missing)["detail"] == "no CO SG ATIGA/SG/9 was issued here"
