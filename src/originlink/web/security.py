"""What every ``/app/`` page gets from the route class: the session, CSRF, security headers
and error pages.

:class:`WebRoute` wraps each page of the web router. Before the page runs it reads the session
cookie (``request.state.web_session``: the session, or None) and, for every request that
changes something (POST and the like), checks the form's ``csrf_token`` field (or the
``X-CSRF-Token`` header htmx sends) against the session's token, or, before sign-in, against
the random ``originlink_csrf`` cookie the sign-in form was given (double submit). A missing or
wrong token answers 403 and the page does not run. After the page, it adds the security
headers (a Content-Security-Policy allowing only the node's own scripts and styles) and turns
the project's errors into pages: a signed-out visitor is sent to the sign-in page, a page of
another role answers 403 and shows nothing of its data, a missing record 404.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from originlink.domain.errors import (
    AuthenticationRequired,
    Forbidden,
    NotFound,
    OriginLinkError,
    PermanentError,
)
from originlink.services.context import Node
from originlink.services.node.web_sessions import current_session
from originlink.web.navigation import N_
from originlink.web.state import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    csrf_token,
    set_cookie,
)
from originlink.web.templating import error_page

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: Headers of every ``/app/`` page: only the node's own scripts, styles and images.
APP_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def login_redirect(request: Request) -> Response:
    """To the sign-in page, coming back here afterwards (htmx follows ``HX-Redirect``)."""
    target = request.url.path
    if request.url.query and request.method == "GET":
        target += "?" + request.url.query
    location = "/app/login?next=" + quote(target, safe="/")
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": location})
    return RedirectResponse(location, status_code=303)


async def _given_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


class WebRoute(APIRoute):
    """The route class of the web router (see the module's docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            node: Node = request.app.state.node
            token = request.cookies.get(SESSION_COOKIE, "")
            request.state.web_session = None
            if token:
                try:
                    request.state.web_session = current_session(node, token)
                except AuthenticationRequired:
                    request.state.web_session = None
            pre = request.cookies.get(CSRF_COOKIE, "")
            fresh_pre = not pre or len(pre) > 64
            request.state.csrf_pre = secrets.token_urlsafe(24) if fresh_pre else pre
            if request.method not in _SAFE_METHODS:
                given = await _given_token(request)
                expected = csrf_token(request)
                if fresh_pre and request.state.web_session is None:
                    expected = ""
                if not given or not expected or not hmac.compare_digest(given, expected):
                    refused: Response = error_page(
                        request,
                        403,
                        N_("The form could not be accepted"),
                        N_(
                            "It has expired or did not come from this site. Reload the page "
                            "and try again."
                        ),
                    )
                    return _finish(request, refused, fresh_pre)
            response: Response
            try:
                response = await handler(request)
            except AuthenticationRequired:
                response = login_redirect(request)
            except Forbidden:
                response = error_page(
                    request, 403, N_("Not allowed"), N_("Your role may not see this page.")
                )
            except NotFound as exc:
                response = error_page(request, 404, N_("Not found"), exc.detail)
            except RequestValidationError as exc:
                detail = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
                )
                response = error_page(request, 400, N_("The request is not valid"), detail)
            except PermanentError as exc:
                response = error_page(request, exc.http_status, exc.title, exc.detail)
            except OriginLinkError as exc:
                response = error_page(request, exc.http_status, exc.title, exc.detail)
            return _finish(request, response, fresh_pre)

        return route


def _finish(request: Request, response: Response, fresh_pre: bool) -> Response:
    for name, value in APP_HEADERS.items():
        response.headers.setdefault(name, value)
    if fresh_pre:
        set_cookie(response, CSRF_COOKIE, request.state.csrf_pre)
    return response
