"""What operating a node needs from the database: worker heartbeats and the figures the
``/metrics`` endpoint reports (counted in SQL at scrape time, so every instance reports the
same totals without sharing counters, and a restart loses none)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import inbox, outbox
from originlink.store.ops_tables import worker_heartbeats
from originlink.store.tables import certificates, declarations, verification_cases

_OPEN_CASES = ("OPEN", "ACKNOWLEDGED")
_DUE_STATUSES = ("QUEUED", "RETRYING")


@dataclass(frozen=True, slots=True)
class Figures:
    """One snapshot of the node's work, each figure keyed by its labels."""

    issued: dict[tuple[str, str], int] = field(default_factory=dict)  # (agreement, partner)
    received: dict[tuple[str, str], int] = field(default_factory=dict)  # (agreement, partner)
    messages: dict[tuple[str, str], int] = field(default_factory=dict)  # (direction, status)
    outbox_depth: int = 0
    oldest_due_age_seconds: float = 0.0
    dead_letters: int = 0
    claim_decisions: dict[str, int] = field(default_factory=dict)  # status
    cases_open: int = 0
    cases_overdue: int = 0


class Operations:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def beat(self, worker_id: str, host: str, at: datetime) -> None:
        """Record that ``worker_id`` is alive (one row per worker, updated in place)."""
        done = self._c.execute(
            update(worker_heartbeats)
            .where(worker_heartbeats.c.worker_id == worker_id)
            .values(host=host, beat_at=at)
        )
        if not done.rowcount:
            self._c.execute(
                worker_heartbeats.insert().values(worker_id=worker_id, host=host, beat_at=at)
            )

    def last_beat(self) -> datetime | None:
        """The most recent heartbeat of any worker."""
        value = self._c.execute(select(func.max(worker_heartbeats.c.beat_at))).scalar()
        return value if isinstance(value, datetime) else None

    def delivery_latencies(self, since: datetime, limit: int = 10_000) -> list[float]:
        """Seconds from queueing to delivery of the messages delivered since ``since``."""
        rows = self._c.execute(
            select(outbox.c.created_at, outbox.c.updated_at)
            .where(
                outbox.c.status.in_(("DELIVERED", "ACCEPTED", "REJECTED")),
                outbox.c.route != "pulled",
                outbox.c.updated_at >= since,
            )
            .limit(limit)
        )
        return [max(0.0, (done - queued).total_seconds()) for queued, done in rows]

    def figures(self, now: datetime) -> Figures:
        c = self._c
        issued: dict[tuple[str, str], int] = {}
        received: dict[tuple[str, str], int] = {}
        rows = c.execute(
            select(
                certificates.c.side,
                certificates.c.agreement,
                certificates.c.importing_country,
                certificates.c.issuing_country,
                certificates.c.partner,
                func.count(),
            ).group_by(
                certificates.c.side,
                certificates.c.agreement,
                certificates.c.importing_country,
                certificates.c.issuing_country,
                certificates.c.partner,
            )
        )
        for side, agreement, importing, issuing, partner, count in rows:
            if str(side).upper() == "IMPORT":
                key = (agreement or "", partner or issuing or "")
                received[key] = received.get(key, 0) + int(count)
            else:
                key = (agreement or "", importing or "")
                issued[key] = issued.get(key, 0) + int(count)
        messages: dict[tuple[str, str], int] = {}
        for status, count in c.execute(
            select(outbox.c.status, func.count()).group_by(outbox.c.status)
        ):
            messages[("outbound", str(status))] = int(count)
        for status, count in c.execute(
            select(inbox.c.status, func.count()).group_by(inbox.c.status)
        ):
            messages[("inbound", str(status))] = int(count)
        oldest = c.execute(
            select(func.min(outbox.c.next_attempt_at)).where(
                outbox.c.status.in_(_DUE_STATUSES),
                outbox.c.route != "mailbox",
                outbox.c.next_attempt_at <= now,
            )
        ).scalar()
        decisions = {
            str(status): int(count)
            for status, count in c.execute(
                select(declarations.c.status, func.count()).group_by(declarations.c.status)
            )
        }
        open_cases = verification_cases.c.status.in_(_OPEN_CASES)
        cases_open = c.execute(
            select(func.count()).select_from(verification_cases).where(open_cases)
        ).scalar_one()
        overdue = c.execute(
            select(func.count())
            .select_from(verification_cases)
            .where(open_cases, verification_cases.c.due_at < now)
        ).scalar_one()
        return Figures(
            issued=issued,
            received=received,
            messages=messages,
            outbox_depth=sum(
                v
                for (d, s), v in messages.items()
                if d == "outbound" and s in ("QUEUED", "RETRYING", "SENDING")
            ),
            oldest_due_age_seconds=(now - oldest).total_seconds() if oldest else 0.0,
            dead_letters=messages.get(("outbound", "DEAD"), 0),
            claim_decisions=decisions,
            cases_open=int(cases_open),
            cases_overdue=int(overdue),
        )
