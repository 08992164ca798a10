"""Everything the node holds about one CO, as plain JSON-ready rows (for an evidence bundle
and for the archive retention writes), and removing it all when its record-keeping period is
over. The audit log is never touched: it records the removal too."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, delete, func, or_, select
from sqlalchemy.engine import Connection

from originlink.store.exchange_tables import inbox, outbox
from originlink.store.tables import (
    audit_head,
    audit_log,
    certificate_digests,
    certificate_events,
    certificate_items,
    certificate_links,
    certificates,
    declarations,
    post_clearance_reviews,
    usage_ledger,
    utilisation_notices,
    verification_cases,
    verification_files,
)

_PENDING = ("QUEUED", "RETRYING", "SENDING")
_OPEN_CASES = ("OPEN", "ACKNOWLEDGED")


def jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row with instants and dates as ISO text and bytes as base64."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, datetime | date):
            out[key] = value.isoformat()
        elif isinstance(value, bytes | memoryview):
            out[key] = base64.b64encode(bytes(value)).decode("ascii")
        else:
            out[key] = value
    return out


class Records:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def _rows(self, table: Table, *conditions: Any, order: Any = None) -> list[dict[str, Any]]:
        query = select(table).where(*conditions)
        if order is not None:
            query = query.order_by(order)
        return [jsonable(dict(r._mapping)) for r in self._c.execute(query)]

    def of_certificate(self, certificate_id: str) -> dict[str, Any] | None:
        """Every row about the CO: itself, its version digests, events, links, items, ledger,
        messages, claims and reviews, utilisation notices, verification cases and files."""
        found = self._rows(certificates, certificates.c.id == certificate_id)
        if not found:
            return None
        case_rows = self._rows(
            verification_cases, verification_cases.c.certificate_id == certificate_id
        )
        case_ids = [c["id"] for c in case_rows]
        return {
            "certificate": found[0],
            "version_digests": self._rows(
                certificate_digests, certificate_digests.c.certificate_id == certificate_id
            ),
            "events": self._rows(
                certificate_events,
                certificate_events.c.certificate_id == certificate_id,
                order=certificate_events.c.id,
            ),
            "links": self._rows(
                certificate_links,
                or_(
                    certificate_links.c.from_id == certificate_id,
                    certificate_links.c.to_id == certificate_id,
                ),
            ),
            "items": self._rows(
                certificate_items, certificate_items.c.certificate_id == certificate_id
            ),
            "ledger": self._rows(
                usage_ledger,
                usage_ledger.c.certificate_id == certificate_id,
                order=usage_ledger.c.id,
            ),
            "messages_sent": self._rows(
                outbox, outbox.c.certificate_id == certificate_id, order=outbox.c.created_at
            ),
            "messages_received": self._rows(
                inbox, inbox.c.certificate_id == certificate_id, order=inbox.c.received_at
            ),
            "claims": self._rows(declarations, declarations.c.certificate_id == certificate_id),
            "reviews": self._rows(
                post_clearance_reviews, post_clearance_reviews.c.certificate_id == certificate_id
            ),
            "utilisation": self._rows(
                utilisation_notices, utilisation_notices.c.certificate_id == certificate_id
            ),
            "verification_cases": case_rows,
            "verification_files": self._rows(
                verification_files, verification_files.c.case_id.in_(case_ids)
            )
            if case_ids
            else [],
        }

    def audit_of(self, entity_ids: list[str]) -> list[dict[str, Any]]:
        """The audit records about any of ``entity_ids``, in chain order."""
        if not entity_ids:
            return []
        return self._rows(audit_log, audit_log.c.entity_id.in_(entity_ids), order=audit_log.c.seq)

    def audit_head(self) -> dict[str, Any] | None:
        rows = self._rows(audit_head, audit_head.c.id == 1)
        return rows[0] if rows else None

    def retention_candidates(self, limit: int) -> list[dict[str, Any]]:
        """COs with their agreement and when their period starts (issue, else creation)."""
        query = (
            select(
                certificates.c.id,
                certificates.c.agreement,
                certificates.c.number,
                certificates.c.side,
                func.coalesce(certificates.c.issue_datetime, certificates.c.created_at).label(
                    "since"
                ),
            )
            .order_by(certificates.c.created_at)
            .limit(limit)
        )
        return [dict(r._mapping) for r in self._c.execute(query)]

    def still_in_use(self, certificate_id: str) -> str | None:
        """Why the CO may not be removed yet (a message still to send, an open case)."""
        pending = self._c.execute(
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.certificate_id == certificate_id, outbox.c.status.in_(_PENDING))
        ).scalar_one()
        if pending:
            return f"{pending} message(s) still to be delivered"
        cases = self._c.execute(
            select(func.count())
            .select_from(verification_cases)
            .where(
                verification_cases.c.certificate_id == certificate_id,
                verification_cases.c.status.in_(_OPEN_CASES),
            )
        ).scalar_one()
        if cases:
            return f"{cases} verification case(s) still open"
        return None

    def remove_certificate(self, certificate_id: str) -> int:
        """Delete the CO and every row about it (not the audit log); returns rows deleted."""
        c = self._c
        deleted = 0
        case_ids = select(verification_cases.c.id).where(
            verification_cases.c.certificate_id == certificate_id
        )
        declaration_ids = select(declarations.c.id).where(
            declarations.c.certificate_id == certificate_id
        )
        for statement in (
            delete(verification_files).where(verification_files.c.case_id.in_(case_ids)),
            delete(verification_cases).where(verification_cases.c.certificate_id == certificate_id),
            delete(post_clearance_reviews).where(
                or_(
                    post_clearance_reviews.c.certificate_id == certificate_id,
                    post_clearance_reviews.c.declaration_id.in_(declaration_ids),
                )
            ),
            delete(declarations).where(declarations.c.certificate_id == certificate_id),
            delete(utilisation_notices).where(
                utilisation_notices.c.certificate_id == certificate_id
            ),
            delete(usage_ledger).where(usage_ledger.c.certificate_id == certificate_id),
            delete(certificate_items).where(certificate_items.c.certificate_id == certificate_id),
            delete(certificate_digests).where(
                certificate_digests.c.certificate_id == certificate_id
            ),
            delete(certificate_links).where(certificate_links.c.from_id == certificate_id),
            delete(certificate_events).where(certificate_events.c.certificate_id == certificate_id),
            delete(outbox).where(outbox.c.certificate_id == certificate_id),
            delete(inbox).where(inbox.c.certificate_id == certificate_id),
            delete(certificates).where(certificates.c.id == certificate_id),
        ):
            deleted += int(c.execute(statement).rowcount or 0)
        return deleted
