"""``/api/v1/messages`` and ``/api/v1/partners``: delivery tracking, refused traffic,
re-sending, and reconciliation with a partner."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from originlink.api.deps import MAX_CODE, ActorDep, IdPath, NodeDep, PageDep
from originlink.services.messaging import log as message_service
from originlink.services.messaging.reconciliation import reconcile
from originlink.services.node import partners as partner_service

router = APIRouter(tags=["messages"])

Since = Annotated[datetime | None, Query(description="Only since this time (ISO 8601).")]
PartnerQ = Annotated[str | None, Query(max_length=MAX_CODE, description="Partner participant id.")]


@router.get("/messages", summary="Outbound messages and their delivery state")
def outbound(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    status: Annotated[
        str | None,
        Query(
            max_length=MAX_CODE,
            description="QUEUED, SENDING, RETRYING, DELIVERED, ACCEPTED, REJECTED, DEAD",
        ),
    ] = None,
    partner: PartnerQ = None,
    message_type: Annotated[
        str | None, Query(max_length=MAX_CODE, description="e.g. co.issued, co.status")
    ] = None,
    since: Since = None,
) -> dict[str, Any]:
    """Newest first, with attempts and the last error of undelivered ones."""
    items, total = message_service.list_outbound(
        node,
        actor,
        status=status,
        partner=partner,
        message_type=message_type,
        since=since,
        limit=page.limit,
        offset=page.offset,
    )
    return page.envelope(items, total)


@router.get("/messages/inbound", summary="Received messages")
def inbound(
    node: NodeDep, actor: ActorDep, page: PageDep, partner: PartnerQ = None, since: Since = None
) -> dict[str, Any]:
    """Every message received and applied (or found not readable), newest first."""
    items, total = message_service.list_inbound(
        node, actor, partner=partner, since=since, limit=page.limit, offset=page.offset
    )
    return page.envelope(items, total)


@router.get("/messages/refused", summary="Refused traffic")
def refused(
    node: NodeDep,
    actor: ActorDep,
    page: PageDep,
    code: Annotated[
        str | None, Query(max_length=MAX_CODE, description="e.g. HTTPSIG_UNKNOWN_KEY")
    ] = None,
    partner: PartnerQ = None,
    since: Since = None,
) -> dict[str, Any]:
    """Requests refused before their sender was established (bad signature, unknown key,
    replay, oversized) and authenticated messages that could not be accepted."""
    items, total = message_service.list_refused(
        node, actor, code=code, partner=partner, since=since, limit=page.limit, offset=page.offset
    )
    return page.envelope(items, total)


@router.get("/messages/{message_id}", summary="One message")
def show(message_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Envelope, delivery state, signed receipt and business response."""
    return message_service.show(node, actor, message_id)


@router.post("/messages/{message_id}/resend", summary="Send a DEAD message again")
def resend(message_id: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Queues a DEAD or REJECTED message again with the same message id (administrators)."""
    return message_service.resend(node, actor, message_id)


@router.get("/partners", summary="Partners")
def partners(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """The partners of this node with their exchange model, endpoint and agreements."""
    items = [p.as_dict() for p in partner_service.list_partners(node, actor)]
    return {"items": items, "total": len(items)}


@router.get("/partners/{participant}/reconciliation", summary="Reconcile with a partner")
def reconciliation(
    participant: IdPath,
    node: NodeDep,
    actor: ActorDep,
    since: Since = None,
    ids: Annotated[bool, Query(description="List message ids.")] = True,
) -> dict[str, Any]:
    """Counts (and ids) of messages sent, delivered, accepted, rejected, dead, and received,
    for comparing with the partner's own report (P14)."""
    return reconcile(node, actor, participant, since=since, with_ids=ids)
