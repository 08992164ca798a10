"""Rendering ``/app/`` pages: one Jinja2 environment (autoescaped, strict), the language of
the request, and what every page's layout needs (the session, its CSRF token, the menu).

A page calls :func:`render` with its template and its values; texts in templates are written
``{{ _("English text") }}`` and translated through the request's catalogue
(:mod:`originlink.web.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from originlink.services.context import Node
from originlink.web.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    LocaleFormat,
    negotiate,
    translations,
)
from originlink.web.navigation import NAVIGATION, ROLE_NAMES
from originlink.web.state import CSRF_FIELD, csrf_token, web_session


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("originlink.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def language(request: Request) -> str:
    """The request's language: the switch's cookie, else ``Accept-Language``."""
    cached: str | None = getattr(request.state, "language", None)
    if cached is None:
        cached = negotiate(
            request.headers.get("accept-language"), request.cookies.get(LANGUAGE_COOKIE)
        )
        request.state.language = cached
    return cached


def gettext(request: Request) -> Callable[[str], str]:
    """``_`` for texts a route writes itself (messages after an action)."""
    return translations(language(request)).gettext


def render(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """The page ``template`` (under ``templates/``) in the request's language."""
    node: Node = request.app.state.node
    lang = language(request)
    catalogue = translations(lang)
    session = web_session(request)
    nav = NAVIGATION.get(session.actor.role, []) if session else []
    context: dict[str, Any] = {
        "_": catalogue.gettext,
        "ngettext": catalogue.ngettext,
        "fmt": LocaleFormat(lang, node.identity.timezone),
        "lang": lang,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "node_name": node.identity.name,
        "session": session,
        "role_name": ROLE_NAMES.get(session.actor.role, "") if session else "",
        "nav": nav,
        "path": request.url.path,
        "csrf_field": CSRF_FIELD,
        "csrf_token": csrf_token(request),
        "here": str(request.url.path) + (("?" + request.url.query) if request.url.query else ""),
    }
    context.update(values)
    body = environment().get_template(template).render(context)
    return HTMLResponse(body, status_code=status)


def error_page(request: Request, status: int, heading: str, detail: str) -> HTMLResponse:
    """An error as a page that says what happened and what to do, nothing more."""
    return render(request, "app/error.html", status=status, heading=heading, detail=detail)
