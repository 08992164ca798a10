"""domain/quantities.py: what a claim may draw, in integer millionths, with one rounding rule."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from originlink.domain.dataset import CODocument
from originlink.domain.quantities import (
    claimable_measure,
    from_micros,
    hs6,
    item_capacities,
    micros_text,
    to_micros,
)

EXAMPLE = Path(__file__).parents[2] / "examples" / "valid" / "rcep-sg-jp-minimal.json"


def _doc() -> CODocument:
    return CODocument.model_validate(json.loads(EXAMPLE.read_text("utf-8")))


def test_values_finer_than_a_millionth_round_up() -> None:
    assert to_micros(Decimal("0.0000001")) == 1
    assert to_micros(Decimal("1.5")) == 1_500_000
    assert from_micros(1_500_000) == Decimal("1.5")
    assert micros_text(1_500_000) == "1.5" and micros_text(0) == "0"


@given(st.decimals(min_value=0, max_value=10**9, places=9, allow_nan=False))
def test_millionths_are_the_ceiling(value: Decimal) -> None:
    micros = to_micros(value)
    assert micros >= value * 1_000_000 > micros - 1


def test_a_draw_of_the_quantity_on_the_co_fits_the_item_exactly() -> None:
    # The item's capacity and a draw of the same value go through the same rule, so claiming
    # exactly what the CO says never exceeds it, whatever the number of decimals.
    doc = _doc()
    item = doc.certificate.goods_items[0]
    assert item.quantity is not None
    fine = item.quantity.model_copy(update={"value": Decimal("1.0000004")})
    doc.certificate.goods_items[0] = item.model_copy(update={"quantity": fine})
    capacity = next(item_capacities(doc)).quantity_micros
    assert capacity == to_micros(Decimal("1.0000004")) == 1_000_001


def test_hs6_is_the_first_six_digits_whatever_the_punctuation() -> None:
    assert hs6("8482.10.20") == "848210"
    assert hs6("7210 49") == "721049"


def test_claimable_measure_is_quantity_then_net_then_gross_weight() -> None:
    item = _doc().certificate.goods_items[0]
    assert claimable_measure(item) is item.quantity
    without_quantity = item.model_copy(update={"quantity": None})
    assert claimable_measure(without_quantity) is (item.net_weight or item.gross_weight)
    bare = item.model_copy(update={"quantity": None, "net_weight": None, "gross_weight": None})
    assert claimable_measure(bare) is None


def test_item_capacities_hold_each_item_in_millionths_of_its_unit() -> None:
    doc = _doc()
    capacities = list(item_capacities(doc))
    assert [c.sequence_number for c in capacities] == [
        i.sequence_number for i in doc.certificate.goods_items
    ]
    first, item = capacities[0], doc.certificate.goods_items[0]
    measure = claimable_measure(item)
    assert measure is not None
    assert first.unit_code == measure.unit_code
    assert first.quantity_micros == to_micros(measure.value)
    assert first.hs6 == hs6(item.hs_code)
