"""Rendering ``/app/`` pages: one Jinja2 environment (autoescaped, strict), the language of
the request, and what every page's layout needs (the session, its CSRF token, the menu).

A page calls :func:`render` with its template and its values; texts in templates are written
``{{ _("English text") }}`` and translated through the request's catalogue
(:mod:`originlink.web.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChainableUndefined, Environment, PackageLoader, select_autoescape

from originlink.services.context import Node
from originlink.web.i18n import (
    LANGUAGE_COOKIE,
    LANGUAGE_NAMES,
    LANGUAGES,
    LocaleFormat,
    negotiate,
    translations,
)
from originlink.web.labels import item_label, kind_label, status_label
from originlink.web.navigation import NAVIGATION, ROLE_NAMES, TRAINING_ENTRY
from originlink.web.state import CSRF_FIELD, csrf_token, web_session


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Pages read CO documents, whose optional members are simply absent: a missing member
    reads as empty (``ChainableUndefined``), so ``cert.transport.loading_location`` needs no
    guard at each step."""
    return Environment(
        loader=PackageLoader("originlink.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=ChainableUndefined,
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


def days_from(now: datetime, value: datetime | str | None) -> int | None:
    """Whole days from ``now`` to ``value`` (negative: past); None without a value."""
    if value is None or value == "":
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment - now).days


def render(request: Request, template: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """The page ``template`` (under ``templates/``) in the request's language."""
    node: Node = request.app.state.node
    lang = language(request)
    catalogue = translations(lang)
    session = web_session(request)
    nav = NAVIGATION.get(session.actor.role, []) if session else []
    if session and node.settings.training_manifest is not None:  # a training sandbox's desk
        nav = [*nav, TRAINING_ENTRY]
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
        "days_from": lambda value: days_from(node.now(), value),
        "message": None,
        "message_tone": "good",
        "csrf_field": CSRF_FIELD,
        "status_label": status_label,
        "kind_label": kind_label,
        "item_label": item_label,
        "csrf_token": csrf_token(request),
        "here": str(request.url.path) + (("?" + request.url.query) if request.url.query else ""),
    }
    context.update(values)
    body = environment().get_template(template).render(context)
    return HTMLResponse(body, status_code=status)


def error_page(request: Request, status: int, heading: str, detail: str) -> HTMLResponse:
    """An error as a page that says what happened and what to do, nothing more."""
    return render(request, "app/error.html", status=status, heading=heading, detail=detail)
