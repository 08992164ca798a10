"""The reusable Measure and Amount structures (``dataset.md`` §1)."""

from __future__ import annotations

from originlink.domain.dataset.types import (
    AmountValue,
    CurrencyCode,
    MeasureValue,
    StrictModel,
    UnitCode,
)


class Measure(StrictModel):
    """``{value, unit_code}`` with a UN/ECE Recommendation 20 unit."""

    value: MeasureValue
    unit_code: UnitCode


class Amount(StrictModel):
    """``{value, currency_code}`` with an ISO 4217 currency."""

    value: AmountValue
    currency_code: CurrencyCode
