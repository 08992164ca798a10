"""services/importing/received.py: the customs officer's list of received certificates — each
filter (status as read, EXPIRED included; partner; agreement; dates; number), pages that
follow a cursor without gaps or repeats, a page number, the capped total, refused filters
naming their field, and who may read it (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.bench.web import START, load_received
from originlink.domain.authz import Actor
from originlink.domain.errors import Forbidden, InputError
from originlink.services.importing.received import (
    ListQuery,
    decode_cursor,
    received_certificates,
    received_partners,
)
from originlink.store.repos import certificate_lists
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.services.support import CUSTOMS

SIZE = 130  # 5 minutes apart: the last arrived 645 minutes after START


def customs_officer(_node: object) -> Actor:
    return CUSTOMS


@pytest.fixture
def jp(db_url: str, ca: TestCA) -> TestNode:
    node = build_test_node(
        db_url, ca=ca, participant="JP-CUSTOMS", country="JP", now=START + timedelta(days=200)
    )
    load_received(node.store, 0, SIZE)
    return node


def _all_pages(jp: TestNode, query: ListQuery) -> list[str]:
    officer = customs_officer(jp.node)
    seen: list[str] = []
    while True:
        page = received_certificates(jp.node, officer, query)
        seen.extend(item.row.id for item in page.items)
        if page.next_after is None:
            return seen
        query = ListQuery(status=query.status, after=page.next_after)


def test_pages_follow_each_other_newest_first_without_gaps_or_repeats(jp: TestNode) -> None:
    ids = _all_pages(jp, ListQuery())
    assert len(ids) == SIZE and len(set(ids)) == SIZE
    first = received_certificates(jp.node, customs_officer(jp.node), ListQuery())
    times = [i.row.created_at for i in first.items]
    assert times == sorted(times, reverse=True) and first.total == SIZE
    third = received_certificates(jp.node, customs_officer(jp.node), ListQuery(page="3"))
    assert [i.row.id for i in third.items] == ids[100:] and third.page == 3


def test_each_filter_keeps_only_what_it_names(jp: TestNode) -> None:
    officer = customs_officer(jp.node)

    def listed(**values: str) -> list[tuple[str, str | None, str | None]]:
        page = received_certificates(jp.node, officer, ListQuery(**values))
        return [(i.status, i.row.partner, i.row.agreement) for i in page.items]

    assert {s for s, _, _ in listed(status="cancelled")} == {"CANCELLED"}
    assert {p for _, p, _ in listed(partner="KR-CUSTOMS")} == {"KR-CUSTOMS"}
    assert {a for _, _, a in listed(agreement="cptpp")} == {"CPTPP"}
    assert len(_all_pages(jp, ListQuery(status="REJECTED"))) == SIZE // 6 + (SIZE % 6 > 3)
    day = (START + timedelta(minutes=5 * 129)).date().isoformat()
    dated = received_certificates(jp.node, officer, ListQuery(issued_from=day, issued_to=day))
    assert dated.total == sum(
        1 for i in range(SIZE) if (START + timedelta(minutes=5 * i - 120)).date().isoformat() == day
    )
    numbered = received_certificates(jp.node, officer, ListQuery(number="CPTPP-KR"))
    assert numbered.items and all(i.row.number.startswith("CPTPP-KR") for i in numbered.items)


def test_expired_is_the_status_read_not_the_status_stored(jp: TestNode) -> None:
    officer = customs_officer(jp.node)
    jp.clock.advance(timedelta(days=200))  # every CO's 180 days have passed
    expired = received_certificates(jp.node, officer, ListQuery(status="EXPIRED"))
    still = received_certificates(jp.node, officer, ListQuery(status="RECEIVED"))
    received = sum(1 for i in range(SIZE) if i % 6 < 3)
    assert expired.total == received and {i.status for i in expired.items} == {"EXPIRED"}
    ends = [i.row.validity_end_date for i in expired.items]
    assert ends == sorted(ends, reverse=True)  # the most recently expired first
    assert len(set(_all_pages(jp, ListQuery(status="EXPIRED")))) == received
    assert still.total == 0


def test_the_total_is_counted_up_to_the_cap(jp: TestNode, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(certificate_lists, "COUNT_CAP", 100)
    page = received_certificates(jp.node, customs_officer(jp.node), ListQuery())
    assert (page.total, page.total_capped) == (100, True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (ListQuery(status="LOST"), "status"),
        (ListQuery(issued_from="2025-13-01"), "issued_from"),
        (ListQuery(issued_from="2025-03-02", issued_to="2025-03-01"), "issued_to"),
        (ListQuery(partner="P" * 65), "partner"),
        (ListQuery(page="0"), "page"),
        (ListQuery(page="201"), "page"),
        (ListQuery(after="not-a-cursor"), "after"),
        (ListQuery(after="x" * 121), "after"),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field(
    jp: TestNode, query: ListQuery, field: str
) -> None:
    with pytest.raises(InputError) as refused:
        received_certificates(jp.node, customs_officer(jp.node), query)
    assert refused.value.pointer == field


def test_a_cursor_round_trips_and_only_officers_and_admins_read(jp: TestNode) -> None:
    page = received_certificates(jp.node, customs_officer(jp.node), ListQuery())
    assert page.next_after is not None
    assert decode_cursor(page.next_after)[1] == page.items[-1].row.id
    assert received_partners(jp.node, jp.admin) == []  # from the partner table: none here
    for actor in (jp.exporter, jp.officer):
        with pytest.raises(Forbidden):
            received_certificates(jp.node, actor, ListQuery())
