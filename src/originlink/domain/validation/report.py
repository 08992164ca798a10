"""The outcome of validating one CO document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Finding, Level, count_by_level, has_severe
from originlink.domain.profiles import AgreementProfile

#: Structural codes that mean the JSON does not have the shape of a CO at all (an object where
#: an array belongs, a number where a name belongs): such input "cannot be read" (exit 2).
UNREADABLE_CODES = frozenset({"SCHEMA-TYPE"})


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Findings, most serious first; ``document`` is None when the structure is broken."""

    document: CODocument | None
    findings: list[Finding]
    agreement: AgreementProfile | None

    @property
    def ok(self) -> bool:
        """No SEVERE finding."""
        return not has_severe(self.findings)

    @property
    def readable(self) -> bool:
        """False when the JSON types do not fit the dataset (see :data:`UNREADABLE_CODES`)."""
        return not any(f.code in UNREADABLE_CODES for f in self.findings)

    def counts(self) -> dict[str, int]:
        return count_by_level(self.findings)

    def severe(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.SEVERE]

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, as ``originlink validate --json`` prints it."""
        return {
            "ok": self.ok,
            "readable": self.readable,
            "agreement": self.agreement.code if self.agreement else None,
            "checked_rules": self.document is not None,
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
        }
