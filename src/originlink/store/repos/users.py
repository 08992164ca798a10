"""Users, their API tokens (stored as argon2 hashes, looked up by a public prefix) and their
web sign-in credentials (password hash, TOTP secret, lockout counters)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from originlink.store.tables import api_tokens, users


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: str
    username: str
    display_name: str
    role: str
    organisation: str | None
    disabled: bool
    created_at: datetime
    #: Exporter identifiers this exporter represents besides its organisation.
    represents: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role,
            "organisation": self.organisation,
            "represents": list(self.represents),
            "disabled": self.disabled,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Credentials:
    """What signing in to the web pages checks; never part of :class:`UserRecord`, so it is
    never listed, audited or sent by the API."""

    user_id: str
    password_hash: str | None
    totp_secret: str | None
    totp_last_step: int | None
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True, slots=True)
class Activation:
    """A user's one-time activation code: only its SHA-256 is kept."""

    code_hash: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: str
    user_id: str
    prefix: str
    token_hash: str
    expires_at: datetime | None
    revoked_at: datetime | None


def _user(row: Any) -> UserRecord:
    return UserRecord(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        organisation=row.organisation,
        disabled=bool(row.disabled),
        created_at=row.created_at,
        represents=tuple(json.loads(row.represents)) if row.represents else (),
    )


_GET = select(users).where(users.c.id == bindparam("b_id"))
_TOKEN = select(api_tokens).where(api_tokens.c.prefix == bindparam("b_prefix"))


class Users:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, record: UserRecord) -> None:
        self._c.execute(
            users.insert().values(
                id=record.id,
                username=record.username,
                display_name=record.display_name,
                role=record.role,
                organisation=record.organisation,
                represents=json.dumps(list(record.represents)) if record.represents else None,
                disabled=record.disabled,
                created_at=record.created_at,
            )
        )

    def get(self, user_id: str) -> UserRecord | None:
        row = self._c.execute(_GET, {"b_id": user_id}).first()
        return _user(row) if row else None

    def by_username(self, username: str) -> UserRecord | None:
        row = self._c.execute(select(users).where(users.c.username == username)).first()
        return _user(row) if row else None

    def list(self, *, limit: int, offset: int) -> list[UserRecord]:
        rows = self._c.execute(select(users).order_by(users.c.username).limit(limit).offset(offset))
        return [_user(r) for r in rows]

    def count(self) -> int:
        return int(self._c.execute(select(func.count()).select_from(users)).scalar_one())

    def set_disabled(self, user_id: str, disabled: bool) -> None:
        self._c.execute(update(users).where(users.c.id == user_id).values(disabled=disabled))

    def credentials(self, user_id: str) -> Credentials | None:
        row = self._c.execute(
            select(
                users.c.id,
                users.c.password_hash,
                users.c.totp_secret,
                users.c.totp_last_step,
                users.c.failed_logins,
                users.c.locked_until,
            ).where(users.c.id == user_id)
        ).first()
        if row is None:
            return None
        return Credentials(
            row.id,
            row.password_hash,
            row.totp_secret,
            row.totp_last_step,
            int(row.failed_logins or 0),
            row.locked_until,
        )

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        self._c.execute(
            update(users).where(users.c.id == user_id).values(password_hash=password_hash)
        )

    def set_totp(self, user_id: str, secret: str | None) -> None:
        self._c.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(totp_secret=secret, totp_last_step=None)
        )

    def use_totp_step(self, user_id: str, step: int) -> bool:
        """Record ``step`` as used; False when it (or a later one) was already used."""
        result = self._c.execute(
            update(users)
            .where(
                users.c.id == user_id,
                (users.c.totp_last_step.is_(None)) | (users.c.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        return bool(result.rowcount)

    def clear_sign_in(self, user_id: str) -> None:
        """No password, no second factor, no failure count: the user signs in again only
        after activating (see :meth:`set_activation`)."""
        self._c.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                password_hash=None,
                totp_secret=None,
                totp_last_step=None,
                failed_logins=0,
                locked_until=None,
            )
        )

    def set_activation(self, user_id: str, code_hash: str, expires_at: datetime) -> None:
        """Replace any earlier activation code of the user by this one."""
        self._c.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(
                activation_hash=code_hash,
                activation_expires_at=expires_at,
                activation_used_at=None,
            )
        )

    def activation(self, user_id: str) -> Activation | None:
        row = self._c.execute(
            select(
                users.c.activation_hash,
                users.c.activation_expires_at,
                users.c.activation_used_at,
            ).where(users.c.id == user_id)
        ).first()
        if row is None or row.activation_hash is None or row.activation_expires_at is None:
            return None
        return Activation(row.activation_hash, row.activation_expires_at, row.activation_used_at)

    def use_activation(self, user_id: str, code_hash: str, at: datetime) -> bool:
        """Mark the code used; False when it was used already (by a concurrent request)."""
        result = self._c.execute(
            update(users)
            .where(
                users.c.id == user_id,
                users.c.activation_hash == code_hash,
                users.c.activation_used_at.is_(None),
            )
            .values(activation_used_at=at)
        )
        return bool(result.rowcount)

    def set_failures(self, user_id: str, failed: int, locked_until: datetime | None) -> None:
        self._c.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(failed_logins=failed, locked_until=locked_until)
        )

    def add_token(
        self,
        *,
        token_id: str,
        user_id: str,
        prefix: str,
        token_hash: str,
        label: str | None,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> None:
        self._c.execute(
            api_tokens.insert().values(
                id=token_id,
                user_id=user_id,
                prefix=prefix,
                token_hash=token_hash,
                label=label,
                created_at=created_at,
                expires_at=expires_at,
                revoked_at=None,
            )
        )

    def token_by_prefix(self, prefix: str) -> TokenRecord | None:
        row = self._c.execute(_TOKEN, {"b_prefix": prefix}).first()
        if row is None:
            return None
        return TokenRecord(
            row.id, row.user_id, row.prefix, row.token_hash, row.expires_at, row.revoked_at
        )

    def revoke_tokens(self, user_id: str, at: datetime) -> int:
        result = self._c.execute(
            update(api_tokens)
            .where(api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return int(result.rowcount or 0)
