"""One-time activation codes: how an administrator gives a user access without ever knowing
the user's password or second factor.

An administrator who types a new user's first password, or resets one to a value of its
choosing, knows the credentials and can sign in as that user (separation of duties,
:mod:`originlink.services.node.users`). Instead, adding a user on the web pages or resetting a
user's sign-in clears the password and the second factor, ends the user's sessions and makes a
random one-time code that the administrator hands over out of band. The user turns it into a
password of their own at ``/app/activate`` (and enrols a TOTP second factor there when the
node requires one for the role), acting as themselves.

Only the code's SHA-256 is stored (the code carries 100 random bits, so a fast hash is enough);
it expires after ``activation_valid`` (``[web] activation_hours``); a used code stays recorded,
so a second use is refused saying it was used. Wrong codes count toward the lockout like
wrong passwords. The audit record says who made a code for whom and until when, never the code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

import pyotp

from originlink.domain.authz import Actor, Permission, Role
from originlink.domain.errors import Conflict, Forbidden, NotFound, PermanentError
from originlink.services.context import Node
from originlink.services.node import users as user_service
from originlink.services.node.credentials import (
    Enrolment,
    LockedOut,
    SignInRefused,
    count_failure,
    enrolment_of,
    hash_password,
    matching_step,
    second_factor_required,
)
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.users import UserRecord

#: Letters and digits that cannot be misread for one another (no 0/O, 1/I/L).
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_GROUPS, _GROUP = 4, 5
MAX_CODE = 64
_BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


class ActivationRefused(SignInRefused):
    code = "ACTIVATION_REFUSED"
    title = "Activation refused"


class ActivationUsed(ActivationRefused):
    code = "ACTIVATION_USED"
    title = "Activation code already used"


class ActivationExpired(ActivationRefused):
    code = "ACTIVATION_EXPIRED"
    title = "Activation code expired"

    def __init__(self, expired: datetime) -> None:
        super().__init__(
            f"this activation code expired at {expired.strftime('%Y-%m-%d %H:%M UTC')}: "
            "ask an administrator for a new one",
            expired=expired.isoformat(),
        )
        self.expired = expired


class AppCodeWrong(ActivationRefused):
    """The activation code was right, the authenticator app's code for the new secret not."""

    code = "APP_CODE_WRONG"
    title = "Authenticator code wrong"


class PasswordsDiffer(PermanentError):
    code = "PASSWORDS_DIFFER"
    title = "The passwords differ"
    http_status = 422


@dataclass(frozen=True, slots=True)
class ActivationCode:
    """A code to hand over once; the node keeps only its hash."""

    username: str
    code: str
    expires_at: datetime


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(_GROUPS * _GROUP))
    return "-".join(raw[i : i + _GROUP] for i in range(0, len(raw), _GROUP))


def _digest(code: str) -> str:
    normalised = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def _issue(uow: UnitOfWork, node: Node, actor: Actor, user: UserRecord) -> ActivationCode:
    code = _new_code()
    now = node.now()
    # a code's life is real hours, also on a training node whose clock was moved
    expires = node.wall_now() + node.settings.activation_valid
    uow.users.clear_sign_in(user.id)
    uow.users.set_activation(user.id, _digest(code), expires)
    uow.web_sessions.delete_for_user(user.id)
    uow.audit.append(
        at=now,
        actor=actor.label,
        action="user.activation_code",
        entity_type="user",
        entity_id=user.id,
        details={"via": actor.via, "for": user.username, "expires_at": expires.isoformat()},
    )
    return ActivationCode(user.username, code, expires)


def add_user_with_code(
    node: Node,
    actor: Actor,
    *,
    username: str,
    role: str,
    display_name: str | None = None,
    organisation: str | None = None,
) -> ActivationCode:
    """Add a user (the roles :func:`users.creatable_roles` allows the actor) with no password
    and a one-time activation code, in one transaction: nothing is half-saved."""
    record = user_service.new_user(
        node,
        actor,
        username=username,
        role=role,
        display_name=display_name,
        organisation=organisation,
    )
    with node.store.transaction() as uow:
        user_service.store_user(uow, actor, record)
        return _issue(uow, node, actor, record)


def reset_sign_in(node: Node, actor: Actor, *, username: str) -> ActivationCode:
    """Clear a user's password and second factor, end its sessions, and make a new code.

    Only for a user of a role ``actor`` may create (:func:`users.creatable_roles`): whoever hands
    over a code could use it first, so an administrator who could reset an issuing officer's or
    a customs officer's sign-in could act as that officer. Those are reset on the host."""
    actor.require(Permission.USER_MANAGE)
    with node.store.transaction() as uow:
        user = uow.users.by_username(username)
        if user is None:
            raise NotFound(f"no user {username!r}")
        if Role(user.role) not in user_service.creatable_roles(actor):
            raise Forbidden(
                f"the sign-in of {username!r} ({user.role}) is reset on the host "
                f"('originlink users password {username}'): an administrator resets only the "
                "roles it may create, so that nobody can act as another through a code it "
                "handed over"
            )
        if user.disabled:
            raise Conflict(f"user {username!r} is disabled: it cannot be given a new sign-in")
        return _issue(uow, node, actor, user)


def activate(
    node: Node,
    *,
    username: str,
    code: str,
    password: str,
    password_again: str,
    totp_secret: str | None = None,
    totp_code: str | None = None,
) -> Enrolment | None:
    """Set the password (and second factor) of the user an activation code was made for, as
    that user. Returns None when done, or the :class:`Enrolment` to show first when the node
    requires a second factor of the user's role (the page then sends its secret back with a code
    of the authenticator app; nothing is stored until then)."""
    if password != password_again:
        raise PasswordsDiffer("the two new passwords differ: type the same password twice")
    hashed = hash_password(password)
    wrong = ActivationRefused("user name or activation code is wrong")
    if len(username) > 64 or len(code) > MAX_CODE or len(totp_secret or "") > 64:
        raise wrong
    now = node.wall_now()  # lockout, expiry and the phone's TOTP code follow the real time
    refusal: Exception | None = None
    enrolment: Enrolment | None = None
    with node.store.transaction() as uow:
        user = uow.users.by_username(username)
        creds = uow.users.credentials(user.id) if user is not None else None
        if user is None or creds is None:
            raise wrong
        if creds.locked_until is not None and creds.locked_until > now:
            raise LockedOut(creds.locked_until)
        held = uow.users.activation(user.id)
        digest = _digest(code)
        if user.disabled or held is None or not hmac.compare_digest(held.code_hash, digest):
            refusal = wrong
        elif held.used_at is not None:
            refusal = ActivationUsed(
                "this activation code was already used: ask an administrator for a new one"
            )
        elif held.expires_at <= now:
            refusal = ActivationExpired(held.expires_at)
        step: int | None = None
        secret = (totp_secret or "").strip().upper()
        if refusal is None and second_factor_required(node, user.role):
            if not secret:
                enrolment = enrolment_of(node, username, pyotp.random_base32())
            else:
                step = valid_step(secret, totp_code or "", now)
                if step is None:
                    refusal = AppCodeWrong(
                        "the code of the authenticator app is wrong: give the code it shows now"
                    )
        if refusal is not None:
            count_failure(uow, node, user, creds.failed_logins)
        elif enrolment is None:
            if not uow.users.use_activation(user.id, digest, now):
                raise ActivationUsed("this activation code was already used")
            uow.users.set_password_hash(user.id, hashed)
            if step is not None:
                uow.users.set_totp(user.id, secret)
                uow.users.use_totp_step(user.id, step)
            uow.users.set_failures(user.id, 0, None)
            uow.web_sessions.delete_for_user(user.id)
            uow.audit.append(
                at=node.now(),
                actor=f"{user.role}:{user.username}",
                action="user.activate",
                entity_type="user",
                entity_id=user.id,
                details={"via": "web", "second_factor": step is not None},
            )
    if refusal is not None:
        raise refusal
    return enrolment


def valid_step(secret: str, code: str, now: datetime) -> int | None:
    """The TOTP step ``code`` matches for a secret a page sent back (base32, 16-64 letters)."""
    if not (16 <= len(secret) <= 64) or any(c not in _BASE32 for c in secret):
        return None
    return matching_step(secret, code.strip(), now)
