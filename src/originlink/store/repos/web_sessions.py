"""Web sessions, server side (see ``store.tables.web_sessions``): a session ends when its row
is deleted (sign-out, a disabled user, a new password) or when ``expires_at`` has passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection

from originlink.store.tables import web_sessions


@dataclass(frozen=True, slots=True)
class WebSessionRecord:
    id: str
    user_id: str
    csrf_token: str
    second_factor_pending: bool
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime


def _record(row: Any) -> WebSessionRecord:
    return WebSessionRecord(
        id=row.id,
        user_id=row.user_id,
        csrf_token=row.csrf_token,
        second_factor_pending=bool(row.second_factor_pending),
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
    )


_GET = select(web_sessions).where(web_sessions.c.id == bindparam("b_id"))


class WebSessions:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, record: WebSessionRecord) -> None:
        self._c.execute(
            web_sessions.insert().values(
                id=record.id,
                user_id=record.user_id,
                csrf_token=record.csrf_token,
                second_factor_pending=record.second_factor_pending,
                created_at=record.created_at,
                last_seen_at=record.last_seen_at,
                expires_at=record.expires_at,
            )
        )

    def get(self, session_id: str) -> WebSessionRecord | None:
        row = self._c.execute(_GET, {"b_id": session_id}).first()
        return _record(row) if row else None

    def touch(self, session_id: str, *, last_seen_at: datetime, expires_at: datetime) -> None:
        self._c.execute(
            update(web_sessions)
            .where(web_sessions.c.id == session_id)
            .values(last_seen_at=last_seen_at, expires_at=expires_at)
        )

    def second_factor_done(self, session_id: str) -> None:
        self._c.execute(
            update(web_sessions)
            .where(web_sessions.c.id == session_id)
            .values(second_factor_pending=False)
        )

    def delete(self, session_id: str) -> None:
        self._c.execute(delete(web_sessions).where(web_sessions.c.id == session_id))

    def delete_for_user(self, user_id: str, *, keep: str | None = None) -> int:
        """End every session of the user (but ``keep``, the one making the change)."""
        query = delete(web_sessions).where(web_sessions.c.user_id == user_id)
        if keep is not None:
            query = query.where(web_sessions.c.id != keep)
        result = self._c.execute(query)
        return int(result.rowcount or 0)

    def delete_expired(self, now: datetime) -> int:
        result = self._c.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
        return int(result.rowcount or 0)
