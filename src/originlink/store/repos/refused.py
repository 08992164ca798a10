"""Refused traffic: requests turned away before their sender was established (searchable)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import refused_messages


class Refused:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        received_at: datetime,
        code: str,
        detail: str,
        body_bytes: int,
        caller: str | None = None,
        claimed_sender: str | None = None,
        claimed_message_id: str | None = None,
        message_type: str | None = None,
        remote_address: str | None = None,
        excerpt: str | None = None,
        count: int = 1,
    ) -> None:
        self._c.execute(
            refused_messages.insert(),
            {
                "received_at": received_at,
                "code": code,
                "detail": detail[:2000],
                "body_bytes": body_bytes,
                "caller": caller,
                "claimed_sender": claimed_sender,
                "claimed_message_id": (claimed_message_id or "")[:64] or None,
                "message_type": (message_type or "")[:32] or None,
                "remote_address": remote_address,
                "excerpt": excerpt[:1000] if excerpt else None,
                "count": count,
            },
        )

    def search(
        self,
        *,
        code: str | None = None,
        since: datetime | None = None,
        sender: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        conditions = []
        if code:
            conditions.append(refused_messages.c.code == code)
        if since is not None:
            conditions.append(refused_messages.c.received_at >= since)
        if sender:
            conditions.append(refused_messages.c.claimed_sender == sender)
        rows = self._c.execute(
            select(refused_messages)
            .where(*conditions)
            .order_by(refused_messages.c.received_at.desc(), refused_messages.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        total = self._c.execute(
            select(func.count()).select_from(refused_messages).where(*conditions)
        ).scalar_one()
        items = []
        for row in rows:
            item = dict(row._mapping)
            item["received_at"] = item["received_at"].isoformat()
            items.append(item)
        return items, int(total)
