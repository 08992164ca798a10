"""Who may open a page: a page declares the roles it serves with :func:`for_roles`, and gets
the signed-in :class:`WebSession` (its ``actor`` is what service functions are called with,
so the services' own permission and ownership checks apply as they do for the API).

A visitor without a session is sent to the sign-in page; a user of another role gets 403 and
a page that shows nothing of the data (see :class:`originlink.web.security.WebRoute`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from originlink.domain.authz import Role
from originlink.domain.errors import Forbidden
from originlink.services.context import Node
from originlink.services.node.web_sessions import SessionExpired, WebSession
from originlink.web.state import web_session


def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


def signed_in(request: Request) -> WebSession:
    session = web_session(request)
    if session is None:
        raise SessionExpired("please sign in")
    return session


SignedIn = Annotated[WebSession, Depends(signed_in)]


def for_roles(*roles: Role) -> Callable[[Request], WebSession]:
    """A dependency giving the session when its user has one of ``roles``, else 403."""
    allowed = frozenset(roles)

    def guard(request: Request) -> WebSession:
        session = signed_in(request)
        if session.actor.role not in allowed:
            raise Forbidden(f"role {session.actor.role.value} may not open this page")
        return session

    return guard


Exporter = Annotated[WebSession, Depends(for_roles(Role.EXPORTER))]
IssuingOfficer = Annotated[WebSession, Depends(for_roles(Role.ISSUING_OFFICER))]
CustomsOfficer = Annotated[WebSession, Depends(for_roles(Role.CUSTOMS_OFFICER))]
Administrator = Annotated[WebSession, Depends(for_roles(Role.ADMIN))]
