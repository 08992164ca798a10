"""The administrator's users page: list, add, disable, and reset a user's sign-in.

An administrator never sets another user's password or second factor (separation of duties):
adding a user, or "reset password and second factor", clears both and shows a one-time
activation code once, to hand over out of band; the user chooses a password at
``/app/activate``. The roles offered are :func:`users.creatable_roles` of the administrator,
the rule the API applies. Each action is one service call; a refused entry comes back on the
page saying what to fix.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from originlink.domain.errors import Conflict, Forbidden, InputError, PermanentError
from originlink.services.node import activation
from originlink.services.node import users as user_service
from originlink.web.guards import Administrator, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/admin", route_class=WebRoute, include_in_schema=False)

_REFUSED = (InputError, Conflict, Forbidden)


def _page(
    request: Request,
    node: NodeDep,
    session: Administrator,
    *,
    error: PermanentError | None = None,
    done: str | None = None,
    typed: dict[str, str] | None = None,
    code: activation.ActivationCode | None = None,
) -> Response:
    found, total = user_service.list_users(node, session.actor, limit=500)
    roles = [r.value for r in user_service.creatable_roles(session.actor)]
    return render(
        request,
        "app/admin/users.html",
        status=400 if error else 200,
        users=found,
        total=total,
        roles=roles,
        error=error,
        done=done,
        typed=typed or {},
        code=code,
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
) -> Response:
    typed = {"username": username, "role": role, "display_name": display_name}
    typed["organisation"] = organisation
    try:
        code = activation.add_user_with_code(
            node,
            session.actor,
            username=username.strip(),
            role=role,
            display_name=display_name.strip() or None,
            organisation=organisation.strip() or None,
        )
    except _REFUSED as exc:
        return _page(request, node, session, error=exc, typed=typed)
    return _page(request, node, session, code=code)


@router.post("/users/{username}/disable")
def disable(node: NodeDep, session: Administrator, username: str) -> Response:
    user_service.disable_user(node, session.actor, username=username[:64])
    return _back(f"disabled:{username[:64]}")


@router.post("/users/{username}/reset")
def reset_sign_in(
    request: Request, node: NodeDep, session: Administrator, username: str
) -> Response:
    try:
        code = activation.reset_sign_in(node, session.actor, username=username[:64])
    except _REFUSED as exc:
        return _page(request, node, session, error=exc)
    return _page(request, node, session, code=code)
