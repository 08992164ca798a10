"""The items of a received CO on the usage ledger: what claims may still draw from each.

What an item holds (its HS subheading, unit and quantity in millionths) is decided in the
domain (:mod:`originlink.domain.quantities`); this repository only writes the rows, in one
prepared multi-row insert.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.engine import Connection

from originlink.domain.quantities import ItemCapacity
from originlink.store.prepared import PreparedWrite
from originlink.store.tables import certificate_items

_INSERT = PreparedWrite(
    certificate_items.insert(),
    [
        "certificate_id",
        "sequence_number",
        "hs6",
        "unit_code",
        "quantity_micros",
        "remaining_micros",
    ],
)


class CertificateItems:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, certificate_id: str, items: Iterable[ItemCapacity]) -> None:
        """Every item with its whole quantity still remaining."""
        rows = [
            {
                "certificate_id": certificate_id,
                "sequence_number": item.sequence_number,
                "hs6": item.hs6,
                "unit_code": item.unit_code,
                "quantity_micros": item.quantity_micros,
                "remaining_micros": item.quantity_micros,
            }
            for item in items
        ]
        if rows:
            _INSERT.many(self._c, rows)
