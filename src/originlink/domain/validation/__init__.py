"""Validation of CO documents against the dataset, the code lists and the agreement profiles.

Pure: no I/O. The caller parses the JSON (``loads_bounded``), chooses the profiles and gives
the time and lookups in a :class:`ValidationContext`::

    report = validate_document(data, registry=bundled_profiles(), context=ValidationContext(now))
    if not report.ok:
        ...  # report.findings: SEVERE first, each with a path, a code and a sentence

``validate_model`` runs only the rule pass on a model already held (services call it on every
issuance).
"""

from originlink.domain.validation.context import (
    DEFAULT_CLOCK_SKEW,
    DEFAULT_MAX_ATTACHMENT_BYTES,
    NumberLookup,
    Purpose,
    ValidationContext,
)
from originlink.domain.validation.engine import lossy_entry, validate_document, validate_model
from originlink.domain.validation.report import UNREADABLE_CODES, ValidationReport

__all__ = [
    "DEFAULT_CLOCK_SKEW",
    "DEFAULT_MAX_ATTACHMENT_BYTES",
    "UNREADABLE_CODES",
    "NumberLookup",
    "Purpose",
    "ValidationContext",
    "ValidationReport",
    "lossy_entry",
    "validate_document",
    "validate_model",
]
