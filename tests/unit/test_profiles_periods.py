"""Periods of agreement rules: days, working days, months at month ends, years from 29 Feb."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from originlink.domain.periods import Period, PeriodUnit


def period(amount: int, unit: str) -> Period:
    return Period(amount=amount, unit=PeriodUnit(unit))


@pytest.mark.parametrize(
    ("start", "amount", "unit", "end"),
    [
        (date(2025, 1, 30), 3, "days", date(2025, 2, 2)),
        (date(2024, 2, 28), 1, "days", date(2024, 2, 29)),
        (date(2025, 3, 5), 0, "days", date(2025, 3, 5)),
        # Friday + 3 working days skips the weekend: Wednesday.
        (date(2025, 3, 7), 3, "working_days", date(2025, 3, 12)),
        # Saturday + 1 working day: Monday.
        (date(2025, 3, 8), 1, "working_days", date(2025, 3, 10)),
        # Thursday + 7 working days: Monday of the week after next.
        (date(2025, 3, 6), 7, "working_days", date(2025, 3, 17)),
        (date(2025, 3, 8), 0, "working_days", date(2025, 3, 8)),
        # Month ends clamp to the last day of the shorter month.
        (date(2025, 1, 31), 1, "months", date(2025, 2, 28)),
        (date(2024, 1, 31), 1, "months", date(2024, 2, 29)),
        (date(2025, 10, 31), 4, "months", date(2026, 2, 28)),
        (date(2025, 8, 31), 4, "months", date(2025, 12, 31)),
        (date(2025, 3, 15), 12, "months", date(2026, 3, 15)),
        (date(2025, 11, 30), 10, "months", date(2026, 9, 30)),
        # Years from 29 February.
        (date(2024, 2, 29), 1, "years", date(2025, 2, 28)),
        (date(2024, 2, 29), 4, "years", date(2028, 2, 29)),
        (date(2025, 6, 1), 5, "years", date(2030, 6, 1)),
    ],
)
def test_add_to(start: date, amount: int, unit: str, end: date) -> None:
    assert period(amount, unit).add_to(start) == end


def test_describe_singular_and_plural() -> None:
    assert period(1, "years").describe() == "1 year"
    assert period(12, "months").describe() == "12 months"
    assert period(3, "working_days").describe() == "3 working days"
    assert period(1, "working_days").describe() == "1 working day"


def test_negative_amounts_and_unknown_units_are_refused() -> None:
    with pytest.raises(ValidationError):
        Period.model_validate({"amount": -1, "unit": "days"})
    with pytest.raises(ValidationError):
        Period.model_validate({"amount": 1, "unit": "fortnights"})
