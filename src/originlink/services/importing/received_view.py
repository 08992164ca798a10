"""One received certificate as the customs officer's page shows it: the CO, its signature
checked again now against the trust lists, its status history, its links to other COs, what
remains of each item, the claims drawing on it and the verification cases about it.

The signature is checked again on every reading, not taken from the day of receipt: a key
revoked since then (a revocation dated before the signature) shows here at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.dataset import CODocument
from originlink.domain.dataset.enums import Relation
from originlink.domain.errors import NotFound
from originlink.domain.lifecycle import Side
from originlink.domain.quantities import micros_text
from originlink.services.context import Node
from originlink.services.issuing.certificates import effective_status
from originlink.store.repos.certificates import CertificateRecord
from originlink.trust.document import verify_document
from originlink.trust.verification import DocumentVerification


@dataclass(frozen=True, slots=True)
class Link:
    """Another CO this one is tied to; ``certificate_id`` when this node holds it."""

    relation: str
    issuing_country: str
    number: str
    certificate_id: str | None


@dataclass(frozen=True, slots=True)
class ReceivedView:
    record: CertificateRecord
    document: CODocument
    status: str
    signature: DocumentVerification | None
    signature_note: str | None
    history: list[dict[str, Any]]
    links: list[Link]
    items: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    cases: list[dict[str, Any]]

    @property
    def replaced_by(self) -> list[Link]:
        return [link for link in self.links if link.relation == "replaced_by"]


def _links(tx: Any, record: CertificateRecord, doc: CODocument) -> list[Link]:
    repo = tx.certificates
    out: list[Link] = []
    refs = doc.certificate.references
    for ref in refs.related_certificates or () if refs else ():
        if ref.relation not in (Relation.REPLACES, Relation.BACK_TO_BACK_OF):
            continue
        held = repo.find(
            side=Side.IMPORT.value, issuing_country=ref.issuing_country, number=ref.number
        )
        out.append(
            Link(ref.relation.value, ref.issuing_country, ref.number, held[0].id if held else None)
        )
    successors = {
        link["certificate_id"] for link in repo.links(record.id) if link["direction"] == "in"
    }
    if record.replaced_by_id:
        successors.add(record.replaced_by_id)
    for successor_id in sorted(s for s in successors if s):
        successor = repo.get(successor_id)
        if successor is not None:
            out.append(
                Link("replaced_by", successor.issuing_country, successor.number, successor.id)
            )
    return out


def received_certificate(node: Node, actor: Actor, certificate_id: str) -> ReceivedView:
    """The received CO ``certificate_id`` (NotFound for anything else, e.g. one issued here)."""
    actor.require(Permission.CLAIM_READ)
    with node.store.read() as tx:
        record = tx.certificates.get(certificate_id)
        if record is None or record.side != Side.IMPORT.value:
            raise NotFound(f"no received certificate {certificate_id}")
        doc = record.document()
        history = tx.certificates.events(record.id)
        links = _links(tx, record, doc)
        ledger = tx.ledger
        items = ledger.item_rows(record.id)
        claims = [
            {
                "declaration_id": held.declaration_id,
                "line_number": held.line_number,
                "item": held.sequence_number,
                "holds": micros_text(held.net_micros),
                "unit_code": held.unit_code,
            }
            for held in ledger.claims_on(record.id)
        ]
        cases, _ = tx.cases.search(
            side=Side.IMPORT.value, status=None, certificate_id=record.id, limit=50, offset=0
        )
    signature, note = None, None
    if doc.signatures is None or doc.signatures.issuing_authority is None:
        note = "the CO carries no issuing authority's signature"
    elif node.trust is None:
        note = "this node holds no trust lists"
    else:
        signature = verify_document(doc, node.trust, now=node.now(), skew=node.settings.clock_skew)
    return ReceivedView(
        record=record,
        document=doc,
        status=effective_status(record, node.now().date()),
        signature=signature,
        signature_note=note,
        history=history,
        links=links,
        items=items,
        claims=claims,
        cases=[c.as_dict() for c in cases],
    )
