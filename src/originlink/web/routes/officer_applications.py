"""The issuing officer's queue and decisions: submitted applications oldest first (filters by
agreement, exporter, age), an application's page with every finding and the attached
documents, issuing it (as the kind the exporter applied for: new, retroactive, back-to-back,
replacement or true copy) or refusing it with reasons.

Decisions are :func:`originlink.services.issuing.issuance.issue_application` and
:func:`originlink.services.issuing.applications.refuse_application`, with the officer's actor.
"""

from __future__ import annotations

import base64
import binascii
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import Conflict, InputError, NotFound, ValidationFailed
from originlink.services.issuing import applications as service
from originlink.services.issuing import issuance
from originlink.store.repos.applications import ApplicationFilter, ApplicationRecord
from originlink.web import choices
from originlink.web.guards import IssuingOfficer, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import gettext, render

router = APIRouter(prefix="/app/officer", route_class=WebRoute, include_in_schema=False)
PAGE = 25
#: The age filter: waiting at least this many days.
AGES = (1, 2, 5, 10, 30)


@router.get("/queue")
def queue(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    agreement: Annotated[str | None, Query(max_length=20)] = None,
    exporter: Annotated[str | None, Query(max_length=64)] = None,
    age: Annotated[int | None, Query(ge=0, le=3650)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    _ = gettext(request)
    filt = ApplicationFilter(
        status="SUBMITTED",
        agreement=agreement or None,
        organisation=(exporter or "").strip() or None,
        created_to=node.now() - timedelta(days=age) if age else None,
        oldest_first=True,
    )
    records, total = service.list_applications(node, session.actor, filt, limit=PAGE, offset=offset)
    query = "&".join(
        f"{k}={v}" for k, v in (("agreement", agreement), ("exporter", exporter), ("age", age)) if v
    )
    return render(
        request,
        "app/officer/queue.html",
        records=records,
        total=total,
        offset=offset,
        page=PAGE,
        agreement=agreement or "",
        exporter=exporter or "",
        age=age or 0,
        ages=AGES,
        agreements=choices.agreements(node),
        base="/app/officer/queue?" + (query + "&" if query else ""),
        message=_("The application is refused; the exporter sees your reasons.")
        if "refused" in request.query_params
        else None,
    )


def _page(
    request: Request,
    record: ApplicationRecord,
    *,
    status: int = 200,
    message: str | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> Response:
    return render(
        request,
        "app/officer/application.html",
        status=status,
        record=record,
        cert=record.content.get("certificate", {}),
        findings=findings if findings is not None else (record.findings or []),
        message=message,
        message_tone="bad" if status >= 400 else "good",
    )


@router.get("/applications/{app_id}")
def application(request: Request, node: NodeDep, session: IssuingOfficer, app_id: str) -> Response:
    record = service.get_application(node, session.actor, app_id)
    return _page(request, record)


@router.get("/applications/{app_id}/attachments/{attachment_id}")
def attachment(node: NodeDep, session: IssuingOfficer, app_id: str, attachment_id: str) -> Response:
    """An attached document, as the exporter attached it (downloaded, never shown inline)."""
    record = service.get_application(node, session.actor, app_id)
    for item in record.content.get("certificate", {}).get("attachments") or []:
        if isinstance(item, dict) and item.get("attachment_id") == attachment_id:
            try:
                data = base64.b64decode(item.get("content_base64") or "", validate=True)
            except (binascii.Error, ValueError):
                raise InputError(f"attachment {attachment_id} is not valid base64") from None
            name = "".join(c for c in str(item.get("filename") or attachment_id) if c.isalnum()
                           or c in "._-")  # fmt: skip
            return Response(
                data,
                media_type="application/octet-stream",
                headers={"Content-Disposition": f'attachment; filename="{name or "file"}"'},
            )
    raise NotFound(f"no attachment {attachment_id} in application {app_id}")


@router.post("/applications/{app_id}/issue")
def issue(request: Request, node: NodeDep, session: IssuingOfficer, app_id: str) -> Response:
    _ = gettext(request)
    try:
        issued = issuance.issue_application(node, session.actor, app_id)
    except ValidationFailed as exc:
        record = service.get_application(node, session.actor, app_id)
        message = _("The certificate was not issued: %(why)s") % {"why": exc.detail}
        found = [f.as_dict() for f in exc.findings]
        return _page(request, record, status=422, message=message, findings=found)
    except Conflict as exc:
        record = service.get_application(node, session.actor, app_id)
        message = _("The certificate was not issued: %(why)s") % {"why": exc.detail}
        return _page(request, record, status=409, message=message)
    target = f"/app/officer/certificates/{issued.certificate.id}?issued=1"
    return RedirectResponse(target, status_code=303)


@router.post("/applications/{app_id}/refuse")
def refuse(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    app_id: str,
    reasons: Annotated[str, Form(max_length=8192)] = "",
) -> Response:
    _ = gettext(request)
    lines = [line.strip() for line in reasons.splitlines() if line.strip()]
    try:
        service.refuse_application(node, session.actor, app_id, lines)
    except InputError:
        record = service.get_application(node, session.actor, app_id)
        message = _("Give at least one reason for refusing, one per line.")
        return _page(request, record, status=422, message=message)
    except Conflict as exc:
        record = service.get_application(node, session.actor, app_id)
        return _page(request, record, status=409, message=exc.detail)
    return RedirectResponse("/app/officer/queue?refused=1", status_code=303)
