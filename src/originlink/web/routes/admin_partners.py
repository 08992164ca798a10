"""The administrator's partners page: the partners with their model and endpoint, adding one
from its signed trust-list file, and a "test connection" button that says what answered.

Adding is :func:`originlink.services.node.partners.add_partner_checked`, as ``partners add``
does it (the trust list checked against the pinned roots, the endpoint asked before it is
saved); the test is
:func:`originlink.services.node.connection.test_connection`.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import InputError, PermanentError
from originlink.formats.registry import FORMATS
from originlink.services.node import partners as partner_service
from originlink.services.node.connection import ConnectionTest, test_connection
from originlink.store.repos.partners import MODELS
from originlink.web.guards import Administrator, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/admin", route_class=WebRoute, include_in_schema=False)

MAX_TRUST_LIST_BYTES = 512 * 1024


def _page(
    request: Request,
    node: NodeDep,
    session: Administrator,
    *,
    error: PermanentError | None = None,
    typed: dict[str, str] | None = None,
    tested: ConnectionTest | None = None,
) -> Response:
    return render(
        request,
        "app/admin/partners.html",
        status=400 if error else 200,
        partners=partner_service.list_partners(node, session.actor),
        models=MODELS,
        formats=FORMATS,
        error=error,
        typed=typed or {},
        tested=tested,
        done=request.query_params.get("done", "")[:200] or None,
        note=request.query_params.get("note", "")[:500] or None,
    )


@router.get("/partners")
def partners(request: Request, node: NodeDep, session: Administrator) -> Response:
    return _page(request, node, session)


@router.post("/partners")
async def add_partner(
    request: Request,
    node: NodeDep,
    session: Administrator,
    trust_list: Annotated[UploadFile | None, File()] = None,
    model: Annotated[str, Form(max_length=16)] = "push",
    endpoint: Annotated[str, Form(max_length=2048)] = "",
    agreements: Annotated[str, Form(max_length=200)] = "",
    payload_format: Annotated[str, Form(max_length=32)] = "canonical",
    hub: Annotated[str, Form(max_length=64)] = "",
    poll: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    typed = {"model": model, "endpoint": endpoint, "agreements": agreements, "hub": hub}
    typed["payload_format"] = payload_format
    try:
        if trust_list is None or not trust_list.filename:
            raise InputError(
                "choose the partner's signed trust-list file (trustlist export --out FILE)",
                pointer="trust_list",
            )
        data = await trust_list.read(MAX_TRUST_LIST_BYTES + 1)
        if len(data) > MAX_TRUST_LIST_BYTES:
            raise InputError(
                f"{trust_list.filename} is larger than {MAX_TRUST_LIST_BYTES} bytes",
                pointer="trust_list",
            )
        record, note = partner_service.add_partner_checked(
            node,
            session.actor,
            signed_trust_list=data,
            model=model,
            endpoint=endpoint.strip() or None,
            agreements=[a.strip().upper() for a in agreements.split(",") if a.strip()] or None,
            payload_format=payload_format,
            hub=hub.strip() or None,
            poll=poll == "on",
        )
    except PermanentError as exc:
        return _page(request, node, session, error=exc, typed=typed)
    query = {"done": f"partner:{record.participant_id}", **({"note": note} if note else {})}
    return RedirectResponse(f"/app/admin/partners?{urlencode(query)}", status_code=303)


@router.post("/partners/{participant_id}/test")
def test(request: Request, node: NodeDep, session: Administrator, participant_id: str) -> Response:
    tested = test_connection(node, session.actor, participant_id[:64])
    return _page(request, node, session, tested=tested)
