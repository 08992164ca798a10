"""Verification requests addressed to this issuing authority (P8): the list with deadlines, a
request's page (reasons, questions, items, proposed visit, files), acknowledging it (and
consenting to or refusing a visit), and answering per item with evidence files.

The answer goes to :func:`originlink.services.verification.answers.answer` in the shape the API
takes: the form's files are put in as base64, the service checks their type and size.
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from originlink.domain.errors import Conflict, InputError, ValidationFailed
from originlink.domain.evidence import MAX_FILES
from originlink.domain.verification import ItemResult
from originlink.services.verification import answers, cases
from originlink.web.guards import IssuingOfficer, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import gettext, render

router = APIRouter(prefix="/app/officer", route_class=WebRoute, include_in_schema=False)
PAGE = 25
STATUSES = ("OPEN", "ACKNOWLEDGED", "ANSWERED", "CLOSED")


@router.get("/verifications")
def verifications(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    status: Annotated[str | None, Query(max_length=16)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    wanted = status if status in STATUSES else None
    found, total = cases.list_cases(
        node, session.actor, side="export", status=wanted, limit=PAGE, offset=offset
    )
    return render(
        request,
        "app/officer/verifications.html",
        cases=found,
        total=total,
        wanted=wanted,
        statuses=STATUSES,
        offset=offset,
        page=PAGE,
        now=node.now(),
    )


def _page(
    request: Request,
    node: NodeDep,
    session: IssuingOfficer,
    case_id: str,
    *,
    status: int = 200,
    message: str | None = None,
    findings: list[dict[str, Any]] | None = None,
) -> Response:
    case = cases.get_case(node, session.actor, case_id)
    return render(
        request,
        "app/officer/verification.html",
        status=status,
        case=case,
        results=[r.value for r in ItemResult],
        message=message,
        message_tone="bad" if status >= 400 else "good",
        findings=findings or [],
        now=node.now(),
    )


@router.get("/verifications/{case_id}")
def verification(
    request: Request, node: NodeDep, session: IssuingOfficer, case_id: str
) -> Response:
    _ = gettext(request)
    message = None
    if "acknowledged" in request.query_params:
        message = _("The request is acknowledged; the requesting customs is told.")
    elif "answered" in request.query_params:
        message = _("The answer is sent to the requesting customs.")
    return _page(request, node, session, case_id, message=message)


@router.get("/verifications/{case_id}/files/{file_id}")
def case_file(node: NodeDep, session: IssuingOfficer, case_id: str, file_id: str) -> Response:
    name, _media_type, content, _sha = cases.get_file(node, session.actor, case_id, file_id)
    safe = "".join(c for c in name if c.isalnum() or c in "._-") or "file"
    return Response(
        content,
        media_type="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


@router.post("/verifications/{case_id}/acknowledge")
async def acknowledge(
    request: Request, node: NodeDep, session: IssuingOfficer, case_id: str
) -> Response:
    form = await request.form()
    data: dict[str, Any] = {}
    consent, remarks = form.get("visit_consent"), form.get("remarks")
    if isinstance(consent, str) and consent in {"GRANTED", "REFUSED"}:
        data["visit_consent"] = consent
    if isinstance(remarks, str) and remarks.strip():
        data["remarks"] = remarks.strip()
    try:
        answers.acknowledge(node, session.actor, case_id, data)
    except (Conflict, ValidationFailed) as exc:
        found = [f.as_dict() for f in getattr(exc, "findings", [])]
        return _page(
            request, node, session, case_id, status=409, message=exc.detail, findings=found
        )
    return RedirectResponse(f"/app/officer/verifications/{case_id}?acknowledged=1", 303)


@router.post("/verifications/{case_id}/answer")
async def answer(
    request: Request, node: NodeDep, session: IssuingOfficer, case_id: str
) -> Response:
    form = await request.form()
    items = []
    for key, value in form.items():
        if key.startswith("result-") and isinstance(value, str) and value:
            number = key.removeprefix("result-")
            text = form.get(f"findings-{number}")
            items.append(
                {
                    "item": int(number) if number.isdigit() else number,
                    "result": value,
                    "findings": text.strip() if isinstance(text, str) else "",
                }
            )
    files = []
    for upload in form.getlist("evidence")[: MAX_FILES + 1]:
        if isinstance(upload, UploadFile) and upload.filename:
            content = await upload.read(node.settings.max_attachment_bytes + 1)
            files.append(
                {
                    "name": upload.filename[:200],
                    "media_type": upload.content_type or "application/octet-stream",
                    "content": base64.b64encode(content).decode(),
                }
            )
    summary = form.get("summary")
    data: dict[str, Any] = {"items": items, "attachments": files}
    if isinstance(summary, str) and summary.strip():
        data["summary"] = summary.strip()
    try:
        answers.answer(node, session.actor, case_id, data)
    except (Conflict, ValidationFailed, InputError) as exc:
        found = [f.as_dict() for f in getattr(exc, "findings", [])]
        return _page(
            request, node, session, case_id, status=422, message=exc.detail, findings=found
        )
    return RedirectResponse(f"/app/officer/verifications/{case_id}?answered=1", 303)
