"""The administrator's exchange pages: outbound messages with their delivery states (dead
letters first among the filters), re-sending a dead or rejected message, and the
reconciliation report of one partner.

Reading and re-sending are :mod:`originlink.services.messaging.log`'s, the report
:func:`originlink.services.messaging.reconciliation.reconcile`'s.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import InputError, InvalidTransition
from originlink.domain.lifecycle import DeliveryStatus
from originlink.services.messaging import log, reconciliation
from originlink.services.node import partners as partner_service
from originlink.web.guards import Administrator, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/admin", route_class=WebRoute, include_in_schema=False)

PAGE = 50


@router.get("/messages")
def messages(request: Request, node: NodeDep, session: Administrator) -> Response:
    params = request.query_params
    status = params.get("status", "")[:16]
    partner = params.get("partner", "")[:64]
    offset_text = params.get("offset", "0")
    offset = min(int(offset_text), 100_000) if offset_text.isdigit() else 0
    found, total = log.list_outbound(
        node,
        session.actor,
        status=status if status in DeliveryStatus.__members__ else None,
        partner=partner or None,
        limit=PAGE,
        offset=offset,
    )
    return render(
        request,
        "app/admin/messages.html",
        messages=found,
        total=total,
        offset=offset,
        page_size=PAGE,
        status_filter=status,
        partner_filter=partner,
        statuses=[s.value for s in DeliveryStatus],
        partners=[p.participant_id for p in partner_service.list_partners(node, session.actor)],
        error=None,
        done=params.get("done", "")[:200] or None,
    )


@router.post("/messages/{message_id}/resend")
def resend(request: Request, node: NodeDep, session: Administrator, message_id: str) -> Response:
    try:
        log.resend(node, session.actor, message_id[:64])
    except InvalidTransition as exc:
        return render(
            request,
            "app/admin/messages.html",
            status=409,
            messages=[],
            total=0,
            offset=0,
            page_size=PAGE,
            status_filter="",
            partner_filter="",
            statuses=[s.value for s in DeliveryStatus],
            partners=[],
            error=exc,
            done=None,
        )
    return RedirectResponse(
        f"/app/admin/messages?status=QUEUED&done=resent:{message_id[:64]}", status_code=303
    )


@router.get("/reconciliation/{partner}")
def reconciliation_page(
    request: Request, node: NodeDep, session: Administrator, partner: str
) -> Response:
    since_text = request.query_params.get("since", "")[:10]
    error = None
    since = None
    if since_text:
        try:
            since = datetime.combine(datetime.fromisoformat(since_text).date(), time(), UTC)
        except ValueError:
            error = InputError(f"{since_text!r} is not a date (YYYY-MM-DD)", pointer="since")
    report = reconciliation.reconcile(node, session.actor, partner[:64], since=since)
    return render(
        request,
        "app/admin/reconciliation.html",
        status=400 if error else 200,
        report=report,
        since=since_text,
        error=error,
    )
