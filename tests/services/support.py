"""Building blocks of the service tests: a node built by the composition root on any storage
(the fake unit of work or the real store), applications taken to SUBMITTED or ISSUED, signed
messages and the ``Inbound`` a handler is given, and the audit records of an entity."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from originlink.bootstrap import bootstrap
from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.clock import FrozenClock
from originlink.domain.messages import DocumentRef, MessageType, PayloadFormat
from originlink.exchange.envelopes import build_message
from originlink.exchange.wire import WireMessage
from originlink.services.context import Node, NodeIdentity
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.services.issuing.issuance import Issued
from originlink.services.messaging.handlers import Inbound
from originlink.services.node import audit
from originlink.services.unit_of_work import Storage
from originlink.testing.network import Gateway
from originlink.testing.nodes import TEST_NOW, TestNode
from originlink.trust.signer import Signer
from originlink.trust.trustlist import TrustStore
from tests.node_support import application_content

SG_IDENTITY = NodeIdentity(
    participant_id="SG-CUSTOMS",
    name="Singapore Customs",
    country="SG",
    authority_code="SG-CUSTOMS",
    timezone="Asia/Singapore",
    agreements=("RCEP",),
)

ADMIN = Actor("admin-1", "admin", Role.ADMIN, via="test")
OFFICER = Actor("officer-1", "officer", Role.ISSUING_OFFICER, via="test")
CUSTOMS = Actor("customs-1", "customs", Role.CUSTOMS_OFFICER, via="test")
EXPORTER = Actor("exporter-1", "exporter", Role.EXPORTER, "SG-UEN-201912345K", via="test")
STRANGER = Actor("exporter-2", "stranger", Role.EXPORTER, "OTHER-ORG", via="test")


def node_on(
    store: Storage,
    *,
    trust: TrustStore | None = None,
    now: datetime = TEST_NOW,
    identity: NodeIdentity = SG_IDENTITY,
) -> Node:
    """A node on ``store`` built the one way every node is built (the composition root)."""
    return bootstrap(store=store, clock=FrozenClock(now), identity=identity, trust=trust)


def submitted(
    t: TestNode | Gateway,
    content: dict[str, Any] | None = None,
    *,
    kind: str = "new",
    related: str | None = None,
) -> str:
    """The id of an application created and submitted by the node's exporter."""
    draft = apps.create_application(
        t.node,
        t.exporter,
        content or application_content(),
        kind=kind,
        related_certificate_id=related,
    )
    apps.submit_application(t.node, t.exporter, draft.id)
    return draft.id


def issued(t: TestNode | Gateway, **kwargs: Any) -> Issued:
    """A CO issued by the node's officer from a submitted application."""
    return issuance.issue_application(t.node, t.officer, submitted(t, **kwargs))


def audit_actions(node: Node, entity_type: str, entity_id: str | None = None) -> list[str]:
    """The actions the audit chain holds for an entity (or a kind of entity), in order."""
    rows = audit.records(node, SYSTEM_ACTOR, entity_type=entity_type, entity_id=entity_id)
    return [r["action"] for r in rows]


def message(
    *,
    sender: str,
    recipient: str,
    signer: Signer,
    now: datetime,
    payload: bytes = b"{}",
    message_type: MessageType = MessageType.RECEIPT,
    agreement: str | None = None,
    correlation_id: str | None = None,
    document: DocumentRef | None = None,
    payload_format: PayloadFormat = PayloadFormat.CANONICAL,
) -> WireMessage:
    """A message signed by ``signer`` as ``sender``."""
    return build_message(
        message_type=message_type,
        sender=sender,
        recipient=recipient,
        payload=payload,
        now=now,
        signer=signer,
        agreement=agreement,
        correlation_id=correlation_id,
        document=document,
        payload_format=payload_format,
    )


def inbound(wire: WireMessage, *, caller: str | None = None, inline: bool = False) -> Inbound:
    """What a handler is given for ``wire`` once its envelope and sender were checked."""
    return Inbound(wire.envelope, wire.payload, caller or wire.envelope.sender, inline=inline)
