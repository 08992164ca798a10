"""``/app/account``: a signed-in user's own account, whatever the role: change the password
(``current_password``, ``password``, ``password_again``), enrol a new TOTP second factor (shown
as a QR code, stored once a ``code`` of the app confirms it) or remove it.

These are the owner's acts (:mod:`originlink.services.node.account`); each ends the user's
other sessions and keeps this one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import AuthenticationRequired, Forbidden
from originlink.services.node import account
from originlink.services.node.activation import PasswordsDiffer
from originlink.services.node.credentials import (
    Enrolment,
    InvalidPassword,
    LockedOut,
    enrolment_of,
    second_factor_required,
)
from originlink.services.node.web_sessions import session_id
from originlink.web.guards import NodeDep, SignedIn
from originlink.web.i18n import LocaleFormat
from originlink.web.routes.activate import qr_svg
from originlink.web.security import WebRoute
from originlink.web.state import SESSION_COOKIE
from originlink.web.templating import gettext, language, render

router = APIRouter(prefix="/app", route_class=WebRoute, include_in_schema=False)

_DONE = {"password", "totp", "totp-removed"}


def _page(
    request: Request,
    node: NodeDep,
    session: SignedIn,
    *,
    status: int = 200,
    error: str | None = None,
    done: str | None = None,
    enrolment: Enrolment | None = None,
) -> Response:
    return render(
        request,
        "app/account.html",
        status=status,
        error=error,
        account_done=done,
        enrolment=enrolment,
        qr_svg=qr_svg(enrolment) if enrolment else None,
        has_second_factor=account.has_second_factor(node, session.actor),
        second_factor_required=second_factor_required(node, session.actor.role.value),
    )


def _this_session(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE, "")
    return session_id(token) if token else None


def _refused(request: Request, node: NodeDep, exc: Exception) -> str:
    """The sentence, in the page's language, that says why a change was refused."""
    _ = gettext(request)
    if isinstance(exc, LockedOut):
        when = LocaleFormat(language(request), node.identity.timezone).datetime(exc.until)
        return _("Too many failed sign-ins. This user is locked until %(time)s.") % {"time": when}
    if isinstance(exc, PasswordsDiffer):
        return _("The two new passwords differ. Type the same password twice.")
    if isinstance(exc, InvalidPassword):
        return exc.detail
    if isinstance(exc, Forbidden):
        return _("Your role needs a second factor on this node: enrol a new one instead.")
    return _("The current password is wrong.")


@router.get("/account")
def account_page(request: Request, node: NodeDep, session: SignedIn) -> Response:
    done = request.query_params.get("done", "")
    return _page(request, node, session, done=done if done in _DONE else None)


@router.post("/account/password")
def change_password(
    request: Request,
    node: NodeDep,
    session: SignedIn,
    current_password: Annotated[str, Form(max_length=2048)] = "",
    password: Annotated[str, Form(max_length=2048)] = "",
    password_again: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    try:
        account.change_password(
            node,
            session.actor,
            current=current_password,
            password=password,
            password_again=password_again,
            keep_session=_this_session(request),
        )
    except (AuthenticationRequired, PasswordsDiffer, InvalidPassword) as exc:
        return _page(request, node, session, status=400, error=_refused(request, node, exc))
    return RedirectResponse("/app/account?done=password", status_code=303)


@router.post("/account/second-factor")
def new_second_factor(request: Request, node: NodeDep, session: SignedIn) -> Response:
    return _page(request, node, session, enrolment=account.new_second_factor(node, session.actor))


@router.post("/account/second-factor/confirm")
def confirm_second_factor(
    request: Request,
    node: NodeDep,
    session: SignedIn,
    totp_secret: Annotated[str, Form(max_length=128)] = "",
    code: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    try:
        account.confirm_second_factor(
            node,
            session.actor,
            secret=totp_secret,
            code=code,
            keep_session=_this_session(request),
        )
    except AuthenticationRequired as exc:
        _ = gettext(request)
        error = (
            _refused(request, node, exc)
            if isinstance(exc, LockedOut)
            else _("The code of your authenticator app is wrong. Give the code it shows now.")
        )
        shown = enrolment_of(node, session.actor.username, totp_secret.strip().upper())
        return _page(request, node, session, status=400, error=error, enrolment=shown)
    return RedirectResponse("/app/account?done=totp", status_code=303)


@router.post("/account/second-factor/remove")
def remove_second_factor(
    request: Request,
    node: NodeDep,
    session: SignedIn,
    current_password: Annotated[str, Form(max_length=2048)] = "",
) -> Response:
    try:
        account.remove_second_factor(
            node,
            session.actor,
            current=current_password,
            keep_session=_this_session(request),
        )
    except (AuthenticationRequired, Forbidden) as exc:
        return _page(request, node, session, status=400, error=_refused(request, node, exc))
    return RedirectResponse("/app/account?done=totp-removed", status_code=303)
