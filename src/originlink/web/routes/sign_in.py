"""Signing in and out: ``/app/login`` (fields ``username`` and ``password``), the second
factor at ``/app/login/code`` (field ``code``), ``/app/logout``.

The routes only read the form and call :mod:`originlink.services.node.web_sessions`; the
checks (argon2, lockout, TOTP, which roles need it) live in the services.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import AuthenticationRequired
from originlink.services.node.credentials import LockedOut, SecondFactorMissing
from originlink.services.node.web_sessions import (
    SessionExpired,
    confirm_second_factor,
    current_session,
    end_session,
    sign_in,
)
from originlink.web.guards import NodeDep
from originlink.web.i18n import LocaleFormat
from originlink.web.security import WebRoute
from originlink.web.state import SESSION_COOKIE, set_cookie, web_session
from originlink.web.templating import gettext, language, render

router = APIRouter(prefix="/app", route_class=WebRoute, include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site under ``/app/``, nothing else."""
    if target and target.startswith("/app/") and not target.startswith("//") and "\\" not in target:
        return target[:512]
    return "/app/"


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    if web_session(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "app/login.html", next=safe_next(next), error=None, username="")


@router.post("/login")
def login(
    request: Request,
    node: NodeDep,
    username: Annotated[str, Form(max_length=256)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    next: Annotated[str, Form(max_length=1024)] = "/app/",
) -> Response:
    _ = gettext(request)
    target = safe_next(next)
    try:
        started = sign_in(node, username.strip(), password)
    except LockedOut as exc:
        when = LocaleFormat(language(request), node.identity.timezone).datetime(exc.until)
        error = _("Too many failed sign-ins. This user is locked until %(time)s.") % {"time": when}
        return _login_again(request, error, username, target)
    except SecondFactorMissing:
        error = _(
            "Your role needs a second factor and none is enrolled. Ask an administrator to "
            "reset your sign-in: with the activation code you enrol one."
        )
        return _login_again(request, error, username, target)
    except AuthenticationRequired:
        return _login_again(request, _("User name or password is wrong."), username, target)
    following = (
        "/app/login/code?next=" + target if started.session.second_factor_pending else target
    )
    response = RedirectResponse(following, status_code=303)
    # The cookie dies with the session's longest life; the server ends it sooner when idle.
    lifetime = int(node.settings.session_max.total_seconds())
    set_cookie(response, SESSION_COOKIE, started.token, max_age=lifetime)
    return response


def _login_again(request: Request, error: str, username: str, target: str) -> Response:
    return render(
        request, "app/login.html", status=401, next=target, error=error, username=username[:64]
    )


@router.get("/login/code")
def code_form(request: Request, node: NodeDep, next: str | None = None) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        current_session(node, token, allow_pending=True)
    except SessionExpired:
        return RedirectResponse("/app/login", status_code=303)
    return render(request, "app/second_factor.html", next=safe_next(next), error=None)


@router.post("/login/code")
def code(
    request: Request,
    node: NodeDep,
    code: Annotated[str, Form(max_length=32)] = "",
    next: Annotated[str, Form(max_length=1024)] = "/app/",
) -> Response:
    _ = gettext(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    try:
        confirm_second_factor(node, token, code)
    except SessionExpired:
        return RedirectResponse("/app/login", status_code=303)
    except LockedOut as exc:
        when = LocaleFormat(language(request), node.identity.timezone).datetime(exc.until)
        end_session(node, token)
        error = _("Too many failed sign-ins. This user is locked until %(time)s.") % {"time": when}
        return render(request, "app/login.html", status=401, next="/app/", error=error, username="")
    except AuthenticationRequired:
        error = _("The code is wrong or was already used. Give the code your app shows now.")
        return render(
            request, "app/second_factor.html", status=401, next=safe_next(next), error=error
        )
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, node: NodeDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        end_session(node, token)
    response = RedirectResponse("/app/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    return response
