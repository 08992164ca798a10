"""services/messaging/pull_serving.py: a partner's mailbox served page by page, and one CO
served by number, only to its importing party."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from originlink.domain.errors import Forbidden, NotFound
from originlink.domain.lifecycle import Side
from originlink.domain.messages import MessageType
from originlink.exchange.transport import Response
from originlink.services.messaging import pull_serving
from originlink.testing.network import Network, build_network
from tests.exchange_support import JP, NZ, SG, issue, sqlite_urls, two_gateways


class Answers:
    """A transport that answers every request with one canned response."""

    def __init__(self, status: int, body: bytes) -> None:
        self.response = Response(status, body)
        self.requests: list[str] = []

    def request(self, method: str, url: str, body: bytes = b"") -> Response:
        self.requests.append(f"{method} {url}")
        return self.response


@pytest.fixture
def pull_net(tmp_path: Path) -> Iterator[Network]:
    """SG keeps JP's messages in its mailbox; JP polls it."""
    network = two_gateways(tmp_path, model="pull")
    yield network
    network.close()


@pytest.fixture
def three(tmp_path: Path) -> Iterator[Network]:
    """SG, its partners JP (push) and NZ (pull)."""
    network = build_network([SG, JP, NZ], sqlite_urls(tmp_path, 3))
    network.connect("SG-CUSTOMS", "JP-CUSTOMS")
    network.connect("SG-CUSTOMS", "NZ-CUSTOMS", model_ab="pull")
    yield network
    network.close()


def _held(network: Network, gateway: str, number: str) -> list[str]:
    with network[gateway].node.store.read() as tx:
        found = tx.certificates.find(side=Side.IMPORT.value, issuing_country="SG", number=number)
    return [r.status for r in found]


def test_a_mailbox_is_served_page_by_page_to_its_partner_only(pull_net: Network) -> None:
    sg = pull_net["SG-CUSTOMS"]
    issue(sg)
    issue(sg)
    with pytest.raises(Forbidden, match="NZ-CUSTOMS is not a partner of this node"):
        pull_serving.serve_mailbox(sg.node, "NZ-CUSTOMS", cursor=0)
    first = pull_serving.serve_mailbox(sg.node, "JP-CUSTOMS", cursor=0, limit=1)
    (entry,) = first["messages"]
    assert entry["envelope"]["message_type"] == "co.issued" and first["more"] is True
    assert first["next_cursor"] == entry["cursor"]
    second = pull_serving.serve_mailbox(sg.node, "JP-CUSTOMS", cursor=first["next_cursor"])
    assert len(second["messages"]) == 1 and second["more"] is False
    last = pull_serving.serve_mailbox(sg.node, "JP-CUSTOMS", cursor=second["next_cursor"])
    assert last == {"messages": [], "next_cursor": second["next_cursor"], "more": False}
    with sg.node.store.read() as tx:
        states = {
            tx.mailbox.get(m["envelope"]["message_id"]).state
            for m in first["messages"] + second["messages"]
        }  # type: ignore[union-attr]
    assert states == {"FETCHED"}


def test_a_co_is_served_by_number_to_its_importing_party_only(three: Network) -> None:
    sg = three["SG-CUSTOMS"]
    co = issue(sg, importing="NZ").certificate  # waits in SG's mailbox for NZ
    with pytest.raises(Forbidden, match="KR-CUSTOMS is not a partner"):
        pull_serving.serve_certificate(
            sg.node, "KR-CUSTOMS", issuing_country="SG", number=co.number
        )
    with pytest.raises(NotFound, match="no CO SG RCEP-SG-2025-009999 was issued here"):
        pull_serving.serve_certificate(
            sg.node, "NZ-CUSTOMS", issuing_country="SG", number="RCEP-SG-2025-009999"
        )
    with pytest.raises(Forbidden, match="JP-CUSTOMS is not the importing party of"):
        pull_serving.serve_certificate(
            sg.node, "JP-CUSTOMS", issuing_country="SG", number=co.number
        )
    served = pull_serving.serve_certificate(
        sg.node, "NZ-CUSTOMS", issuing_country="SG", number=co.number
    )
    envelope = served.envelope
    assert (envelope.message_type, envelope.sender, envelope.recipient) == (
        MessageType.CO_ISSUED,
        "SG-CUSTOMS",
        "NZ-CUSTOMS",
    )
    assert served.payload == co.document_json.encode()
    with sg.node.store.read() as tx:
        sent, _ = tx.outbox.search(certificate_id=co.id)
        waiting = tx.mailbox.since("NZ-CUSTOMS", 0, 10)
    assert sorted((m.route, m.status) for m in sent) == [
        ("mailbox", "DELIVERED"),  # the copy waiting to be polled is delivered by this pull
        ("pulled", "DELIVERED"),
    ]
    assert [w.state for w in waiting] == ["FETCHED"]
    queued = next(m for m in sent if m.route == "mailbox")
    assert json.loads(queued.receipt or "{}") == {"pulled_by_number": True}
