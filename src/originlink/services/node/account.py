"""A signed-in user's own account: change its password (giving the current one), enrol a new
TOTP second factor (confirmed with a code of the app before it replaces the old one), or remove
it when the node does not require one of the user's role.

These are the owner's own acts (separation of duties: nobody else sets them, see
:mod:`originlink.services.node.credentials`); each is audited and ends the user's other
sessions, keeping the one that made the change.
"""

from __future__ import annotations

import pyotp

from originlink.domain.authz import Actor
from originlink.domain.errors import Forbidden, NotFound
from originlink.services.context import Node
from originlink.services.node.activation import PasswordsDiffer, valid_step
from originlink.services.node.credentials import (
    Enrolment,
    LockedOut,
    SignInRefused,
    count_failure,
    enrolment_of,
    hash_password,
    second_factor_required,
    verify_password,
)
from originlink.services.unit_of_work import UnitOfWork


def has_second_factor(node: Node, actor: Actor) -> bool:
    with node.store.read() as uow:
        creds = uow.users.credentials(actor.user_id)
    return creds is not None and creds.totp_secret is not None


def change_password(
    node: Node,
    actor: Actor,
    *,
    current: str,
    password: str,
    password_again: str,
    keep_session: str | None = None,
) -> None:
    """Replace the actor's own password; a wrong current password counts toward the lockout."""
    if password != password_again:
        raise PasswordsDiffer("the two new passwords differ: type the same password twice")
    hashed = hash_password(password)
    refused = False
    with node.store.transaction() as uow:
        user, failed = _current_checked(uow, node, actor, current)
        if failed:
            refused = True
        else:
            uow.users.set_password_hash(user, hashed)
            _changed(uow, node, actor, "user.password", keep_session)
    if refused:
        raise SignInRefused("the current password is wrong")


def new_second_factor(node: Node, actor: Actor) -> Enrolment:
    """A fresh TOTP secret to show the owner (nothing stored until a code confirms it)."""
    return enrolment_of(node, actor.username, pyotp.random_base32())


def confirm_second_factor(
    node: Node, actor: Actor, *, secret: str, code: str, keep_session: str | None = None
) -> None:
    """Store the secret the owner's app holds, once a code of it is right (counts as a failed
    sign-in otherwise: a stolen session cannot try codes without end)."""
    cleaned = secret.strip().upper()
    now = node.wall_now()  # the phone's code and the lockout follow the real time
    refused = False
    with node.store.transaction() as uow:
        user = uow.users.get(actor.user_id)
        creds = uow.users.credentials(actor.user_id)
        if user is None or creds is None:
            raise NotFound("this user no longer exists")
        if creds.locked_until is not None and creds.locked_until > now:
            raise LockedOut(creds.locked_until)
        step = valid_step(cleaned, code, now)
        if step is None:
            count_failure(uow, node, user, creds.failed_logins)
            refused = True
        else:
            uow.users.set_totp(user.id, cleaned)
            uow.users.use_totp_step(user.id, step)
            _changed(uow, node, actor, "user.totp", keep_session)
    if refused:
        raise SignInRefused("the code is wrong: give the code your app shows now")


def remove_second_factor(
    node: Node, actor: Actor, *, current: str, keep_session: str | None = None
) -> None:
    """Remove the owner's second factor (its current password confirms it), unless the node
    requires one of its role."""
    if second_factor_required(node, actor.role.value):
        raise Forbidden(
            f"a {actor.role.value} of this node needs a second factor: enrol a new one instead"
        )
    refused = False
    with node.store.transaction() as uow:
        user, failed = _current_checked(uow, node, actor, current)
        if failed:
            refused = True
        else:
            uow.users.set_totp(user, None)
            _changed(uow, node, actor, "user.totp.remove", keep_session)
    if refused:
        raise SignInRefused("the current password is wrong")


def _current_checked(uow: UnitOfWork, node: Node, actor: Actor, current: str) -> tuple[str, bool]:
    """The user's id, and whether ``current`` was the wrong password (then counted)."""
    user = uow.users.get(actor.user_id)
    creds = uow.users.credentials(actor.user_id)
    if user is None or creds is None:
        raise NotFound("this user no longer exists")
    if creds.locked_until is not None and creds.locked_until > node.wall_now():
        raise LockedOut(creds.locked_until)
    right = (
        creds.password_hash is not None
        and len(current) <= 1024
        and verify_password(creds.password_hash, current)
    )
    if not right:
        count_failure(uow, node, user, creds.failed_logins)
        return user.id, True
    return user.id, False


def _changed(
    uow: UnitOfWork, node: Node, actor: Actor, action: str, keep_session: str | None
) -> None:
    uow.users.set_failures(actor.user_id, 0, None)
    uow.web_sessions.delete_for_user(actor.user_id, keep=keep_session)
    uow.audit.append(
        at=node.now(),
        actor=actor.label,
        action=action,
        entity_type="user",
        entity_id=actor.user_id,
        details={"via": actor.via, "own": True},
    )
