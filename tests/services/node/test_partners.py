"""services/node/partners.py: adding partners from their trust lists (defaults, re-adding,
every refusal), listing, removing and the cached partner table — each use case run on the
in-memory unit of work of ``tests/services/fakes.py`` and on the SQL store (SQLite,
PostgreSQL), with the same outcome."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import timedelta
from types import SimpleNamespace

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.clock import FrozenClock
from originlink.domain.errors import ConfigurationError, Conflict, Forbidden, InputError, NotFound
from originlink.services.context import Node
from originlink.services.node import audit
from originlink.services.node import partners as partner_service
from originlink.services.unit_of_work import Storage
from originlink.store.audit import digest_of
from originlink.testing import TEST_EPOCH, TestCA
from originlink.testing.nodes import TEST_NOW
from tests.services.support import ADMIN, CUSTOMS, EXPORTER, OFFICER, audit_actions, node_on


@dataclass
class World:
    node: Node
    ca: TestCA
    kr_list: bytes
    """Korea's signed trust list, not imported yet."""

    @property
    def clock(self) -> FrozenClock:
        assert isinstance(self.node.clock, FrozenClock)
        return self.node.clock


@pytest.fixture
def world(storage: Storage, ca: TestCA) -> World:
    """SG's node trusting the lists of JP (RCEP and ATIGA), a hub, a participant without a
    g2g endpoint, and SG itself."""
    lists = [
        ca.trust_list(
            ca.issue("JP-CUSTOMS", "JP", "customs"),
            agreements=("RCEP", "ATIGA"),
            endpoints={"g2g": "https://jp.example/g2g"},
            name="Japan Customs",
        ),
        ca.trust_list(ca.issue("APAC-HUB", "SG", "gateway"), endpoints={"g2g": "https://hub"}),
        ca.trust_list(ca.issue("NZ-CUSTOMS", "NZ", "customs"), endpoints={"web": "https://nz"}),
        ca.trust_list(ca.issue("SG-CUSTOMS", "SG")),
    ]
    kr = ca.trust_list(ca.issue("KR-CUSTOMS", "KR", "customs"), agreements=("RCEP",))
    trust = ca.trust_store(*(ca.signed_trust_list(t) for t in lists), clock=FrozenClock(TEST_EPOCH))
    return World(node_on(storage, trust=trust), ca, ca.signed_trust_list(kr))


def test_a_partner_is_added_from_its_imported_trust_list_with_shared_agreements(
    world: World,
) -> None:
    node = world.node
    jp = partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="push")
    assert (jp.name, jp.country, jp.endpoint, jp.model, jp.hub) == (
        "Japan Customs",
        "JP",
        "https://jp.example",  # the trust list's /g2g form, kept as the gateway's base URL
        "push",
        None,
    )
    assert jp.agreements == ("RCEP",)  # ATIGA is JP's, not this node's
    assert (jp.payload_format, jp.poll, jp.cursor) == ("canonical", False, 0)
    assert jp.created_at == jp.updated_at == TEST_NOW
    assert partner_service.list_partners(node, ADMIN) == [jp]
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="partner")
    assert [(r["action"], r["entity_id"]) for r in rows] == [("partner.add", "JP-CUSTOMS")]
    assert rows[0]["before_digest"] is None
    assert rows[0]["after_digest"] == digest_of(jp.as_dict())


def test_chosen_agreements_endpoint_format_and_polling_are_kept(world: World) -> None:
    jp = partner_service.add_partner(
        world.node,
        ADMIN,
        participant_id="JP-CUSTOMS",
        model="pull",
        endpoint="https://other.example/g2g",
        agreements=["ATIGA", "RCEP"],
        payload_format="ubl",
        poll=True,
    )
    assert jp.agreements == ("ATIGA", "RCEP") and jp.endpoint == "https://other.example"
    assert (jp.model, jp.payload_format, jp.poll) == ("pull", "ubl", True)


def test_adding_a_partner_again_keeps_its_cursor_and_creation_time(
    world: World, storage: Storage
) -> None:
    node = world.node
    first = partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="push")
    with storage.transaction() as tx:
        tx.partners.set_cursor("JP-CUSTOMS", 42, TEST_NOW)
    world.clock.advance(timedelta(days=3))
    again = partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="pull")
    assert (again.model, again.cursor) == ("pull", 42)
    assert again.created_at == first.created_at and again.updated_at == TEST_NOW + timedelta(3)
    assert partner_service.list_partners(node, ADMIN) == [again]
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="partner")
    assert rows[1]["before_digest"] == digest_of(replace(first, cursor=42).as_dict())
    assert rows[1]["after_digest"] == digest_of(again.as_dict())


def test_a_signed_trust_list_is_imported_when_its_participant_is_added(world: World) -> None:
    node = world.node
    trust = node.require_trust()
    assert trust.participant("KR-CUSTOMS") is None
    kr = partner_service.add_partner(node, ADMIN, signed_trust_list=world.kr_list, model="push")
    assert kr.participant_id == "KR-CUSTOMS" and kr.agreements == ("RCEP",)
    assert trust.participant("KR-CUSTOMS") is not None


def test_a_partner_through_a_hub_needs_the_hub_as_a_partner_first(world: World) -> None:
    node = world.node
    with pytest.raises(InputError, match="needs --hub HUB_ID"):
        partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="hub")
    with pytest.raises(NotFound, match="add the hub APAC-HUB as a partner with its endpoint"):
        partner_service.add_partner(
            node, ADMIN, participant_id="JP-CUSTOMS", model="hub", hub="APAC-HUB"
        )
    partner_service.add_partner(node, ADMIN, participant_id="APAC-HUB", model="push")
    jp = partner_service.add_partner(
        node, ADMIN, participant_id="JP-CUSTOMS", model="hub", hub="APAC-HUB"
    )
    assert (jp.model, jp.hub) == ("hub", "APAC-HUB")
    assert [p.participant_id for p in partner_service.list_partners(node, ADMIN)] == [
        "APAC-HUB",
        "JP-CUSTOMS",
    ]


def test_bad_partners_are_refused_with_the_reason_and_nothing_is_stored(world: World) -> None:
    node = world.node
    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"participant_id": "JP-CUSTOMS", "model": "email"}, InputError, "unknown exchange model"),
        (
            {"participant_id": "JP-CUSTOMS", "model": "push", "payload_format": "pdf"},
            InputError,
            "unknown payload format 'pdf'",
        ),
        ({"model": "push"}, InputError, "give the partner's signed trust list"),
        ({"participant_id": "XX-NOBODY", "model": "push"}, NotFound, "no trust list of XX-NOBODY"),
        ({"participant_id": "SG-CUSTOMS", "model": "push"}, Conflict, "not its own partner"),
        (
            {"participant_id": "JP-CUSTOMS", "model": "push", "agreements": ["RCEP", "CPTPP"]},
            Conflict,
            "JP-CUSTOMS's trust list does not list CPTPP",
        ),
        (
            {"participant_id": "NZ-CUSTOMS", "model": "push"},
            InputError,
            "NZ-CUSTOMS lists no g2g endpoint: give --endpoint",
        ),
        (
            {"participant_id": "NZ-CUSTOMS", "model": "hybrid"},
            InputError,
            "lists no g2g endpoint",
        ),
    ]
    for options, error, reason in cases:
        with pytest.raises(error, match=reason):
            partner_service.add_partner(node, ADMIN, **options)  # type: ignore[arg-type]
    assert partner_service.list_partners(node, ADMIN) == []
    assert audit_actions(node, "partner") == []
    nz = partner_service.add_partner(node, ADMIN, participant_id="NZ-CUSTOMS", model="pull")
    assert nz.endpoint is None  # a partner that pulls needs no endpoint


def test_a_node_without_a_trust_store_says_how_to_get_one(storage: Storage) -> None:
    node = node_on(storage)
    with pytest.raises(ConfigurationError, match="originlink trustlist import"):
        partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="push")


def test_only_an_administrator_adds_or_removes_partners(world: World) -> None:
    node = world.node
    partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="push")
    for actor in (OFFICER, CUSTOMS, EXPORTER):
        with pytest.raises(Forbidden, match="may not partner manage"):
            partner_service.add_partner(node, actor, participant_id="APAC-HUB", model="push")
        with pytest.raises(Forbidden, match="may not partner manage"):
            partner_service.remove_partner(node, actor, "JP-CUSTOMS")
    with pytest.raises(Forbidden, match="may not message read"):
        partner_service.list_partners(node, EXPORTER)
    for reader in (OFFICER, CUSTOMS):
        assert [p.participant_id for p in partner_service.list_partners(node, reader)] == [
            "JP-CUSTOMS"
        ]


def test_a_removed_partner_is_gone_and_audited(world: World) -> None:
    node = world.node
    jp = partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="push")
    partner_service.remove_partner(node, ADMIN, "JP-CUSTOMS")
    assert partner_service.list_partners(node, ADMIN) == []
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="partner", entity_id="JP-CUSTOMS")
    assert [r["action"] for r in rows] == ["partner.add", "partner.remove"]
    assert rows[1]["before_digest"] == digest_of(jp.as_dict()) and rows[1]["after_digest"] is None
    assert json.loads(rows[1]["details"]) == {"via": "test"}
    with pytest.raises(NotFound, match="JP-CUSTOMS is not a partner"):
        partner_service.remove_partner(node, ADMIN, "JP-CUSTOMS")
    assert audit_actions(node, "partner") == ["partner.add", "partner.remove"]


def test_the_cached_table_follows_this_process_at_once_and_others_within_seconds(
    world: World, storage: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    node = world.node
    ticks = [1000.0]
    monkeypatch.setattr(partner_service, "time", SimpleNamespace(monotonic=lambda: ticks[0]))
    assert partner_service.cached_partners(node) == {}
    jp = partner_service.add_partner(node, ADMIN, participant_id="JP-CUSTOMS", model="push")
    assert partner_service.cached_partners(node) == {"JP-CUSTOMS": jp}
    with storage.transaction() as tx:  # as another process (the CLI) would
        tx.partners.remove("JP-CUSTOMS")
    ticks[0] += partner_service.CACHE_SECONDS - 0.1
    assert partner_service.cached_partners(node) == {"JP-CUSTOMS": jp}
    ticks[0] += 0.2
    assert partner_service.cached_partners(node) == {}
