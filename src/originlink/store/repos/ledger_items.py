"""The items of a received CO as the usage ledger needs them: what a claim may draw.

The quantity drawn by claims is the item's ``quantity``, else its ``net_weight``, else its
``gross_weight`` (``dataset.md`` §6: "the unit that matters for the claim"); it is held in
millionths so draws are exact integer arithmetic in one ``UPDATE``.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.engine import Connection

from originlink.domain.dataset import CODocument
from originlink.store.prepared import PreparedWrite
from originlink.store.tables import certificate_items

MICROS = Decimal(1_000_000)
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


def to_micros(value: Decimal) -> int:
    return int((value * MICROS).to_integral_value())


def from_micros(value: int) -> Decimal:
    return (Decimal(value) / MICROS).normalize()


def add_items(connection: Connection, certificate_id: str, doc: CODocument) -> None:
    rows = []
    for item in doc.certificate.goods_items:
        measure = item.quantity or item.net_weight or item.gross_weight
        micros = to_micros(measure.value) if measure is not None else None
        rows.append(
            {
                "certificate_id": certificate_id,
                "sequence_number": item.sequence_number,
                "hs6": item.hs_digits[:6],
                "unit_code": measure.unit_code if measure is not None else None,
                "quantity_micros": micros,
                "remaining_micros": micros,
            }
        )
    if rows:
        _INSERT.many(connection, rows)
