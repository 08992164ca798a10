"""DS-30: how a CO record may change from its previous version (``processes.md`` §5)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from originlink.domain.dataset import Status
from originlink.domain.findings import Finding
from originlink.domain.lifecycle import EXPORT_TRANSITIONS, RecordStatus
from originlink.domain.validation.rules.base import ISSUED_ON, Rule, Subject, severe

_C = "certificate"


def _next_statuses(status: Status) -> frozenset[str]:
    """Statuses a CO may move to from ``status`` (the exporting side's state machine)."""
    return frozenset(s.value for s in EXPORT_TRANSITIONS[RecordStatus(status.value)])


def ds30_lifecycle(s: Subject) -> Iterator[Finding]:
    """Against the previous version of the same record: allowed status change, version +1
    after issuance, same number and uuid."""
    previous = s.context.previous_version
    if previous is None:
        return
    old, new = previous.certificate, s.cert
    facts: dict[str, Any] = {
        "previous_status": old.status,
        "status": new.status,
        "previous_version": old.version,
        "version": new.version,
    }
    allowed_next = _next_statuses(old.status)
    if new.status != old.status and new.status.value not in allowed_next:
        allowed = ", ".join(sorted(allowed_next)) or "none"
        yield severe(
            "DS-30",
            f"{_C}.status",
            f"A CO cannot go from {old.status.value} to {new.status.value} "
            f"(allowed from {old.status.value}: {allowed}).",
            **facts,
        )
    if old.status in ISSUED_ON:
        expected = old.version + 1
        reason = "after issuance every change adds exactly 1"
    else:
        expected = 1
        reason = "the version stays 1 up to and including first issue"
    if new.version != expected:
        yield severe(
            "DS-30",
            f"{_C}.version",
            f"Version {new.version} follows version {old.version}; expected {expected} ({reason}).",
            expected=expected,
            **facts,
        )
    if old.certificate_number is not None and new.certificate_number != old.certificate_number:
        yield severe(
            "DS-30",
            f"{_C}.certificate_number",
            f"The certificate number changed from {old.certificate_number}; all versions of a "
            "CO share one number.",
        )
    if old.uuid is not None and new.uuid != old.uuid:
        yield severe(
            "DS-30",
            f"{_C}.uuid",
            "The record id (uuid) changed; all versions of a CO share one id.",
        )


RULES: tuple[Rule, ...] = (ds30_lifecycle,)
