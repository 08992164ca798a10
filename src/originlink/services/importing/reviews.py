"""Post-clearance review (P6, P7, P8): claims that used a CO which later turned out unusable.

When a received CO is cancelled or replaced (the issuer's ``co.status``), when verification does
not confirm the origin of an item, or when a verification request lapses without a reply, every
declaration line that still holds quantity of the CO (of the items concerned) is listed here for
customs to look at again. Listing is idempotent per line and reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.dataset import CODocument
from originlink.domain.errors import Conflict, NotFound, ValidationFailed
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.domain.quantities import micros_text
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord

#: Why a claim is listed, by the new status of the CO it used.
REASON_FOR_STATUS = {
    RecordStatus.CANCELLED.value: "CO_CANCELLED",
    RecordStatus.REPLACED.value: "CO_REPLACED",
}


def list_claims(
    tx: UnitOfWork,
    *,
    certificate_id: str,
    reason: str,
    details: dict[str, Any],
    now: datetime,
    items: Sequence[int] | None = None,
) -> list[dict[str, Any]]:
    """List every claim line holding quantity of the CO (of ``items``) for review."""
    reviews = tx.reviews
    listed = []
    for held in tx.ledger.claims_on(certificate_id, items):
        if held.net_micros <= 0:
            continue
        entry = {
            "declaration_id": held.declaration_id,
            "line_number": held.line_number,
            "item": held.sequence_number,
            "holds": micros_text(held.net_micros),
            "unit_code": held.unit_code,
        }
        reviews.add(
            declaration_id=held.declaration_id,
            line_number=held.line_number,
            certificate_id=certificate_id,
            sequence_number=held.sequence_number,
            reason=reason,
            details={**details, **entry},
            at=now,
        )
        listed.append(entry)
    if listed:
        tx.audit.append(
            at=now,
            actor="system:reviews",
            action="claims.review_listed",
            entity_type="certificate",
            entity_id=certificate_id,
            details={"reason": reason, "claims": len(listed)},
        )
    return listed


def list_for_review(
    tx: UnitOfWork, node: Node, record: CertificateRecord, _doc: CODocument, reason: str
) -> None:
    """Status hook: a received CO that becomes CANCELLED or REPLACED lists the claims that
    used it for post-clearance review."""
    if record.side != Side.IMPORT.value or record.status not in REASON_FOR_STATUS:
        return
    list_claims(
        tx,
        certificate_id=record.id,
        reason=REASON_FOR_STATUS[record.status],
        details={
            "co_number": record.number,
            "co_status": record.status,
            "status_reason": reason,
            "replaced_by": record.replaced_by_id,
        },
        now=node.now(),
    )


def list_reviews(
    node: Node,
    actor: Actor,
    *,
    status: str | None = None,
    certificate_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    actor.require(Permission.CLAIM_READ)
    with node.store.read() as tx:
        return tx.reviews.search(
            status=status, certificate_id=certificate_id, limit=limit, offset=offset
        )


def close_review(node: Node, actor: Actor, review_id: int, *, note: str) -> dict[str, Any]:
    """Close a review with the officer's conclusion."""
    actor.require(Permission.CLAIM_DECIDE)
    if not note.strip():
        raise ValidationFailed("closing a review needs a note with the conclusion", [])
    now = node.now()
    with node.store.transaction() as tx:
        reviews = tx.reviews
        if reviews.get(review_id) is None:
            raise NotFound(f"no review {review_id}")
        if not reviews.close(review_id, by=actor.label, note=note.strip(), at=now):
            raise Conflict(f"review {review_id} is already closed")
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="claims.review_closed",
            entity_type="review",
            entity_id=str(review_id),
            details={"via": actor.via},
        )
        closed = reviews.get(review_id)
    assert closed is not None
    return closed
