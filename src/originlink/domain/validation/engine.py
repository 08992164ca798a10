"""Running a validation: the structural pass, then every rule, then DS-00 and sorting."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Finding, Level, sort_findings
from originlink.domain.profiles import AgreementProfile, ProfileRegistry
from originlink.domain.validation.context import ValidationContext
from originlink.domain.validation.report import ValidationReport
from originlink.domain.validation.rules import ALL_RULES, Subject
from originlink.domain.validation.structure import ROOT_PATH, check_structure

_INDEX = re.compile(r"\[\d+\]")


def validate_document(
    data: Any,
    *,
    registry: ProfileRegistry,
    context: ValidationContext,
    agreement: str | None = None,
) -> ValidationReport:
    """Validate already-parsed JSON (from ``loads_bounded``) as a CO document.

    ``agreement`` overrides or sets the agreement profile to check against; an unknown code
    raises :class:`~originlink.domain.errors.ConfigurationError` naming the known ones.
    """
    override = registry.require(agreement) if agreement is not None else None
    document, findings = check_structure(data)
    if document is None:
        findings.append(
            Finding(
                Level.INFO,
                ROOT_PATH,
                "SCHEMA-RULES-SKIPPED",
                "The dataset and agreement rules were not checked because the document's "
                "structure is broken; correct the problems above and validate again.",
            )
        )
        profile = override or _declared_profile(data, registry)
        return ValidationReport(None, _finish(findings, context), profile)
    report = validate_model(document, registry=registry, context=context, agreement=agreement)
    return replace(report, findings=_finish([*findings, *report.findings], context))


def validate_model(
    doc: CODocument,
    *,
    registry: ProfileRegistry,
    context: ValidationContext,
    agreement: str | None = None,
) -> ValidationReport:
    """Run the rule pass on a document model that is already structurally valid."""
    if agreement is not None:
        profile: AgreementProfile | None = registry.require(agreement)
    else:
        code = doc.certificate.agreement_code
        profile = registry.get(code) if code is not None else None
    subject = Subject(
        doc=doc,
        profile=profile,
        context=context,
        registry=registry,
        agreement_override=agreement,
    )
    findings: list[Finding] = []
    for rule in ALL_RULES:
        findings.extend(rule(subject))
    return ValidationReport(doc, _finish(findings, context), profile)


def _declared_profile(data: Any, registry: ProfileRegistry) -> AgreementProfile | None:
    """The agreement a broken document names, if it can be read at all."""
    try:
        code = data["certificate"]["agreement"]["code"]
    except (KeyError, TypeError):
        return None
    return registry.get(code) if isinstance(code, str) else None


def _finish(findings: Iterable[Finding], context: ValidationContext) -> list[Finding]:
    return sort_findings([_lower_if_lossy(f, context) for f in findings])


def _lower_if_lossy(finding: Finding, context: ValidationContext) -> Finding:
    """DS-00: a SEVERE finding on a field the source format cannot carry becomes a WARNING."""
    if finding.level is not Level.SEVERE or not context.lossy_paths:
        return finding
    entry = lossy_entry(finding.path, context.lossy_paths)
    if entry is None:
        return finding
    source = context.source_format or "source"
    return replace(
        finding,
        level=Level.WARNING,
        message=(
            f"{finding.message} (Lowered to a warning: the {source} format cannot carry this "
            f"field; see loss-report entry {entry}.)"
        ),
        facts={**finding.facts, "lowered_by": "DS-00", "loss_report_path": entry},
    )


def lossy_entry(path: str, lossy_paths: frozenset[str]) -> str | None:
    """The loss-report path that covers ``path`` (itself or a parent; ``[]`` = any index)."""
    generic = _INDEX.sub("[]", path)
    for entry in sorted(lossy_paths):
        for candidate in (path, generic):
            if candidate == entry or candidate.startswith((entry + ".", entry + "[")):
                return entry
    return None
