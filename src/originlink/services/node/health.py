"""The node's health as the administrator's page shows it: who it is, whether its database
answers, what waits to be delivered and what is dead, its partners, and the signing
certificates of the trust lists it holds that expire soon or were revoked.

Each figure is read, never assumed: a database that does not answer is a finding on the page
(``database_ok`` false with the error's sentence), not an error page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from originlink import __version__
from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import OriginLinkError
from originlink.domain.lifecycle import DeliveryStatus
from originlink.services.context import Node

#: A listed certificate expiring within this is reported.
EXPIRY_WARNING = timedelta(days=60)


@dataclass(frozen=True, slots=True)
class CertificateWarning:
    participant: str
    sha256: str
    not_after: datetime
    revoked: bool


@dataclass(frozen=True, slots=True)
class NodeHealth:
    participant: str
    name: str
    country: str
    version: str
    now: datetime
    clock: str
    database_ok: bool
    database_detail: str
    signing_key: bool
    messages: dict[str, int] = field(default_factory=dict)
    partners: int = 0
    trust_lists: int = 0
    certificate_warnings: list[CertificateWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.database_ok and self.signing_key and not self.messages.get("DEAD")


def node_health(node: Node, actor: Actor) -> NodeHealth:
    actor.require(Permission.AUDIT_READ)
    now = node.now()
    messages: dict[str, int] = {}
    partners = 0
    ok, detail = True, "answers"
    try:
        with node.store.read() as tx:
            for status in DeliveryStatus:
                _, count = tx.outbox.search(status=status.value, limit=1)
                messages[status.value] = count
            partners = len(tx.partners.all())
    except OriginLinkError as exc:
        ok, detail = False, exc.detail
    warnings = []
    lists = node.trust.participants() if node.trust is not None else []
    for tl in lists:
        for entry in tl.certificates:
            revoked = entry.revoked_at is not None
            if revoked or entry.not_after - now <= EXPIRY_WARNING:
                warnings.append(
                    CertificateWarning(tl.participant_id, entry.sha256, entry.not_after, revoked)
                )
    return NodeHealth(
        participant=node.identity.participant_id,
        name=node.identity.name,
        country=node.identity.country,
        version=__version__,
        now=now,
        clock="simulated" if node.clock_control is not None else "real",
        database_ok=ok,
        database_detail=detail,
        signing_key=node.signer is not None,
        messages=messages,
        partners=partners,
        trust_lists=len(lists),
        certificate_warnings=sorted(warnings, key=lambda w: w.not_after),
    )
