"""Web sign-in credentials: passwords (argon2 hashes), the optional TOTP second factor, and the
lockout after repeated failures.

No user acts as another (separation of duties): a password or TOTP secret is set only by its
owner (``/app/account``, ``/app/activate``) or on the node's host (``originlink users password``,
``originlink users totp``), each with an audit record. An administrator who could type another
user's password could sign in as that user; it resets a user's sign-in instead, which clears
both and makes a one-time activation code (:mod:`originlink.services.node.activation`).
A failed sign-in says only "user name or password is wrong", whatever was wrong, so the page
does not tell which user names exist; an unknown name costs the same argon2 check as a known
one. After ``lockout_failures`` failures in a row (wrong password or wrong code) the user is
locked for ``lockout_duration``, even with the right password; a success resets the count.
A TOTP code is accepted once: the time step of the last accepted code is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from originlink.domain.authz import Actor, Role
from originlink.domain.errors import AuthenticationRequired, Forbidden, NotFound, PermanentError
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.users import UserRecord

#: OWASP's argon2id parameters (19 MiB, 2 passes): the same hasher as API tokens.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY_HASH = _HASHER.hash("originlink-no-such-user")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
#: Roles that need a second factor when the node's configuration requires one.
SECOND_FACTOR_ROLES = frozenset({Role.ISSUING_OFFICER, Role.ADMIN})


class InvalidPassword(PermanentError):
    code = "INVALID_PASSWORD"
    title = "Password not acceptable"
    http_status = 422


class SignInRefused(AuthenticationRequired):
    code = "SIGN_IN_REFUSED"
    title = "Sign-in refused"


class LockedOut(SignInRefused):
    code = "LOCKED_OUT"
    title = "Too many failed sign-ins"

    def __init__(self, until: datetime) -> None:
        super().__init__(
            "too many failed sign-ins: this user is locked until "
            f"{until.strftime('%Y-%m-%d %H:%M UTC')}",
            until=until.isoformat(),
        )
        self.until = until


class SecondFactorMissing(SignInRefused):
    code = "SECOND_FACTOR_MISSING"
    title = "A second factor is required"


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A new TOTP secret: the URI an authenticator app reads (as a QR code) and the secret."""

    username: str
    secret: str
    uri: str


@dataclass(frozen=True, slots=True)
class PasswordChecked:
    user: UserRecord
    second_factor: bool


def require_owner_or_host(actor: Actor, user: UserRecord, what: str, command: str) -> None:
    """Only the user itself, or the operator on the host, sets ``what`` (a password, a second
    factor); an administrator resets the user's sign-in instead (an activation code)."""
    if actor.on_host or actor.user_id == user.id:
        return
    raise Forbidden(
        f"the {what} of {user.username!r} is set only by {user.username!r} itself, or on the "
        f"node's host with 'originlink {command} {user.username}'; an administrator resets "
        "the user's sign-in instead, which gives a one-time activation code (separation of "
        "duties)"
    )


def hash_password(password: str) -> str:
    """The argon2 hash of an accepted password (:func:`check_password_rules` first)."""
    check_password_rules(password)
    return _HASHER.hash(password)


def second_factor_required(node: Node, role: str) -> bool:
    """Whether the node's configuration requires a TOTP code of this role."""
    return node.settings.require_second_factor and Role(role) in SECOND_FACTOR_ROLES


def _user(uow: UnitOfWork, username: str) -> UserRecord:
    user = uow.users.by_username(username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def check_password_rules(password: str) -> None:
    """Refuse a password the node does not accept, saying why (before anything is stored)."""
    if not (MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        raise InvalidPassword(
            f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters "
            f"(this one has {len(password)})"
        )
    if password.strip() != password or not password.isprintable():
        raise InvalidPassword("a password may not start or end with spaces or hold control keys")


def set_password(node: Node, actor: Actor, *, username: str, password: str) -> None:
    """Set a user's password (the user itself, or the host). Every open web session of the
    user ends."""
    hashed = hash_password(password)
    now = node.now()
    with node.store.transaction() as uow:
        user = _user(uow, username)
        require_owner_or_host(actor, user, "password", "users password")
        uow.users.set_password_hash(user.id, hashed)
        uow.users.set_failures(user.id, 0, None)
        uow.web_sessions.delete_for_user(user.id)
        uow.audit.append(
            at=now,
            actor=actor.label,
            action="user.password",
            entity_type="user",
            entity_id=user.id,
            details={"via": actor.via},
        )


def enrol_totp(node: Node, actor: Actor, *, username: str) -> Enrolment:
    """Give a user a new TOTP secret (replacing any earlier one) and return its URI (the user
    itself, or the host)."""
    secret = pyotp.random_base32()
    now = node.now()
    with node.store.transaction() as uow:
        user = _user(uow, username)
        require_owner_or_host(actor, user, "second factor", "users totp")
        uow.users.set_totp(user.id, secret)
        uow.web_sessions.delete_for_user(user.id)
        uow.audit.append(
            at=now,
            actor=actor.label,
            action="user.totp",
            entity_type="user",
            entity_id=user.id,
            details={"via": actor.via},
        )
    return enrolment_of(node, username, secret)


def enrolment_of(node: Node, username: str, secret: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=node.identity.name)
    return Enrolment(username, secret, uri)


def remove_totp(node: Node, actor: Actor, *, username: str) -> None:
    """Remove a user's second factor (a lost phone: on the host; or the user itself, when its
    role does not need one)."""
    with node.store.transaction() as uow:
        user = _user(uow, username)
        require_owner_or_host(actor, user, "second factor", "users totp --remove")
        if not actor.on_host and second_factor_required(node, user.role):
            raise Forbidden(
                f"a {user.role} of this node needs a second factor: enrol a new one instead"
            )
        uow.users.set_totp(user.id, None)
        uow.web_sessions.delete_for_user(user.id)
        uow.audit.append(
            at=node.now(),
            actor=actor.label,
            action="user.totp.remove",
            entity_type="user",
            entity_id=user.id,
            details={"via": actor.via},
        )


def count_failure(uow: UnitOfWork, node: Node, user: UserRecord, failed: int) -> None:
    """Count one more failure, locking the user when the count reaches the limit."""
    settings = node.settings
    count = failed + 1
    wall = node.wall_now()  # a lockout lasts real minutes, whatever a training clock says
    locked = wall + settings.lockout_duration if count >= settings.lockout_failures else None
    uow.users.set_failures(user.id, 0 if locked else count, locked)
    uow.audit.append(
        at=node.now(),
        actor=f"web:{user.username}",
        action="user.sign_in.locked" if locked else "user.sign_in.failed",
        entity_type="user",
        entity_id=user.id,
        details={"failures": count},
    )


def check_password(node: Node, username: str, password: str) -> PasswordChecked:
    """The user a user name and password stand for, and whether a TOTP code must follow.

    Raises :class:`SignInRefused` (one message for every wrong input), :class:`LockedOut`,
    or :class:`SecondFactorMissing` (the node requires one and the user has none)."""
    wrong = SignInRefused("user name or password is wrong")
    if len(username) > 64 or len(password) > MAX_PASSWORD:
        raise wrong
    now = node.wall_now()
    with node.store.transaction() as uow:
        user = uow.users.by_username(username)
        creds = uow.users.credentials(user.id) if user is not None else None
        if user is None or creds is None or creds.password_hash is None:
            verify_password(_DUMMY_HASH, password)
            raise wrong
        if creds.locked_until is not None and creds.locked_until > now:
            raise LockedOut(creds.locked_until)
        if user.disabled or not verify_password(creds.password_hash, password):
            count_failure(uow, node, user, creds.failed_logins)
            failed = True
        else:
            failed = False
            if creds.failed_logins or creds.locked_until:
                uow.users.set_failures(user.id, 0, None)
    if failed:
        raise wrong
    if second_factor_required(node, user.role) and creds.totp_secret is None:
        raise SecondFactorMissing(
            "your role needs a second factor and none is enrolled: ask an administrator to "
            f"reset your sign-in (an activation code), or run 'originlink users totp {username}' "
            "on the host"
        )
    return PasswordChecked(user, creds.totp_secret is not None)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_totp(node: Node, user_id: str, code: str) -> None:
    """Accept a TOTP code of the user once (the current step or the one either side);
    a wrong or reused code counts as a failed sign-in. The code comes from the user's phone,
    so it is matched against the real time, also on a training node."""
    now = node.wall_now()
    with node.store.transaction() as uow:
        user = uow.users.get(user_id)
        creds = uow.users.credentials(user_id)
        if user is None or creds is None or creds.totp_secret is None:
            raise SignInRefused("this user has no second factor")
        if creds.locked_until is not None and creds.locked_until > now:
            raise LockedOut(creds.locked_until)
        step = matching_step(creds.totp_secret, code.strip(), now)
        if step is None or not uow.users.use_totp_step(user_id, step):
            count_failure(uow, node, user, creds.failed_logins)
            failed = True
        else:
            failed = False
            uow.users.set_failures(user_id, 0, None)
    if failed:
        raise SignInRefused("the code is wrong or was already used")


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None
