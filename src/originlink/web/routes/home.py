"""``/app/``: each role's home (what waits for the user, and the role's pages); the language
switch; the node's own static files."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.authz import Role
from originlink.domain.errors import NotFound
from originlink.services.context import Node
from originlink.services.issuing import applications as app_service
from originlink.services.issuing import certificates as cert_service
from originlink.services.node.web_sessions import WebSession
from originlink.services.verification import cases
from originlink.store.repos.applications import ApplicationFilter
from originlink.store.repos.certificates import CertificateFilter
from originlink.web.guards import NodeDep, SignedIn
from originlink.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from originlink.web.navigation import N_
from originlink.web.routes.sign_in import safe_next
from originlink.web.security import WebRoute
from originlink.web.state import set_cookie
from originlink.web.templating import render

router = APIRouter(prefix="/app", route_class=WebRoute, include_in_schema=False)

#: The files under ``web/static`` a page may load, with their media types.
STATIC_FILES = {
    "htmx.min.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
}


def _facts(node: Node, session: WebSession) -> list[tuple[str, int, str]]:
    """What waits for the user, as (label, count, link): read through the same services as
    the pages the links lead to."""
    actor = session.actor
    if actor.role is Role.EXPORTER:

        def applications(status: str) -> int:
            filt = ApplicationFilter(status=status)
            return app_service.list_applications(node, actor, filt, limit=1, offset=0)[1]

        issued = cert_service.list_certificates(
            node, actor, CertificateFilter(side="export", status="ISSUED"), limit=1, offset=0
        )[1]
        return [
            (N_("Drafts"), applications("DRAFT"), "/app/exporter/applications?status=DRAFT"),
            (
                N_("Submitted"),
                applications("SUBMITTED"),
                "/app/exporter/applications?status=SUBMITTED",
            ),
            (
                N_("Refused"),
                applications("NOT_ISSUED"),
                "/app/exporter/applications?status=NOT_ISSUED",
            ),
            (N_("Certificates issued"), issued, "/app/exporter/certificates?status=ISSUED"),
        ]
    if actor.role is Role.ISSUING_OFFICER:
        waiting = app_service.list_applications(
            node, actor, ApplicationFilter(status="SUBMITTED"), limit=1, offset=0
        )[1]
        requests = sum(
            cases.list_cases(node, actor, side="export", status=status, limit=1)[1]
            for status in ("OPEN", "ACKNOWLEDGED")
        )
        return [
            (N_("Applications waiting"), waiting, "/app/officer/queue"),
            (N_("Verification requests to answer"), requests, "/app/officer/verifications"),
        ]
    return []


@router.get("/")
def home(request: Request, node: NodeDep, session: SignedIn) -> Response:
    return render(request, "app/home.html", facts=_facts(node, session))


@router.post("/language")
def choose_language(
    language: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=1024)] = "/app/",
) -> Response:
    target = next if next == "/app/login" else safe_next(next)
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        set_cookie(response, LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600)
    return response


@router.get("/static/{name}")
def static(name: str) -> Response:
    media_type = STATIC_FILES.get(name)
    if media_type is None:
        raise NotFound(f"no static file {name!r}")
    body = resources.files("originlink.web").joinpath(f"static/{name}").read_bytes()
    return Response(body, media_type=media_type, headers={"Cache-Control": "max-age=3600"})
