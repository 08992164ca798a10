"""What a request carries for the pages: the session cookie, the CSRF token of its forms, and
the cookie settings every page cookie uses. Filled by :class:`originlink.web.security.WebRoute`
before a page runs."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from originlink.services.node.web_sessions import WebSession

SESSION_COOKIE = "originlink_session"
CSRF_COOKIE = "originlink_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def set_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    """Every cookie of the pages: Secure, HttpOnly, SameSite=Strict, for the whole site."""
    response.set_cookie(
        name, value, max_age=max_age, path="/", secure=True, httponly=True, samesite="strict"
    )


def web_session(request: Request) -> WebSession | None:
    """The signed-in session of the request (None: nobody, or a code still due)."""
    session: WebSession | None = getattr(request.state, "web_session", None)
    return session


def csrf_token(request: Request) -> str:
    """The token this page's forms carry: the session's, or before sign-in the cookie's."""
    session = web_session(request)
    if session is not None:
        return session.csrf_token
    token: str = getattr(request.state, "csrf_pre", "")
    return token
