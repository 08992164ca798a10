"""Building blocks of the message tests that run on any storage (the fake unit of work or the
SQL store): SG's node with its gateway key, trusting JP and KR, with JP as a push partner; and
messages SG queues for JP."""

from __future__ import annotations

from originlink.domain.messages import MessageType
from originlink.exchange.wire import WireMessage
from originlink.services.context import Node
from originlink.services.messaging.sending import send_message
from originlink.services.unit_of_work import Storage
from originlink.store.repos.partners import PartnerRecord
from originlink.testing import TestCA
from originlink.testing.nodes import TEST_NOW
from originlink.trust.signer import KeySigner
from tests.services.support import node_on


def partner(participant: str, country: str, model: str = "push") -> PartnerRecord:
    return PartnerRecord(
        participant_id=participant,
        name=participant,
        country=country,
        model=model,
        endpoint=f"https://{participant.lower()}.example/g2g",
        hub=None,
        agreements=("RCEP",),
        payload_format="canonical",
        poll=False,
        cursor=0,
        created_at=TEST_NOW,
        updated_at=TEST_NOW,
    )


def exchanging_node(storage: Storage, ca: TestCA) -> tuple[Node, KeySigner]:
    """SG's node on ``storage`` with its key, JP as partner; returns it and JP's key."""
    sg_key = ca.issue("SG-CUSTOMS", "SG")
    jp_key = ca.issue("JP-CUSTOMS", "JP", "customs")
    kr_key = ca.issue("KR-CUSTOMS", "KR", "customs")
    trust = ca.trust_store(
        *(ca.signed_trust_list(ca.trust_list(k)) for k in (sg_key, jp_key, kr_key))
    )
    node = node_on(storage, trust=trust)
    node.gateway = sg_key
    with storage.transaction() as tx:
        tx.partners.upsert(partner("JP-CUSTOMS", "JP"))
    return node, jp_key


def queue(
    node: Node,
    message_type: MessageType = MessageType.CO_UTILISATION,
    *,
    recipient: str = "JP-CUSTOMS",
    correlation_id: str | None = None,
) -> WireMessage:
    """A message SG queues for ``recipient`` in a unit of work of its own."""
    with node.store.transaction() as tx:
        return send_message(
            tx,
            node,
            recipient=recipient,
            message_type=message_type,
            payload={"n": 1},
            agreement="RCEP",
            correlation_id=correlation_id,
        )
