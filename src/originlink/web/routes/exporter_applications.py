"""The exporter's applications: the list with statuses, a new application by form or by file,
a draft's page (edit, live check, save, submit), withdrawal, and HS code suggestions.

Every action calls :mod:`originlink.services.issuing.applications` (or
:mod:`~originlink.services.issuing.application_files`) with the signed-in exporter; the
services decide what may happen. The form is translated to the CO content by
:mod:`originlink.web.application_form`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from originlink.domain.codelists import hs_search
from originlink.domain.errors import InputError, InvalidTransition, ValidationFailed
from originlink.services.context import Node
from originlink.services.issuing import application_files as files
from originlink.services.issuing import applications as service
from originlink.services.node.web_sessions import WebSession
from originlink.store.repos.applications import ApplicationFilter, ApplicationRecord
from originlink.web import choices
from originlink.web.application_form import (
    ITEM_NAMES,
    ApplicationForm,
    apply_form,
    form_of,
    place_findings,
    read_form,
)
from originlink.web.guards import Exporter, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import gettext, render

router = APIRouter(prefix="/app/exporter", route_class=WebRoute, include_in_schema=False)
PAGE = 25
STATUSES = ("DRAFT", "SUBMITTED", "ISSUED", "NOT_ISSUED")
#: Kinds an exporter chooses on the form (replacements and true copies start from a CO).
FORM_KINDS = ("new", "retroactive", "back_to_back")


@router.get("/applications")
def applications(
    request: Request,
    node: NodeDep,
    session: Exporter,
    status: Annotated[str | None, Query(max_length=16)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    wanted = status if status in STATUSES else None
    records, total = service.list_applications(
        node, session.actor, ApplicationFilter(status=wanted), limit=PAGE, offset=offset
    )
    return render(
        request,
        "app/exporter/applications.html",
        records=records,
        total=total,
        wanted=wanted,
        statuses=STATUSES,
        offset=offset,
        page=PAGE,
    )


def _blank(node: Node) -> ApplicationForm:
    agreement = (node.identity.agreements or ("",))[0]
    form = ApplicationForm()
    form.values = {
        "agreement": agreement,
        "exporting_country": node.identity.country,
        "exporter_country": node.identity.country,
        "producer_statement": "SAME_AS_EXPORTER",
    }
    form.items = [_blank_row(node, agreement)]
    return form


def _blank_row(node: Node, agreement: str | None) -> dict[str, str]:
    row = dict.fromkeys(ITEM_NAMES, "")
    row["origin_country"] = node.identity.country
    row["fob_currency"] = choices.fob_currency(node, agreement)
    return row


def _form_page(
    request: Request,
    node: NodeDep,
    form: ApplicationForm,
    *,
    record: ApplicationRecord | None,
    kind: str = "new",
    status: int = 200,
    message: str | None = None,
    reading: list[dict[str, Any]] | None = None,
    focus: str | None = None,
) -> HTMLResponse:
    agreement = form.values.get("agreement") or None
    return render(
        request,
        "app/exporter/application_form.html",
        status=status,
        form=form,
        record=record,
        kind=kind,
        kinds=FORM_KINDS,
        choices=choices.form_choices(node, agreement),
        message=message,
        message_tone="bad" if status >= 400 else "good",
        reading=reading or [],
        focus=focus,
    )


@router.get("/applications/new")
def new_application(request: Request, node: NodeDep, session: Exporter) -> Response:
    return _form_page(request, node, _blank(node), record=None)


async def _posted(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _row_action(node: Node, form: ApplicationForm, action: str) -> str | None:
    """Add or remove an item row (no saving); the field to focus afterwards."""
    agreement = form.values.get("agreement") or None
    if action == "add_item":
        form.items.append(_blank_row(node, agreement))
        return f"items-{len(form.items) - 1}-description"
    index = action.removeprefix("remove_item:")
    if index.isdigit() and int(index) < len(form.items) and len(form.items) > 1:
        del form.items[int(index)]
    return "add-item"


@router.post("/applications/new")
async def create(request: Request, node: NodeDep, session: Exporter) -> Response:
    fields = await _posted(request)
    form = read_form(fields)
    kind = fields.get("kind", "new")
    action = fields.get("action", "save")
    if action in {"add_item", "refresh"} or action.startswith("remove_item:"):
        focus = _row_action(node, form, action) if action != "refresh" else "agreement"
        return _form_page(request, node, form, record=None, kind=kind, focus=focus)
    agreement = form.values.get("agreement") or None
    content = apply_form({}, form, form_code=choices.form_code(node, agreement))
    try:
        record = service.create_application(
            node, session.actor, content, kind=kind if kind in FORM_KINDS else "new"
        )
    except ValidationFailed as exc:  # too empty to keep: nothing stored, findings shown
        place_findings(form, [f.as_dict() for f in exc.findings])
        return _form_page(request, node, form, record=None, kind=kind, status=422,
                          message=exc.detail)  # fmt: skip
    except InputError as exc:
        return _form_page(request, node, form, record=None, kind=kind, status=422,
                          message=exc.detail)  # fmt: skip
    return _after_save(request, node, session, record, submit=action == "submit")


def _after_save(
    request: Request, node: Node, session: WebSession, record: ApplicationRecord, *, submit: bool
) -> Response:
    _ = gettext(request)
    target = f"/app/exporter/applications/{record.id}"
    if not submit:
        return RedirectResponse(target + "?saved=1", status_code=303)
    try:
        service.submit_application(node, session.actor, record.id)
    except ValidationFailed as exc:
        fresh = service.get_application(node, session.actor, record.id)
        found = [f.as_dict() for f in exc.findings] or fresh.findings or []
        form = place_findings(form_of(fresh.content), found)
        message = _("The draft is saved but cannot be submitted yet: correct the findings marked.")
        return _form_page(request, node, form, record=fresh, kind=fresh.kind, status=422,
                          message=message)  # fmt: skip
    return RedirectResponse(target + "?submitted=1", status_code=303)


@router.post("/applications/check")
async def check(request: Request, node: NodeDep, session: Exporter) -> Response:
    """Live validation (htmx): the findings the form's content would have, nothing stored."""
    fields = await _posted(request)
    form = read_form(fields)
    agreement = form.values.get("agreement") or None
    content = apply_form({}, form, form_code=choices.form_code(node, agreement))
    findings = files.check_draft(node, session.actor, content)
    return render(request, "app/exporter/_findings.html", form=place_findings(form, findings))


@router.post("/applications/upload")
async def upload(request: Request, node: NodeDep, session: Exporter) -> Response:
    _ = gettext(request)
    posted = await request.form()
    document = posted.get("document")
    kind = posted.get("kind")
    if not isinstance(document, UploadFile) or not document.filename:
        message = _("Choose a file to upload.")
        return _form_page(request, node, _blank(node), record=None, status=400, message=message)
    data = await document.read(node.settings.max_document_bytes + 1)
    try:
        made = files.create_from_file(
            node,
            session.actor,
            data,
            filename=document.filename[:200],
            kind=kind if isinstance(kind, str) and kind in FORM_KINDS else "new",
        )
    except InputError as exc:
        message = _("The file could not be read: %(why)s") % {"why": exc.detail}
        return _form_page(request, node, _blank(node), record=None, status=422, message=message)
    except ValidationFailed as exc:  # a file too empty to be an application: nothing stored
        message = _("The file cannot be an application: %(why)s") % {"why": exc.detail}
        found = [f.as_dict() for f in exc.findings]
        return _form_page(
            request, node, _blank(node), record=None, status=422, message=message, reading=found
        )
    record = made.application
    findings = [*made.reading_findings, *(record.findings or [])]
    form = place_findings(form_of(record.content), findings)
    message = _("The file was read as %(format)s and saved as a draft. Check the fields below.") % {
        "format": made.format
    }
    return _form_page(request, node, form, record=record, kind=record.kind, message=message)


@router.get("/applications/{app_id}")
def application(request: Request, node: NodeDep, session: Exporter, app_id: str) -> Response:
    _ = gettext(request)
    record = service.get_application(node, session.actor, app_id)
    message = None
    if "saved" in request.query_params:
        message = _("The draft is saved.")
    elif "submitted" in request.query_params:
        message = _("The application is submitted to the issuing authority.")
    if record.status in {"DRAFT", "NOT_ISSUED"}:
        form = place_findings(form_of(record.content), record.findings or [])
        return _form_page(request, node, form, record=record, kind=record.kind, message=message)
    return render(request, "app/exporter/application.html", record=record, message=message)


@router.post("/applications/{app_id}")
async def update(request: Request, node: NodeDep, session: Exporter, app_id: str) -> Response:
    _ = gettext(request)
    record = service.get_application(node, session.actor, app_id)
    fields = await _posted(request)
    form = read_form(fields)
    action = fields.get("action", "save")
    if action in {"add_item", "refresh"} or action.startswith("remove_item:"):
        focus = _row_action(node, form, action) if action != "refresh" else "agreement"
        return _form_page(request, node, form, record=record, kind=record.kind, focus=focus)
    agreement = form.values.get("agreement") or None
    content = apply_form(record.content, form, form_code=choices.form_code(node, agreement))
    revision = fields.get("revision", "")
    try:
        updated = service.update_application(
            node,
            session.actor,
            app_id,
            content,
            expected_revision=int(revision) if revision.isdigit() else None,
        )
    except ValidationFailed as exc:
        place_findings(form, [f.as_dict() for f in exc.findings])
        return _form_page(request, node, form, record=record, kind=record.kind, status=422,
                          message=exc.detail)  # fmt: skip
    except (InputError, InvalidTransition) as exc:
        return _form_page(request, node, form, record=record, kind=record.kind, status=409,
                          message=exc.detail)  # fmt: skip
    return _after_save(request, node, session, updated, submit=action == "submit")


@router.post("/applications/{app_id}/withdraw")
def withdraw(node: NodeDep, session: Exporter, app_id: str) -> Response:
    service.withdraw_application(node, session.actor, app_id)
    return RedirectResponse(f"/app/exporter/applications/{app_id}?saved=1", status_code=303)


@router.get("/hs-codes")
def hs_codes(request: Request, session: Exporter) -> Response:
    """HS 2022 suggestions for what is typed in an HS code field (htmx fills a datalist)."""
    typed = next(
        (v for k, v in request.query_params.items() if k == "q" or k.endswith("-hs_code")), ""
    )
    return render(request, "app/exporter/_hs_options.html", entries=hs_search(typed[:100]))
