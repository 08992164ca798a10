"""Periods of agreement rules ("12 months from issue", "3 working days after shipment").

Working days are Monday to Friday; national holiday calendars are not modelled, so a window in
working days may end a day or two earlier than a customs office counting its holidays would say.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class PeriodUnit(StrEnum):
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    YEARS = "years"


class Period(BaseModel):
    """An amount of time in one unit, added to a date by :meth:`add_to`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    amount: int = Field(ge=0)
    unit: PeriodUnit

    def add_to(self, start: date) -> date:
        if self.unit is PeriodUnit.DAYS:
            return start + timedelta(days=self.amount)
        if self.unit is PeriodUnit.WORKING_DAYS:
            current, left = start, self.amount
            while left > 0:
                current += timedelta(days=1)
                if current.weekday() < 5:
                    left -= 1
            return current
        months = self.amount * (12 if self.unit is PeriodUnit.YEARS else 1)
        year, month0 = divmod(start.month - 1 + months, 12)
        year += start.year
        day = min(start.day, calendar.monthrange(year, month0 + 1)[1])
        return date(year, month0 + 1, day)

    def describe(self) -> str:
        unit = self.unit.value.replace("_", " ")
        if self.amount == 1:
            unit = unit[:-1]
        return f"{self.amount} {unit}"
