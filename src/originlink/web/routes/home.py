"""``/app/``: each role's home; the language switch; the node's own static files."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import NotFound
from originlink.web.guards import SignedIn
from originlink.web.i18n import LANGUAGE_COOKIE, LANGUAGES
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


@router.get("/")
def home(request: Request, session: SignedIn) -> Response:
    return render(request, "app/home.html")


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
