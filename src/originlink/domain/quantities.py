"""What a preference claim may draw from a CO item, as exact integers.

Quantities on the usage ledger are held in millionths of the item's unit (``to_micros``), so a
draw is integer arithmetic in one conditional ``UPDATE``. One rounding rule serves the item's
quantity and every draw: a value finer than a millionth is rounded *up*, so the same decimal
always gives the same integer (claiming exactly the quantity printed on the CO never exceeds
it) and a draw never takes less than was declared.

The measure a claim draws from is the item's ``quantity``, else its ``net_weight``, else its
``gross_weight`` (``dataset.md`` §6: "the unit that matters for the claim"); items and
declaration lines are matched on the first six digits of the HS code (the internationally
harmonised subheading).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from originlink.domain.dataset import CODocument
from originlink.domain.dataset.goods import GoodsItem
from originlink.domain.dataset.measures import Measure
from originlink.domain.dataset.types import decimal_to_json

MICROS = 1_000_000


def to_micros(value: Decimal) -> int:
    """Millionths of ``value``, rounded up."""
    return int((value * MICROS).to_integral_value(rounding=ROUND_CEILING))


def from_micros(value: int) -> Decimal:
    """The decimal a number of millionths stands for, without trailing zeros."""
    return (Decimal(value) / MICROS).normalize()


def micros_text(value: int) -> str:
    """Millionths as the plain decimal text claims and utilisation reports show."""
    return decimal_to_json(from_micros(value)) if value else "0"


def hs_digits(code: str) -> str:
    """The digits of an HS code (dots and spaces removed)."""
    return "".join(ch for ch in code if ch.isdigit())


def hs6(code: str) -> str:
    """The six-digit HS subheading of a code, the level on which claims match items."""
    return hs_digits(code)[:6]


def claimable_measure(item: GoodsItem) -> Measure | None:
    """The measure a claim draws from: quantity, else net weight, else gross weight."""
    return item.quantity or item.net_weight or item.gross_weight


@dataclass(frozen=True, slots=True)
class ItemCapacity:
    """One CO item as the usage ledger holds it before any draw."""

    sequence_number: int
    hs6: str
    unit_code: str | None
    quantity_micros: int | None


def item_capacities(doc: CODocument) -> Iterator[ItemCapacity]:
    """The ledger's view of every item of a received CO."""
    for item in doc.certificate.goods_items:
        measure = claimable_measure(item)
        yield ItemCapacity(
            sequence_number=item.sequence_number,
            hs6=hs6(item.hs_code),
            unit_code=measure.unit_code if measure is not None else None,
            quantity_micros=to_micros(measure.value) if measure is not None else None,
        )
