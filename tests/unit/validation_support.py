"""Helpers for the validation tests: agreement profiles built in code, and a one-call runner.

The test profiles set every rule (so each test can remove or change just the one it is about);
their numbers are chosen for the tests, not copied from any agreement.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from originlink.domain.findings import Finding, Level
from originlink.domain.profiles import PROFILE_FLAGS, AgreementProfile, ProfileRegistry
from originlink.domain.validation import ValidationContext, ValidationReport, validate_document

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SRC = {"source": "test fixture"}


def _period(amount: int, unit: str) -> dict[str, Any]:
    return {"amount": amount, "unit": unit}


def profile_data(code: str = "RCEP") -> dict[str, Any]:
    """A complete profile: every rule set, every flag allowed."""
    return {
        "code": code,
        "name": f"{code} test agreement",
        "form_name": f"Form {code}",
        "form_codes": [f"FORM_{code}"],
        "legal_basis": {**SRC, "text": "test"},
        "parties": {**SRC, "countries": ["SG", "JP", "MY", "TH", "VN", "CN", "KR", "AU"]},
        "rules": {
            "issuance": {**SRC, "window": _period(3, "days"), "anchor": "shipment"},
            "retroactive": {
                **SRC,
                "allowed": True,
                "ceiling": _period(1, "years"),
                "marking": "ISSUED RETROACTIVELY",
            },
            "validity": {**SRC, "period": _period(1, "years"), "runs_from": "issue"},
            "criteria": {
                **SRC,
                "codes": [
                    {"code": "WO", "description": "wholly obtained"},
                    {"code": "CTC", "description": "change in tariff classification"},
                    {
                        "code": "RVC",
                        "description": "regional value content",
                        "value_based": True,
                        "percent_required": True,
                    },
                ],
            },
            "fob": {**SRC, "required_for_value_criteria": True},
            "item_cap": {**SRC, "max_items": 20},
            "verification": {**SRC, "reply_period": _period(90, "days")},
            "record_keeping": {**SRC, "years": 3},
            "true_copy": {**SRC, "allowed": True, "window": _period(1, "years")},
            "release_under_guarantee": {**SRC, "allowed": True},
            "flags": {name: {**SRC, "allowed": True} for name in PROFILE_FLAGS},
        },
        "unset": {},
    }


def make_profile(
    code: str = "RCEP",
    *,
    unset: dict[str, str] | None = None,
    rules: dict[str, Any] | None = None,
    **top: Any,
) -> AgreementProfile:
    """The test profile with ``rules`` replaced, ``unset`` rules removed (with their reason)
    and top-level fields overridden."""
    data = profile_data(code)
    data.update(top)
    for name, value in (rules or {}).items():
        data["rules"][name] = value
    for name, reason in (unset or {}).items():
        if name.startswith("flags."):
            data["rules"]["flags"].pop(name.removeprefix("flags."), None)
        elif "." not in name:
            data["rules"].pop(name, None)
        data["unset"][name] = reason
    return AgreementProfile.model_validate(data)


def registry(*profiles: AgreementProfile) -> ProfileRegistry:
    chosen = profiles or (make_profile(),)
    return ProfileRegistry({p.code: p for p in chosen})


def run(
    data: dict[str, Any],
    *,
    profile: AgreementProfile | None = None,
    profiles: ProfileRegistry | None = None,
    agreement: str | None = None,
    **context: Any,
) -> ValidationReport:
    reg = profiles or registry(profile or make_profile())
    context.setdefault("now", NOW)
    return validate_document(
        copy.deepcopy(data), registry=reg, context=ValidationContext(**context), agreement=agreement
    )


def findings(report: ValidationReport, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def one(report: ValidationReport, code: str, level: Level | None = None) -> Finding:
    """The single finding with ``code`` (and ``level``); fails with the report when not one."""
    found = [f for f in findings(report, code) if level is None or f.level is level]
    assert len(found) == 1, [f.one_line() for f in report.findings]
    return found[0]


def severe_codes(report: ValidationReport) -> set[str]:
    return {f.code for f in report.findings if f.level is Level.SEVERE}
