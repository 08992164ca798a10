"""The usage ledger (importing side) and utilisation notices (issuing side).

A draw is one conditional ``UPDATE certificate_items SET remaining = remaining - q WHERE ...
AND remaining >= q RETURNING remaining``: the row lock it takes is held until commit, so two
concurrent claims on the same item queue and the remaining quantity never goes below zero, on
SQLite and on PostgreSQL alike. Every draw and every re-credit also writes a ledger row in the
same transaction (``delta_micros`` negative for a draw, positive for a re-credit).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from originlink.domain.claims import ItemFacts
from originlink.domain.quantities import micros_text
from originlink.store.tables import certificate_items, usage_ledger, utilisation_notices

DRAW = "DRAW"
RECREDIT_AMENDED = "RECREDIT_AMENDED"
RECREDIT_INVALIDATED = "RECREDIT_INVALIDATED"
RECREDIT_REDECIDED = "RECREDIT_REDECIDED"

_ITEMS = select(
    certificate_items.c.sequence_number,
    certificate_items.c.hs6,
    certificate_items.c.unit_code,
    certificate_items.c.quantity_micros,
    certificate_items.c.remaining_micros,
    certificate_items.c.origin_status,
).where(certificate_items.c.certificate_id == bindparam("b_cert"))
_ITEM_KEY = (
    certificate_items.c.certificate_id == bindparam("b_cert"),
    certificate_items.c.sequence_number == bindparam("b_seq"),
)
_DRAW = (
    update(certificate_items)
    .where(*_ITEM_KEY, certificate_items.c.remaining_micros >= bindparam("b_qty"))
    .values(remaining_micros=certificate_items.c.remaining_micros - bindparam("b_qty"))
    .returning(certificate_items.c.remaining_micros)
)
_CREDIT = (
    update(certificate_items)
    .where(*_ITEM_KEY)
    .values(remaining_micros=certificate_items.c.remaining_micros + bindparam("b_qty"))
    .returning(certificate_items.c.remaining_micros)
)
_REMAINING = select(certificate_items.c.remaining_micros).where(*_ITEM_KEY)
_ADD_ENTRY = usage_ledger.insert()


@dataclass(frozen=True, slots=True)
class NetUse:
    """What one declaration line still holds of one CO item."""

    certificate_id: str
    sequence_number: int
    declaration_id: str
    line_number: int
    unit_code: str
    net_micros: int


class Ledger:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add_items(self, rows: Iterable[dict[str, Any]]) -> None:
        """Insert item rows (``certificate_id``, ``sequence_number``, ``hs6``, ``unit_code``,
        ``quantity_micros``, ``remaining_micros``)."""
        batch = list(rows)
        if batch:
            self._c.execute(certificate_items.insert(), batch)

    def items(self, certificate_id: str) -> dict[int, ItemFacts]:
        rows = self._c.execute(_ITEMS, {"b_cert": certificate_id})
        return {r[0]: ItemFacts(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows}

    def draw(self, certificate_id: str, sequence_number: int, micros: int) -> int | None:
        """Take ``micros`` from the item; the remaining quantity after, or None when short."""
        row = self._c.execute(
            _DRAW, {"b_cert": certificate_id, "b_seq": sequence_number, "b_qty": micros}
        ).first()
        return None if row is None else int(row[0])

    def remaining(self, certificate_id: str, sequence_number: int) -> int | None:
        row = self._c.execute(
            _REMAINING, {"b_cert": certificate_id, "b_seq": sequence_number}
        ).first()
        return None if row is None or row[0] is None else int(row[0])

    def credit(self, certificate_id: str, sequence_number: int, micros: int) -> int:
        row = self._c.execute(
            _CREDIT, {"b_cert": certificate_id, "b_seq": sequence_number, "b_qty": micros}
        ).first()
        return 0 if row is None else int(row[0])

    def add_entry(
        self,
        *,
        certificate_id: str,
        sequence_number: int,
        declaration_id: str,
        line_number: int,
        delta_micros: int,
        unit_code: str,
        reason: str,
        at: datetime,
    ) -> None:
        self._c.execute(
            _ADD_ENTRY,
            {
                "certificate_id": certificate_id,
                "sequence_number": sequence_number,
                "declaration_id": declaration_id,
                "line_number": line_number,
                "delta_micros": delta_micros,
                "unit_code": unit_code,
                "reason": reason,
                "at": at,
            },
        )

    def _net(self, *conditions: Any) -> list[NetUse]:
        led = usage_ledger.c
        total = func.sum(led.delta_micros)
        rows = self._c.execute(
            select(
                led.certificate_id,
                led.sequence_number,
                led.declaration_id,
                led.line_number,
                led.unit_code,
                total,
            )
            .where(*conditions)
            .group_by(
                led.certificate_id,
                led.sequence_number,
                led.declaration_id,
                led.line_number,
                led.unit_code,
            )
            .having(total != 0)
            .order_by(led.declaration_id, led.line_number)
        )
        return [NetUse(r[0], r[1], r[2], r[3], r[4], -int(r[5])) for r in rows]

    def held_by(self, declaration_id: str) -> list[NetUse]:
        """What the declaration's lines still hold (drawn and not re-credited)."""
        return self._net(usage_ledger.c.declaration_id == declaration_id)

    def claims_on(
        self, certificate_id: str, sequence_numbers: Sequence[int] | None = None
    ) -> list[NetUse]:
        """Declaration lines that hold quantity of the CO (optionally of some items only)."""
        conditions: list[Any] = [usage_ledger.c.certificate_id == certificate_id]
        if sequence_numbers is not None:
            conditions.append(usage_ledger.c.sequence_number.in_(list(sequence_numbers)))
        return self._net(*conditions)

    def entries(self, certificate_id: str, *, limit: int = 1000) -> list[dict[str, Any]]:
        rows = self._c.execute(
            select(usage_ledger)
            .where(usage_ledger.c.certificate_id == certificate_id)
            .order_by(usage_ledger.c.id)
            .limit(limit)
        )
        return [
            {
                "item": r.sequence_number,
                "declaration_id": r.declaration_id,
                "line_number": r.line_number,
                "delta": ("-" if r.delta_micros < 0 else "+") + micros_text(abs(r.delta_micros)),
                "unit_code": r.unit_code,
                "reason": r.reason,
                "at": r.at.isoformat(),
            }
            for r in rows
        ]

    def item_rows(self, certificate_id: str) -> list[dict[str, Any]]:
        return [
            {
                "item": i.sequence_number,
                "hs6": i.hs6,
                "unit_code": i.unit_code,
                "quantity": micros_text(i.quantity_micros) if i.quantity_micros else None,
                "remaining": micros_text(i.remaining_micros)
                if i.remaining_micros is not None
                else None,
                "origin_status": i.origin_status,
            }
            for i in sorted(self.items(certificate_id).values(), key=lambda i: i.sequence_number)
        ]

    def set_origin_status(
        self, certificate_id: str, sequence_numbers: Sequence[int], status: str
    ) -> None:
        self._c.execute(
            update(certificate_items)
            .where(
                certificate_items.c.certificate_id == certificate_id,
                certificate_items.c.sequence_number.in_(list(sequence_numbers)),
            )
            .values(origin_status=status)
        )


class Utilisation:
    """Utilisation notices received by the issuing side, one row per entry."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(
        self,
        *,
        certificate_id: str,
        message_id: str,
        sender: str,
        declaration_id: str,
        declared_on: date | None,
        entries: Sequence[dict[str, Any]],
        reported_at: datetime,
        received_at: datetime,
    ) -> None:
        self._c.execute(
            utilisation_notices.insert(),
            [
                {
                    "certificate_id": certificate_id,
                    "message_id": message_id,
                    "sender": sender,
                    "declaration_id": declaration_id,
                    "declared_on": declared_on,
                    "line_number": e["line_number"],
                    "sequence_number": e["item"],
                    "kind": e["kind"],
                    "decision": e.get("decision"),
                    "reason_codes": json.dumps(e.get("reason_codes") or []),
                    "quantity_micros": e["quantity_micros"],
                    "unit_code": e.get("unit_code"),
                    "reported_at": reported_at,
                    "received_at": received_at,
                }
                for e in entries
            ],
        )

    def of(self, certificate_id: str) -> list[dict[str, Any]]:
        rows = self._c.execute(
            select(utilisation_notices)
            .where(utilisation_notices.c.certificate_id == certificate_id)
            .order_by(utilisation_notices.c.id)
        )
        return [
            {
                "item": r.sequence_number,
                "kind": r.kind,
                "quantity_micros": r.quantity_micros,
                "unit_code": r.unit_code,
                "decision": r.decision,
                "reason_codes": json.loads(r.reason_codes) if r.reason_codes else [],
                "declaration_id": r.declaration_id,
                "line_number": r.line_number,
                "declared_on": r.declared_on.isoformat() if r.declared_on else None,
                "reported_by": r.sender,
                "reported_at": r.reported_at.isoformat(),
                "received_at": r.received_at.isoformat(),
                "message_id": r.message_id,
            }
            for r in rows
        ]
