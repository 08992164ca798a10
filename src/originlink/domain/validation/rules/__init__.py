"""The rule pass: one small function per DS rule of ``dataset.md`` §14, grouped by theme."""

from __future__ import annotations

from originlink.domain.validation.rules import (
    agreement,
    attachments,
    dates,
    goods,
    header,
    lifecycle,
    references,
)
from originlink.domain.validation.rules.base import Rule, Subject

#: Every rule, in the order they run (the report is sorted afterwards).
ALL_RULES: tuple[Rule, ...] = (
    *header.RULES,
    *lifecycle.RULES,
    *agreement.RULES,
    *goods.RULES,
    *references.RULES,
    *attachments.RULES,
    *dates.RULES,
)

__all__ = ["ALL_RULES", "Rule", "Subject"]
