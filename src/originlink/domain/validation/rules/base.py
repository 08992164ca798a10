"""What every rule function receives, and the small helpers that build its findings.

A rule is a function ``(Subject) -> Iterable[Finding]`` named after its DS code. It reads the
parsed document, the agreement profile (None when unknown or not applicable) and the context.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from originlink.domain.dataset import Certificate, CODocument, Status
from originlink.domain.dataset.types import as_date
from originlink.domain.findings import Finding, Level
from originlink.domain.periods import Period
from originlink.domain.profiles import AgreementProfile, ProfileRegistry
from originlink.domain.validation.context import ValidationContext

#: Statuses from ``ISSUED`` on (DS-04).
ISSUED_ON = frozenset({Status.ISSUED, Status.CANCELLED, Status.REPLACED, Status.EXPIRED})
#: Statuses from ``SUBMITTED`` on (DS-04): a refused application was submitted too.
SUBMITTED_ON = ISSUED_ON | {Status.SUBMITTED, Status.NOT_ISSUED}
#: Statuses of an application whose issuer-owned fields must be absent (DS-05).
APPLICATION_ONLY = frozenset({Status.DRAFT, Status.SUBMITTED})


@dataclass
class Subject:
    """One document under validation, with what the rules need to judge it (not slotted: the
    derived dates are cached on the instance)."""

    doc: CODocument
    profile: AgreementProfile | None
    context: ValidationContext
    registry: ProfileRegistry
    agreement_override: str | None = None

    @property
    def cert(self) -> Certificate:
        return self.doc.certificate

    @property
    def preferential_profile(self) -> AgreementProfile | None:
        """The profile, when the CO claims preference under it."""
        return self.profile if self.cert.is_preferential else None

    @cached_property
    def issue_date(self) -> date | None:
        """Calendar date of issue, in the issuing authority's own offset."""
        moment = self.cert.issue_datetime
        return as_date(moment) if moment is not None else None

    @cached_property
    def departure_date(self) -> date | None:
        transport = self.cert.transport
        if transport is None or transport.departure_datetime is None:
            return None
        return as_date(transport.departure_datetime)


Rule = Callable[[Subject], Iterable[Finding]]


def _finding(
    level: Level, code: str, path: str, message: str, area: str, facts: dict[str, Any]
) -> Finding:
    return Finding(
        level=level,
        path=path,
        code=code,
        message=message,
        area=area,
        facts={k: _jsonable(v) for k, v in facts.items()},
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Period):
        return value.describe()
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, str | int | bool | float) or value is None:
        return value
    return str(value)


def severe(
    code: str, path: str, message: str, /, *, area: str = "dataset", **facts: Any
) -> Finding:
    return _finding(Level.SEVERE, code, path, message, area, facts)


def warning(
    code: str, path: str, message: str, /, *, area: str = "dataset", **facts: Any
) -> Finding:
    return _finding(Level.WARNING, code, path, message, area, facts)


def info(code: str, path: str, message: str, /, *, area: str = "dataset", **facts: Any) -> Finding:
    return _finding(Level.INFO, code, path, message, area, facts)


def unset_skip(profile: AgreementProfile, code: str, rule: str, path: str, check: str) -> Finding:
    """INFO: ``check`` was skipped because the profile leaves ``rule`` unset (with its reason)."""
    reason = profile.unset.get(rule, "no reason recorded in the profile")
    return info(
        code,
        path,
        f"{check} was not checked: the {profile.code} agreement profile leaves "
        f"'{rule}' unset ({reason}).",
        area="agreement",
        agreement=profile.code,
        unset_rule=rule,
        reason=reason,
    )


def describe_window(period: Period, anchor: str, anchor_date: date) -> str:
    """``3 working days after shipment on 2025-08-22``; a zero window is ``a CO is due by the
    day of shipment``."""
    if period.amount == 0:
        return f"a CO is due by the day of {anchor}"
    return f"{period.describe()} after {anchor} on {anchor_date.isoformat()}"
