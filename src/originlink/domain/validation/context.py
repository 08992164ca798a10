"""What a validation run needs to know besides the document: the time, the purpose, lookups.

The domain does no I/O, so everything that depends on the outside world (the clock, the register
of CO numbers already in use, the previous version of the record, what the source format could
carry) is handed in here by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from originlink.domain.dataset import CODocument

#: Why the document is checked: a stored or received CO, an exporter's application, or a
#: preference claim at import (DS-11 is SEVERE only for a claim).
Purpose = Literal["document", "application", "claim"]

#: ``number_in_use(issuing_country, authority_code, certificate_number)`` is True when a CO record
#: *other than this one and its own versions* already uses the number (DS-07).
NumberLookup = Callable[[str, str, str], bool]

#: Allowed clock difference between issuer and gateway (DS-08); ``dataset.md`` §14 default.
DEFAULT_CLOCK_SKEW = timedelta(minutes=5)
#: Default bound on one attachment's decoded size (DS-32).
DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ValidationContext:
    """The circumstances of one validation run."""

    now: datetime
    evaluation_date: date | None = None
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW
    max_attachment_bytes: int = DEFAULT_MAX_ATTACHMENT_BYTES
    purpose: Purpose = "document"
    number_in_use: NumberLookup | None = None
    previous_version: CODocument | None = None
    source_format: str | None = None
    lossy_paths: frozenset[str] = field(default_factory=frozenset)
    #: Canonical fields the source format has no place for (a received edi3 CO never names the
    #: certifying official): DS-04 does not refuse a received CO for lacking them.
    uncarried_paths: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("ValidationContext.now must be timezone-aware")
        if self.max_attachment_bytes < 0:
            raise ValueError("max_attachment_bytes must not be negative")

    @property
    def evaluation_day(self) -> date:
        """The date validity is checked at (DS-11): as given, else today in UTC."""
        if self.evaluation_date is not None:
            return self.evaluation_date
        return self.now.astimezone(UTC).date()
