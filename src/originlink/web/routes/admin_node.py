"""The administrator's node pages: the audit chain (records by page, and its verification on
request) and the node's health.

Reading and verifying are :mod:`originlink.services.node.audit`'s; the health figures
:func:`originlink.services.node.health.node_health`'s.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from originlink.services.node import audit
from originlink.services.node.health import node_health
from originlink.web.guards import Administrator, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/admin", route_class=WebRoute, include_in_schema=False)

PAGE = 100


def _audit(request: Request, node: NodeDep, session: Administrator, *, check: bool) -> Response:
    after_text = request.query_params.get("after", "0")
    after = min(int(after_text), 10**12) if after_text.isdigit() else 0
    entity = request.query_params.get("entity_type", "")[:32] or None
    rows = audit.records(node, session.actor, entity_type=entity, after_seq=after, limit=PAGE)
    report = audit.verify(node, session.actor) if check else None
    return render(
        request,
        "app/admin/audit.html",
        rows=rows,
        after=after,
        entity_type=entity or "",
        next_after=rows[-1]["seq"] if len(rows) == PAGE else None,
        report=report,
    )


@router.get("/audit")
def audit_page(request: Request, node: NodeDep, session: Administrator) -> Response:
    return _audit(request, node, session, check=False)


@router.post("/audit/verify")
def verify_chain(request: Request, node: NodeDep, session: Administrator) -> Response:
    return _audit(request, node, session, check=True)


@router.get("/health")
def health(request: Request, node: NodeDep, session: Administrator) -> Response:
    return render(request, "app/admin/health.html", health=node_health(node, session.actor))
