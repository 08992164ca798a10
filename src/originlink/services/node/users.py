"""Users and API tokens, with the separation of duties.

No user acts as another. An API token is created only by its owner (over the API, for itself)
or on the host through the ``originlink`` command (audited as ``system:host``): an
administrator cannot mint a token for the issuing officer and issue with it. Web passwords
and second factors follow the same rule (:mod:`originlink.services.node.credentials`,
:mod:`originlink.services.node.activation`). Users who issue, decide or apply (issuing officers,
customs officers, exporters) are created only on the host (``originlink users add``); over the
API an administrator creates administrators only, so it never holds an account that issues,
decides or signs.

A token is shown once, when created: ``olk_<prefix>_<secret>``. The node keeps the prefix (to
find the row) and an argon2 hash of the whole token; verifying a token costs an argon2 check, so
successful checks are cached in memory for a short time, keyed by a SHA-256 of the token (the
cache never holds the token itself).
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import replace
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError, VerifyMismatchError

from originlink.domain.authz import Actor, Permission, Role
from originlink.domain.errors import (
    AuthenticationRequired,
    Conflict,
    Forbidden,
    NotFound,
    PermanentError,
)
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.users import UserRecord

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_CACHE_SECONDS = 300.0


class InvalidUserInput(PermanentError):
    code = "INVALID_USER"
    title = "Invalid user"
    http_status = 422


class TokenCache:
    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def get(self, token: str) -> str | None:
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] < time.monotonic():
                self._entries.pop(key, None)
                return None
            return entry[1]

    def put(self, token: str, user_id: str) -> None:
        key = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + _CACHE_SECONDS, user_id)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


TOKEN_CACHE = TokenCache()


def _check_username(username: str) -> None:
    if not (1 <= len(username) <= 64) or not all(c.isalnum() or c in "._-@" for c in username):
        raise InvalidUserInput(
            f"user name {username!r} must be 1-64 letters, digits, '.', '_', '-' or '@'"
        )


def creatable_roles(actor: Actor) -> tuple[Role, ...]:
    """The roles ``actor`` may give a new user: all of them on the host; over the API and on
    the web pages an administrator creates administrators only (separation of duties). The API,
    the pages' role list and :func:`add_user` all ask this one rule."""
    if actor.on_host:
        return tuple(r for r in Role if r is not Role.SYSTEM)
    return (Role.ADMIN,) if actor.can(Permission.USER_MANAGE) else ()


def new_user(
    node: Node,
    actor: Actor,
    *,
    username: str,
    role: str,
    display_name: str | None = None,
    organisation: str | None = None,
    represents: list[str] | None = None,
) -> UserRecord:
    """Check a new user's fields and the actor's right to create it; nothing is stored."""
    actor.require(Permission.USER_MANAGE)
    _check_username(username)
    try:
        parsed_role = Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role if r is not Role.SYSTEM)
        raise InvalidUserInput(f"unknown role {role!r}; roles: {known}") from None
    if parsed_role is Role.SYSTEM:
        raise InvalidUserInput("the system role cannot be given to a user")
    if parsed_role not in creatable_roles(actor):
        raise Forbidden(
            f"an administrator creates only administrators over the API; a {parsed_role.value} "
            "is added on the node's host with 'originlink users add' (separation of duties)"
        )
    if parsed_role is Role.EXPORTER and not organisation:
        raise InvalidUserInput("an exporter needs --organisation (its company identifier)")
    if organisation is not None and not (1 <= len(organisation) <= 64):
        raise InvalidUserInput("an organisation identifier is 1-64 characters")
    represented = tuple(dict.fromkeys(v.strip() for v in represents or [] if v.strip()))
    if represented and parsed_role is not Role.EXPORTER:
        raise InvalidUserInput("only an exporter (an agent) represents other exporters")
    if any(len(v) > 64 for v in represented) or len(represented) > 100:
        raise InvalidUserInput("--represents lists at most 100 identifiers of 1-64 characters")
    return UserRecord(
        id=str(uuid.uuid4()),
        username=username,
        display_name=display_name or username,
        role=parsed_role.value,
        organisation=organisation,
        disabled=False,
        created_at=node.now(),
        represents=represented,
    )


def store_user(uow: UnitOfWork, actor: Actor, record: UserRecord) -> None:
    """Add a checked user (:func:`new_user`) inside the caller's transaction, audited."""
    if uow.users.by_username(record.username) is not None:
        raise Conflict(f"user {record.username!r} already exists")
    uow.users.add(record)
    uow.audit.append(
        at=record.created_at,
        actor=actor.label,
        action="user.add",
        entity_type="user",
        entity_id=record.id,
        after=record.as_dict(),
        details={"via": actor.via},
    )


def add_user(
    node: Node,
    actor: Actor,
    *,
    username: str,
    role: str,
    display_name: str | None = None,
    organisation: str | None = None,
    represents: list[str] | None = None,
) -> UserRecord:
    """Create a user. Exporters must name their organisation (ownership depends on it) and may
    be recorded as representing other exporters (``represents``: their identifiers)."""
    record = new_user(
        node,
        actor,
        username=username,
        role=role,
        display_name=display_name,
        organisation=organisation,
        represents=represents,
    )
    with node.store.transaction() as tx:
        store_user(tx, actor, record)
    return record


def create_token(
    node: Node,
    actor: Actor,
    *,
    username: str,
    label: str | None = None,
    valid_days: int | None = None,
) -> str:
    """Issue an API token for ``username`` and return it (it is not stored in clear).

    Only the user itself, or the operator on the host, creates a token: an administrator who
    could mint another user's token could act as that user (issue, decide)."""
    if not actor.on_host and actor.username != username:
        raise Forbidden(
            f"a token for {username!r} is created only by {username!r} itself, or on the "
            f"node's host with 'originlink users token {username}' (separation of duties)"
        )
    prefix = secrets.token_hex(6)
    token = f"olk_{prefix}_{secrets.token_urlsafe(32)}"
    now = node.now()
    expires = None
    if valid_days is not None:
        from datetime import timedelta

        expires = now + timedelta(days=valid_days)
    with node.store.transaction() as tx:
        repo = tx.users
        user = repo.by_username(username)
        if user is None:
            raise NotFound(f"no user {username!r}")
        repo.add_token(
            token_id=str(uuid.uuid4()),
            user_id=user.id,
            prefix=prefix,
            token_hash=_HASHER.hash(token),
            label=label,
            created_at=now,
            expires_at=expires,
        )
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="token.create",
            entity_type="user",
            entity_id=user.id,
            details={"prefix": prefix, "label": label, "via": actor.via},
        )
    return token


def authenticate(node: Node, token: str, *, via: str = "api") -> Actor:
    """The actor a bearer token stands for; AuthenticationRequired when it is not valid."""
    parts = token.split("_")
    if len(parts) < 3 or parts[0] != "olk":
        raise AuthenticationRequired("the bearer token is not an OriginLink API token")
    prefix = parts[1]
    now = node.now()
    with node.store.read() as tx:
        repo = tx.users
        record = repo.token_by_prefix(prefix)
        if record is None or record.revoked_at is not None:
            raise AuthenticationRequired("the API token is unknown or revoked")
        if record.expires_at is not None and record.expires_at <= now:
            raise AuthenticationRequired("the API token has expired")
        if TOKEN_CACHE.get(token) != record.user_id:
            try:
                _HASHER.verify(record.token_hash, token)
            except (VerifyMismatchError, VerificationError):
                raise AuthenticationRequired("the API token is not valid") from None
            TOKEN_CACHE.put(token, record.user_id)
        user = repo.get(record.user_id)
    if user is None or user.disabled:
        raise AuthenticationRequired("the user of this token is disabled")
    return Actor(
        user.id,
        user.username,
        Role(user.role),
        user.organisation,
        via=via,
        represents=user.represents,
    )


def list_users(
    node: Node, actor: Actor, *, limit: int = 100, offset: int = 0
) -> tuple[list[UserRecord], int]:
    actor.require(Permission.USER_MANAGE)
    with node.store.read() as tx:
        repo = tx.users
        return repo.list(limit=limit, offset=offset), repo.count()


def disable_user(node: Node, actor: Actor, *, username: str) -> UserRecord:
    actor.require(Permission.USER_MANAGE)
    now: datetime = node.now()
    with node.store.transaction() as tx:
        repo = tx.users
        user = repo.by_username(username)
        if user is None:
            raise NotFound(f"no user {username!r}")
        repo.set_disabled(user.id, True)
        repo.revoke_tokens(user.id, now)
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="user.disable",
            entity_type="user",
            entity_id=user.id,
            before=user.as_dict(),
            details={"via": actor.via},
        )
    TOKEN_CACHE.clear()
    return replace(user, disabled=True)
