"""Web sessions: what a signed-in browser holds, kept on the server.

The cookie carries a random token; the node stores its SHA-256 as the session id, the CSRF
token of the session's forms, and when the session ends: ``session_idle`` after it was last
used, and never later than ``session_max`` after sign-in. A session opened with a correct
password by a user with a second factor is *pending* until the TOTP code is given; a pending
session opens no page. Signing out, a new password, a new second factor or a disabled user end
the session on the server, whatever the browser keeps.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from originlink.domain.authz import Actor, Role
from originlink.domain.errors import AuthenticationRequired
from originlink.services.context import Node
from originlink.services.node.credentials import check_password, check_totp
from originlink.store.repos.web_sessions import WebSessionRecord

#: A session is written back (its idle deadline moved) at most this often.
_TOUCH_EVERY = timedelta(seconds=30)


class SessionExpired(AuthenticationRequired):
    code = "SESSION_EXPIRED"
    title = "Session ended"


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in session: who acts and the CSRF token its forms carry."""

    actor: Actor
    csrf_token: str
    second_factor_pending: bool
    display_name: str


@dataclass(frozen=True, slots=True)
class StartedSession:
    token: str
    session: WebSession


def session_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(node: Node, username: str, password: str) -> StartedSession:
    """Check a user name and password and open a session (pending when a code must follow)."""
    checked = check_password(node, username, password)
    user = checked.user
    token = secrets.token_urlsafe(32)
    now = node.wall_now()  # a session lasts in real time, whatever a training clock says
    record = WebSessionRecord(
        id=session_id(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        second_factor_pending=checked.second_factor,
        created_at=now,
        last_seen_at=now,
        expires_at=min(now + node.settings.session_idle, now + node.settings.session_max),
    )
    with node.store.transaction() as uow:
        uow.web_sessions.delete_expired(now)
        uow.web_sessions.add(record)
        uow.audit.append(
            at=node.now(),
            actor=f"{user.role}:{user.username}",
            action="user.sign_in",
            entity_type="user",
            entity_id=user.id,
            details={"via": "web", "second_factor_pending": checked.second_factor},
        )
    actor = Actor(user.id, user.username, Role(user.role), user.organisation, via="web")
    return StartedSession(
        token, WebSession(actor, record.csrf_token, checked.second_factor, user.display_name)
    )


def confirm_second_factor(node: Node, token: str, code: str) -> WebSession:
    """Complete a pending session with a TOTP code; a wrong code counts towards the lockout."""
    pending = current_session(node, token, allow_pending=True)
    if not pending.second_factor_pending:
        return pending
    check_totp(node, pending.actor.user_id, code)
    with node.store.transaction() as uow:
        uow.web_sessions.second_factor_done(session_id(token))
    return WebSession(pending.actor, pending.csrf_token, False, pending.display_name)


def current_session(node: Node, token: str, *, allow_pending: bool = False) -> WebSession:
    """The session a cookie token stands for; :class:`SessionExpired` when there is none, it
    has ended, its user is disabled, or (unless ``allow_pending``) its code is still due."""
    if not token or len(token) > 128:
        raise SessionExpired("please sign in")
    sid = session_id(token)
    now = node.wall_now()  # a session lasts in real time, whatever a training clock says
    with node.store.read() as uow:
        record = uow.web_sessions.get(sid)
        user = uow.users.get(record.user_id) if record is not None else None
    if record is None or user is None:
        raise SessionExpired("please sign in")
    if record.expires_at <= now or user.disabled:
        end_session(node, token)
        raise SessionExpired("your session has ended: please sign in again")
    if record.second_factor_pending and not allow_pending:
        raise SessionExpired("give the code of your authenticator app first")
    if now - record.last_seen_at >= _TOUCH_EVERY:
        expires = min(
            now + node.settings.session_idle, record.created_at + node.settings.session_max
        )
        with node.store.transaction() as uow:
            uow.web_sessions.touch(sid, last_seen_at=now, expires_at=expires)
    actor = Actor(user.id, user.username, Role(user.role), user.organisation, via="web")
    return WebSession(actor, record.csrf_token, record.second_factor_pending, user.display_name)


def end_session(node: Node, token: str) -> None:
    """Sign out: the session row goes, so the cookie opens nothing any more."""
    with node.store.transaction() as uow:
        uow.web_sessions.delete(session_id(token))
