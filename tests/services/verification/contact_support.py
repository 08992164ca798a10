"""Publish contact details in a participant's trust list, as ``trustlist export --contact-*``
does: the next sequence, signed, imported into one gateway's trust store."""

from __future__ import annotations

from originlink.testing.network import Gateway, Network
from originlink.trust.listmodel import Contact

SG_CONTACT = Contact(
    email="verify@customs.example.sg",
    phone="+65 6355 2000",
    address="55 Newton Road, Singapore 307987",
    web="https://www.customs.example.sg/origin",
)


def publish_contact(
    net: Network, at: Gateway, participant: str, contact: Contact = SG_CONTACT, **endpoints: str
) -> None:
    """``at`` accepts ``participant``'s next trust list, which carries ``contact``."""
    trust = at.node.require_trust()
    current = trust.participant(participant)
    assert current is not None
    new = current.model_copy(
        update={
            "contact": contact,
            "sequence": current.sequence + 1,
            "endpoints": {**current.endpoints, **endpoints},
        }
    )
    trust.import_list(net.ca.signed_trust_list(new))
