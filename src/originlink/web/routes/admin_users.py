"""The administrator's users page: list, add an administrator (with a first password; the other
roles are added on the node's host, as the services require), disable, reset a password, and
remove or renew a second factor (the new one shown once as a QR code).

Each action is one call of :mod:`originlink.services.node.users` or ``credentials``; a refused
entry comes back on the page saying what to fix."""

from __future__ import annotations

import io
from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.authz import Role
from originlink.domain.errors import (
    Conflict,
    Forbidden,
    InputError,
    PermanentError,
    ValidationFailed,
)
from originlink.services.node import credentials
from originlink.services.node import users as user_service
from originlink.web.guards import Administrator, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/admin", route_class=WebRoute, include_in_schema=False)

#: Over the web, as over the API, an administrator adds only administrators; the other roles
#: are added on the node's host (``originlink users add``): separation of duties.
ROLES = [Role.ADMIN.value]
_REFUSED = (InputError, ValidationFailed, Conflict, credentials.InvalidPassword)


def _page(
    request: Request,
    node: NodeDep,
    session: Administrator,
    *,
    error: PermanentError | None = None,
    done: str | None = None,
    typed: dict[str, str] | None = None,
    enrolment: credentials.Enrolment | None = None,
) -> Response:
    found, total = user_service.list_users(node, session.actor, limit=500)
    qr = None
    if enrolment is not None:
        buffer = io.BytesIO()
        segno.make_qr(enrolment.uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
        qr = buffer.getvalue().decode()
    return render(
        request,
        "app/admin/users.html",
        status=(403 if isinstance(error, Forbidden) else 400) if error else 200,
        users=found,
        total=total,
        roles=ROLES,
        error=error,
        done=done,
        typed=typed or {},
        enrolment=enrolment,
        qr_svg=qr,
    )


@router.get("/users")
def users(request: Request, node: NodeDep, session: Administrator) -> Response:
    done = request.query_params.get("done", "")[:200] or None
    return _page(request, node, session, done=done)


def _back(done: str) -> RedirectResponse:
    return RedirectResponse(f"/app/admin/users?done={done}", status_code=303)


@router.post("/users")
def add_user(
    request: Request,
    node: NodeDep,
    session: Administrator,
    username: Annotated[str, Form(max_length=64)] = "",
    role: Annotated[str, Form(max_length=32)] = "",
    display_name: Annotated[str, Form(max_length=256)] = "",
    organisation: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    typed = {"username": username, "role": role, "display_name": display_name}
    typed["organisation"] = organisation
    try:
        credentials.check_password_rules(password)  # before anything is stored
        user_service.add_user(
            node,
            session.actor,
            username=username.strip(),
            role=role,
            display_name=display_name.strip() or None,
            organisation=organisation.strip() or None,
        )
        credentials.set_password(node, session.actor, username=username.strip(), password=password)
    except (*_REFUSED, Forbidden) as exc:
        return _page(request, node, session, error=exc, typed=typed)
    return _back(f"added:{username.strip()}")


@router.post("/users/{username}/disable")
def disable(node: NodeDep, session: Administrator, username: str) -> Response:
    user_service.disable_user(node, session.actor, username=username[:64])
    return _back(f"disabled:{username[:64]}")


@router.post("/users/{username}/password")
def reset_password(
    request: Request,
    node: NodeDep,
    session: Administrator,
    username: str,
    password: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    try:
        credentials.set_password(node, session.actor, username=username[:64], password=password)
    except _REFUSED as exc:
        return _page(request, node, session, error=exc)
    return _back(f"password:{username[:64]}")


@router.post("/users/{username}/second-factor")
def reset_second_factor(
    request: Request,
    node: NodeDep,
    session: Administrator,
    username: str,
    action: Annotated[str, Form(max_length=16)] = "renew",
) -> Response:
    if action == "remove":
        credentials.remove_totp(node, session.actor, username=username[:64])
        return _back(f"totp-removed:{username[:64]}")
    enrolment = credentials.enrol_totp(node, session.actor, username=username[:64])
    return _page(request, node, session, enrolment=enrolment)
