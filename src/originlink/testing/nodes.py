"""Nodes for tests: a complete node (store, frozen clock, profiles, keys from a test CA) in a
temporary folder, so a test can run issuance and exchange in milliseconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from originlink.bootstrap import bootstrap
from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.clock import FrozenClock
from originlink.services.context import Node, NodeIdentity
from originlink.services.node import users as user_service
from originlink.store.core import Store
from originlink.testing.ca import TEST_EPOCH, TestCA
from originlink.trust.document_signer import TrustDocumentSigner
from originlink.trust.signer import KeySigner

#: A moment inside the test certificates' validity, when the example COs are current.
TEST_NOW = datetime.fromisoformat("2025-03-04T01:00:00+00:00")


@dataclass
class TestNode:
    """A node plus the handles tests need: its key, its clock and ready-made actors."""

    __test__ = False

    node: Node
    #: The node's database itself, for tests that look at it below the unit of work.
    store: Store
    clock: FrozenClock
    signer: KeySigner
    officer: Actor
    exporter: Actor
    admin: Actor

    def close(self) -> None:
        self.store.dispose()


def build_test_node(
    database_url: str,
    *,
    ca: TestCA,
    participant: str = "SG-CUSTOMS",
    country: str = "SG",
    name: str = "Singapore Customs",
    timezone: str = "Asia/Singapore",
    now: datetime = TEST_NOW,
    public_base_url: str | None = "https://verify.example.sg",
    organisation: str = "SG-UEN-201912345K",
) -> TestNode:
    clock = FrozenClock(now)
    signer = ca.issue(
        participant,
        country,
        "issuing-authority",
        name=name,
        not_before=TEST_EPOCH,
        not_after=TEST_EPOCH + timedelta(days=3650),
    )
    store = Store(database_url)
    node = bootstrap(
        store=store,
        clock=clock,
        identity=NodeIdentity(
            participant_id=participant,
            name=name,
            country=country,
            authority_code=participant,
            timezone=timezone,
            public_base_url=public_base_url,
        ),
        signer=TrustDocumentSigner(signer),
    )
    officer = _user(node, "officer", Role.ISSUING_OFFICER, None)
    exporter = _user(node, "exporter", Role.EXPORTER, organisation)
    admin = _user(node, "admin", Role.ADMIN, None)
    return TestNode(node, store, clock, signer, officer, exporter, admin)


def _user(node: Node, username: str, role: Role, organisation: str | None) -> Actor:
    record = user_service.add_user(
        node, SYSTEM_ACTOR, username=username, role=role.value, organisation=organisation
    )
    return Actor(record.id, username, role, organisation, via="test")


__all__ = ["TEST_NOW", "TestNode", "build_test_node"]
