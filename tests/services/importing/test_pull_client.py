"""services/importing/pull_client.py: serving a partner's mailbox page by page and one CO by
number (only to its importing party), and the fetching side — a CO already held costs no
request, what a partner refuses or garbles, and pulls announced by hybrid notifications, none
held back by another that fails. The pull, hybrid and hub models end to end are in
``tests/e2e/test_exchange_models.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from originlink.domain.errors import InputError, NotFound, TrustError
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType
from originlink.exchange.transport import Response
from originlink.services.importing import pull_client
from originlink.services.messaging.inbound import apply_message
from originlink.testing.network import Network, build_network
from tests.exchange_support import JP, NZ, SG, issue, sqlite_urls, two_gateways
from tests.services.support import message


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


def test_a_co_already_held_is_not_fetched_again(pull_net: Network) -> None:
    jp = pull_net["JP-CUSTOMS"]
    co = issue(pull_net["SG-CUSTOMS"]).certificate
    pull_net.drain()
    jp.node.transport = None  # a request would fail: none is made
    held = pull_client.fetch_certificate(jp.node, issuing_country="SG", number=co.number)
    assert (held.side, held.status, held.digest) == ("import", "RECEIVED", co.digest)


def test_fetching_needs_a_partner_in_the_country_that_answers(pull_net: Network) -> None:
    jp = pull_net["JP-CUSTOMS"]
    with pytest.raises(NotFound, match="no partner in NZ to pull X-1 from"):
        pull_client.fetch_certificate(jp.node, issuing_country="NZ", number="X-1")
    with pytest.raises(NotFound, match="does not have"):
        pull_client.fetch_certificate(jp.node, issuing_country="SG", number="RCEP-SG-2025-009999")
    jp.node.transport = Answers(403, b"{}")
    with pytest.raises(TrustError, match="SG-CUSTOMS refused the pull with HTTP 403") as info:
        pull_client.fetch_certificate(jp.node, issuing_country="SG", number="RCEP-SG-2025-000001")
    assert info.value.code == "PULL_REFUSED"


def test_a_garbled_mailbox_page_is_refused(pull_net: Network) -> None:
    jp = pull_net["JP-CUSTOMS"]
    jp.node.transport = answers = Answers(200, b'{"items": []}')
    with pytest.raises(InputError, match="SG-CUSTOMS's mailbox answer is not a page"):
        pull_client.poll_mailboxes(jp.node)
    assert answers.requests == ["GET https://sg-customs.gateway.example/g2g/v1/messages?cursor=0"]


def test_polling_reads_only_partners_marked_poll_and_moves_their_cursor(
    pull_net: Network,
) -> None:
    jp = pull_net["JP-CUSTOMS"]
    issue(pull_net["SG-CUSTOMS"])
    assert pull_client.poll_mailboxes(jp.node) == 1
    with jp.node.store.read() as tx:
        partner = tx.partners.get("SG-CUSTOMS")
    assert partner is not None and partner.cursor > 0
    assert pull_client.poll_mailboxes(jp.node) == 0  # nothing after the cursor
    with jp.node.store.read() as tx:
        receipts, _ = tx.outbox.search(message_type="receipt")
    assert [json.loads(r.payload)["outcome"] for r in receipts] == ["DELIVERED"]


def test_a_notification_whose_pull_fails_holds_back_no_other(tmp_path: Path) -> None:
    """Hybrid model: every round pulls what notifications announced. One announcement that
    cannot be pulled (here its digest matches no CO) must not keep the others waiting."""
    net = two_gateways(tmp_path, model="hybrid")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    co = issue(sg).certificate
    wrong = message(
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        signer=sg.signer,
        now=net.clock.now(),
        payload=json.dumps({"certificate_digest": "A" * 43}).encode(),
        message_type=MessageType.CO_NOTIFICATION,
        agreement="RCEP",
        document=DocumentRef(issuing_country="SG", number=co.number, status="ISSUED"),
    )
    assert apply_message(jp.node, wrong, caller="SG-CUSTOMS").status == 200
    assert pull_client.pull_announced(jp.node) == 1  # refused, and marked so
    with jp.node.store.read() as tx:
        refused = tx.inbox.get(str(wrong.envelope.message_id))
    assert refused is not None and refused.status == "PULL_REFUSED"
    assert refused.refusal_code == "PULL_DIGEST_MISMATCH"
    net.drain()  # SG's own notification arrives; JP's rounds pull what it announced
    assert _held(net, "JP-CUSTOMS", co.number) == ["RECEIVED"]
    net.close()
