"""Judging what was read: the reader's findings and the dataset's, each with its source place.

A complete CO is validated as it is. An incomplete one gets the dataset's structural findings
(what is missing, with its canonical path) and, so that the rules still say what they can, the
rule findings of its placeholder-filled copy, less any finding on a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from originlink.domain.findings import Finding, Level, count_by_level, sort_findings
from originlink.domain.profiles import AgreementProfile, ProfileRegistry
from originlink.domain.validation import ValidationContext, validate_document, validate_model
from originlink.formats.reading import Reading, under


@dataclass(frozen=True, slots=True)
class Judgement:
    reading: Reading
    findings: list[Finding]
    agreement: AgreementProfile | None
    checked_rules: bool

    @property
    def ok(self) -> bool:
        return not any(f.level is Level.SEVERE for f in self.findings)

    def counts(self) -> dict[str, int]:
        return count_by_level(self.findings)

    def as_dict(self) -> dict[str, Any]:
        integrity = self.reading.integrity
        return {
            "format": self.reading.format,
            "ok": self.ok,
            "complete": self.reading.model is not None,
            "agreement": self.agreement.code if self.agreement else None,
            "checked_rules": self.checked_rules,
            "counts": self.counts(),
            "integrity": integrity.as_dict() if integrity else None,
            "findings": [f.as_dict() for f in self.findings],
        }


def judge(
    reading: Reading,
    *,
    registry: ProfileRegistry,
    context: ValidationContext,
    agreement: str | None = None,
) -> Judgement:
    context = replace(
        context,
        source_format=None if reading.format == "canonical" else reading.format,
        uncarried_paths=context.uncarried_paths | reading.uncarried,
    )
    if reading.model is not None:
        report = validate_model(
            reading.model, registry=registry, context=context, agreement=agreement
        )
        found, checked = report.findings, True
    else:
        report = validate_document(
            reading.document, registry=registry, context=context, agreement=agreement
        )
        found = [f for f in report.findings if f.code != "SCHEMA-RULES-SKIPPED"]
        filled, placeholders = reading.writable("the rule checks")
        checked = filled is not None
        if filled is not None:
            rules = validate_model(filled, registry=registry, context=context, agreement=agreement)
            gaps = placeholders.paths()
            found += [f for f in rules.findings if not under(f.path, gaps)]
    findings = sort_findings(reading.locate([*reading.findings, *found]))
    return Judgement(reading, findings, report.agreement, checked)


def finding_text(finding: Finding) -> str:
    """One line: level, code, canonical path, source place, sentence."""
    where = finding.facts.get("source_path")
    source = f" (source {where})" if where else ""
    return f"{finding.level.value:<7} {finding.code:<16} {finding.path}{source}: {finding.message}"


__all__ = ["Judgement", "finding_text", "judge"]
