"""services/messaging/log.py: the message log — outbound messages with their delivery state,
inbound ones, refused traffic of both stages page by page, one message in full, and queueing a
DEAD or REJECTED message again by hand; who may read and who may re-send. Each use case runs on
the in-memory unit of work of ``tests/services/fakes.py`` and on the SQL store (SQLite,
PostgreSQL), with the same outcome."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from originlink.domain.clock import FrozenClock
from originlink.domain.errors import Forbidden, InvalidTransition, NotFound
from originlink.domain.messages import MessageType
from originlink.services.context import Node
from originlink.services.messaging import log
from originlink.services.messaging.receipts import not_readable, refuse
from originlink.services.unit_of_work import Storage
from originlink.testing import TestCA
from originlink.trust.signer import KeySigner
from tests.services.messaging.support import exchanging_node, partner, queue
from tests.services.support import ADMIN, CUSTOMS, EXPORTER, OFFICER, audit_actions, message


@pytest.fixture
def sg(storage: Storage, ca: TestCA) -> tuple[Node, KeySigner]:
    return exchanging_node(storage, ca)


def _tick(node: Node, minutes: int = 1) -> None:
    assert isinstance(node.clock, FrozenClock)
    node.clock.advance(timedelta(minutes=minutes))


def _refuse(node: Node, code: str, claimed_by: KeySigner | None = None) -> None:
    """A request refused before its sender was established; with ``claimed_by``, one whose
    envelope (naming JP as its sender) could be read."""
    envelope = None
    if claimed_by is not None:
        wire = message(
            sender="JP-CUSTOMS", recipient="SG-CUSTOMS", signer=claimed_by, now=node.now()
        )
        envelope = wire.envelope
    refuse(node, code=code, detail=f"{code} detail", body=b"{}", status=401, envelope=envelope)


def _unreadable(node: Node, jp_key: KeySigner, code: str) -> str:
    wire = message(sender="JP-CUSTOMS", recipient="SG-CUSTOMS", signer=jp_key, now=node.now())
    not_readable(node, wire, code=code, detail="cannot be applied", findings=None)
    return str(wire.envelope.message_id)


def test_outbound_messages_newest_first_filtered_and_paged(
    sg: tuple[Node, KeySigner], storage: Storage
) -> None:
    node, _ = sg
    with storage.transaction() as tx:
        tx.partners.upsert(partner("KR-CUSTOMS", "KR"))
    first = queue(node)
    _tick(node)
    second = queue(node, MessageType.VERIFICATION_REQUEST)
    _tick(node)
    third = queue(node, recipient="KR-CUSTOMS")
    ids = [str(m.envelope.message_id) for m in (first, second, third)]

    def listed(**filters: object) -> tuple[list[str], int]:
        rows, total = log.list_outbound(node, OFFICER, **filters)  # type: ignore[arg-type]
        return [r["message_id"] for r in rows], total

    assert listed() == ([ids[2], ids[1], ids[0]], 3)
    assert listed(partner="JP-CUSTOMS") == ([ids[1], ids[0]], 2)
    assert listed(message_type="verification.request") == ([ids[1]], 1)
    assert listed(since=node.now() - timedelta(minutes=1)) == ([ids[2], ids[1]], 2)
    assert listed(limit=1, offset=1) == ([ids[1]], 3)
    assert listed(status="DEAD") == ([], 0)
    rows, _ = log.list_outbound(node, CUSTOMS, limit=1)
    assert {k: rows[0][k] for k in ("recipient", "status", "route", "attempts")} == {
        "recipient": "KR-CUSTOMS",
        "status": "QUEUED",
        "route": "push",
        "attempts": 0,
    }


def test_one_message_is_shown_with_its_envelope(sg: tuple[Node, KeySigner]) -> None:
    node, jp_key = sg
    sent = queue(node)
    shown = log.show(node, ADMIN, str(sent.envelope.message_id))
    assert shown["outbound"]["envelope"] == json.loads(sent.envelope.stored_json())
    assert shown["outbound"]["payload_bytes"] == len(sent.payload)
    assert shown["outbound"]["receipt"] is None and "inbound" not in shown
    got = _unreadable(node, jp_key, "MSG_TYPE_NOT_HANDLED")
    inbound = log.show(node, ADMIN, got)["inbound"]
    assert (inbound["status"], inbound["refused"], inbound["refusal_code"]) == (
        "NOT_READABLE",
        True,
        "MSG_TYPE_NOT_HANDLED",
    )
    assert inbound["receipt"]["envelope"]["message_type"] == "receipt"
    with pytest.raises(NotFound, match="no message nope"):
        log.show(node, ADMIN, "nope")


def test_inbound_messages_are_listed_by_partner(sg: tuple[Node, KeySigner]) -> None:
    node, jp_key = sg
    first = _unreadable(node, jp_key, "A_CODE")
    _tick(node)
    second = _unreadable(node, jp_key, "B_CODE")
    rows, total = log.list_inbound(node, OFFICER, partner="JP-CUSTOMS")
    assert [r["message_id"] for r in rows] == [second, first] and total == 2
    assert log.list_inbound(node, OFFICER, partner="KR-CUSTOMS") == ([], 0)


def test_refused_traffic_of_both_stages_is_listed_newest_first(sg: tuple[Node, KeySigner]) -> None:
    node, jp_key = sg
    _refuse(node, "HTTPSIG_UNKNOWN_KEY")
    _tick(node)
    _unreadable(node, jp_key, "MSG_TYPE_NOT_HANDLED")
    _tick(node)
    _refuse(node, "MSG_SIGNATURE_INVALID", claimed_by=jp_key)
    items, total = log.list_refused(node, CUSTOMS)
    assert [(i["stage"], i["code"]) for i in items] == [
        ("transport", "MSG_SIGNATURE_INVALID"),
        ("content", "MSG_TYPE_NOT_HANDLED"),
        ("transport", "HTTPSIG_UNKNOWN_KEY"),
    ]
    assert total == 3
    assert [i["count"] for i in items] == [1, 1, 1]  # each row stands for one refusal
    by_code, _ = log.list_refused(node, CUSTOMS, code="MSG_TYPE_NOT_HANDLED")
    assert [(i["stage"], i["claimed_sender"]) for i in by_code] == [("content", "JP-CUSTOMS")]
    from_jp, count = log.list_refused(node, CUSTOMS, partner="JP-CUSTOMS")
    assert [i["code"] for i in from_jp] == ["MSG_SIGNATURE_INVALID", "MSG_TYPE_NOT_HANDLED"]
    assert count == 2


def test_refused_traffic_read_page_by_page_shows_every_item_once(
    sg: tuple[Node, KeySigner],
) -> None:
    """The back office pages through refused traffic with ``limit`` and ``offset``: the pages
    together are the whole list, in the same order as one page holding everything."""
    node, jp_key = sg
    _refuse(node, "FIRST")
    _tick(node)
    _unreadable(node, jp_key, "SECOND")
    _tick(node)
    _refuse(node, "THIRD")
    whole, total = log.list_refused(node, CUSTOMS)
    pages = [log.list_refused(node, CUSTOMS, limit=1, offset=n)[0] for n in range(total)]
    assert [p[0]["code"] if p else None for p in pages] == [i["code"] for i in whole]


def test_a_dead_message_is_queued_again_with_the_same_id(
    sg: tuple[Node, KeySigner], storage: Storage
) -> None:
    node, _ = sg
    woken: list[str] = []
    node.hooks.on_message_queued.append(lambda: woken.append("wake"))
    sent = str(queue(node).envelope.message_id)
    woken.clear()
    with pytest.raises(InvalidTransition, match=f"message {sent} is QUEUED; only DEAD or REJECTED"):
        log.resend(node, ADMIN, sent)
    with storage.transaction() as tx:  # as the delivery worker gives up
        tx.outbox.update(sent, status="DEAD", attempts=12, last_error="gave up", claimed_by=None)
    _tick(node, 30)
    again = log.resend(node, ADMIN, sent)
    assert (again["message_id"], again["status"], again["attempts"], again["last_error"]) == (
        sent,
        "QUEUED",
        0,
        None,
    )
    assert again["next_attempt_at"] == node.now().isoformat()
    assert (again["previous_attempts"], again["previous_status"]) == (12, "DEAD")
    assert woken == ["wake"]
    assert audit_actions(node, "message", sent)[-1] == "message.resend"
    with pytest.raises(NotFound, match="no outbound message nope"):
        log.resend(node, ADMIN, "nope")


def test_a_rejected_message_sent_once_is_said_to_have_been_sent_once(
    sg: tuple[Node, KeySigner], storage: Storage
) -> None:
    node, _ = sg
    sent = str(queue(node).envelope.message_id)
    with storage.transaction() as tx:  # delivered at the first attempt, then rejected
        tx.outbox.update(sent, status="REJECTED", attempts=1)
    again = log.resend(node, ADMIN, sent)
    assert (again["attempts"], again["previous_attempts"], again["previous_status"]) == (
        0,
        1,
        "REJECTED",
    )


def test_only_readers_read_the_log_and_only_the_administrator_resends(
    sg: tuple[Node, KeySigner],
) -> None:
    node, _ = sg
    sent = str(queue(node).envelope.message_id)
    for read in (log.list_outbound, log.list_inbound, log.list_refused):
        with pytest.raises(Forbidden, match="may not message read"):
            read(node, EXPORTER)
    with pytest.raises(Forbidden, match="may not message read"):
        log.show(node, EXPORTER, sent)
    for actor in (OFFICER, CUSTOMS, EXPORTER):
        with pytest.raises(Forbidden, match="may not message resend"):
            log.resend(node, actor, sent)
