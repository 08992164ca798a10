"""Issuing authorities as their trust lists describe them: name, contact details, and where
their own node answers public verification.

Whoever doubts a certificate asks its issuing authority; the address to ask is the one the
authority published in its signed trust list (``contact``, and the ``public`` endpoint), not
one typed into this node by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from originlink.services.context import Node
from originlink.trust.certificates import Role

#: The endpoint name under which a participant's trust list publishes its public base URL.
PUBLIC_ENDPOINT = "public"


@dataclass(frozen=True, slots=True)
class IssuerContact:
    """An issuing authority as its trust list describes it."""

    participant_id: str
    name: str
    country: str
    contact: dict[str, str]
    public_base_url: str | None

    def verification_url(self, number: str, digest: str | None = None) -> str | None:
        """Where the authority's own node verifies ``number`` (None: it published no address)."""
        if self.public_base_url is None:
            return None
        url = f"{self.public_base_url.rstrip('/')}/verify/{self.country}/{number}"
        return f"{url}?d={digest}" if digest else url


def issuers_of(node: Node, country: str) -> tuple[IssuerContact, ...]:
    """The issuing authorities of ``country`` this node holds a trust list for (itself too),
    by name."""
    found: list[IssuerContact] = []
    if node.trust is None:
        return ()
    for tl in node.trust.participants():
        if tl.country != country or Role.ISSUING_AUTHORITY not in tl.roles:
            continue
        base = tl.endpoints.get(PUBLIC_ENDPOINT)
        if base is None and tl.participant_id == node.identity.participant_id:
            base = node.identity.public_base_url
        found.append(
            IssuerContact(
                participant_id=tl.participant_id,
                name=tl.name,
                country=tl.country,
                contact=tl.contact.present() if tl.contact else {},
                public_base_url=str(base) if base else None,
            )
        )
    return tuple(sorted(found, key=lambda c: c.name))


def own_issuer(node: Node) -> IssuerContact | None:
    """This node's own entry (its contact details), when its trust list is held here."""
    own = node.identity.participant_id
    return next(
        (c for c in issuers_of(node, node.identity.country) if c.participant_id == own), None
    )
