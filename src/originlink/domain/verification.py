"""Retroactive verification (P8): the case state machine, deadlines from the agreement profile,
and the payloads of ``verification.request`` / ``.ack`` / ``.response``.

A case runs ``OPEN → ACKNOWLEDGED → ANSWERED``; a case not answered by its deadline becomes
``NO_REPLY`` (``OPEN`` or ``ACKNOWLEDGED`` → ``NO_REPLY``). An answer that was *sent* before the
deadline but arrives after it (in transit while the scheduler ran) is still accepted
(:func:`answer_accepted`). Both sides compute the same deadline from the same profile and the
request time the message carries, so both see NO_REPLY at the same moment.

The reply deadline is ``profile.rules.verification.reply_period`` after the request. Where the
agreement gives a range (RCEP: 30 to 90 days) the requester may choose ``reply_days`` inside it;
otherwise the upper end applies. When the profile sets no reply period the case has no deadline
and says why — OriginLink never invents one. A verification visit's consent deadline comes from
``visit_consent_period`` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from originlink.domain.dataset.types import (
    Date,
    DateTime,
    Pattern,
    SequenceNumber,
    StrictModel,
    Text256,
    Text1024,
    Text2048,
)
from originlink.domain.declarations import CoReference
from originlink.domain.errors import InvalidTransition, ValidationFailed
from originlink.domain.evidence import MAX_FILES, Attachment, FileUpload
from originlink.domain.findings import Finding, Level
from originlink.domain.lifecycle import VerificationStatus
from originlink.domain.periods import Period, PeriodUnit
from originlink.domain.profiles import AgreementProfile


class CaseStatus(StrEnum):
    OPEN = "OPEN"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    ANSWERED = "ANSWERED"
    NO_REPLY = "NO_REPLY"


class VisitStatus(StrEnum):
    PROPOSED = "PROPOSED"
    CONSENTED = "CONSENTED"
    REFUSED = "REFUSED"
    NO_CONSENT = "NO_CONSENT"


class ItemResult(StrEnum):
    CONFIRMED = "CONFIRMED"
    NOT_CONFIRMED = "NOT_CONFIRMED"
    PARTIALLY_CONFIRMED = "PARTIALLY_CONFIRMED"


class RequestReason(StrEnum):
    """Why verification is requested: random checks and the grounds of reasonable doubt the
    agreements name (ATIGA Rule 18, RCEP Art 3.24, UK-AL Art 32, ROM Art 34)."""

    RANDOM = "RANDOM"
    AUTHENTICITY = "AUTHENTICITY"
    ORIGINATING_STATUS = "ORIGINATING_STATUS"
    ORIGIN_CRITERION = "ORIGIN_CRITERION"
    CLASSIFICATION = "CLASSIFICATION"
    VALUE_CONTENT = "VALUE_CONTENT"
    DIRECT_TRANSPORT = "DIRECT_TRANSPORT"
    OTHER_REQUIREMENTS = "OTHER_REQUIREMENTS"


REASON_TEXT: dict[RequestReason, str] = {
    RequestReason.RANDOM: "random check",
    RequestReason.AUTHENTICITY: "doubt about the authenticity of the proof of origin",
    RequestReason.ORIGINATING_STATUS: "doubt about the originating status of the goods",
    RequestReason.ORIGIN_CRITERION: "doubt that the origin criterion stated is met",
    RequestReason.CLASSIFICATION: "doubt about the HS classification of the goods",
    RequestReason.VALUE_CONTENT: "doubt about the regional value content or FOB value",
    RequestReason.DIRECT_TRANSPORT: "doubt about direct consignment or transit conditions",
    RequestReason.OTHER_REQUIREMENTS: "doubt about other requirements of the agreement",
}

_C = CaseStatus
CASE_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    _C.OPEN: frozenset({_C.ACKNOWLEDGED, _C.ANSWERED, _C.NO_REPLY}),
    _C.ACKNOWLEDGED: frozenset({_C.ANSWERED, _C.NO_REPLY}),
    _C.ANSWERED: frozenset(),
    _C.NO_REPLY: frozenset(),
}
#: Cases still waiting for the issuing side.
WAITING = frozenset({_C.OPEN, _C.ACKNOWLEDGED})


def check_case_transition(current: CaseStatus, target: CaseStatus) -> None:
    if target not in CASE_TRANSITIONS[current]:
        raise InvalidTransition(
            f"a verification case in {current.value} cannot become {target.value}",
            current=current.value,
            target=target.value,
        )


def answer_accepted(status: CaseStatus, due_at: datetime | None, answered_at: datetime) -> bool:
    """Whether an answer given at ``answered_at`` may close the case: while it waits, or after
    NO_REPLY when the answer was given before the deadline (it crossed the scheduler)."""
    if status in WAITING:
        return True
    return status is CaseStatus.NO_REPLY and due_at is not None and answered_at <= due_at


def overall_outcome(results: dict[int, ItemResult]) -> VerificationStatus:
    """The CO is VERIFIED only when every item concerned is CONFIRMED."""
    if results and all(r is ItemResult.CONFIRMED for r in results.values()):
        return VerificationStatus.VERIFIED
    return VerificationStatus.NOT_CONFIRMED


# --- deadlines ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline with how it was found; ``due_at`` None means the agreement sets none."""

    due_at: datetime | None
    period: Period | None
    note: str


def add_period(period: Period, moment: datetime) -> datetime:
    """``moment`` plus ``period``, same time of day (UTC) on the day the period gives."""
    moment = moment.astimezone(UTC)
    day = period.add_to(moment.date())
    return datetime.combine(day, moment.timetz())


def _days(period: Period, start: datetime) -> int:
    return (add_period(period, start) - start).days


def reply_deadline(
    profile: AgreementProfile | None, requested_at: datetime, *, reply_days: int | None = None
) -> Deadline:
    """The reply deadline for a request made at ``requested_at``."""
    if profile is None:
        if reply_days is not None:
            raise _bad("reply_days", "the CO names no agreement, so no reply period applies")
        return Deadline(None, None, "no deadline: the CO names no agreement")
    rule = profile.rules.verification
    if rule is None or rule.reply_period is None:
        why = profile.unset_reason("verification") or "the profile sets no reply period"
        if reply_days is not None:
            raise _bad("reply_days", f"{profile.code} sets no reply period to choose from")
        return Deadline(None, None, f"no deadline: {profile.code} {why}")
    period = rule.reply_period
    if reply_days is not None:
        if rule.reply_period_min is None:
            raise _bad(
                "reply_days",
                f"{profile.code} sets a fixed reply period of {period.describe()} ({rule.source})",
            )
        low = _days(rule.reply_period_min, requested_at)
        high = _days(period, requested_at)
        if not low <= reply_days <= high:
            raise _bad(
                "reply_days",
                f"{profile.code} allows a reply period between {low} and {high} days "
                f"({rule.source}); {reply_days} is outside",
            )
        period = Period(amount=reply_days, unit=PeriodUnit.DAYS)
    note = f"{period.describe()} from the request ({profile.code}: {rule.source})"
    return Deadline(add_period(period, requested_at), period, note)


def consent_deadline(profile: AgreementProfile | None, requested_at: datetime) -> Deadline:
    """The deadline to consent to a verification visit notified at ``requested_at``."""
    rule = profile.rules.verification if profile is not None else None
    if profile is None or rule is None or rule.visit_consent_period is None:
        code = profile.code if profile is not None else "the CO's agreement"
        return Deadline(None, None, f"no consent deadline: {code} sets no visit consent period")
    period = rule.visit_consent_period
    note = f"{period.describe()} from the notice ({profile.code}: {rule.source})"
    return Deadline(add_period(period, requested_at), period, note)


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        message, [Finding(Level.SEVERE, f"request.{field}", "SCHEMA-VALUE", message, "claim")]
    )


# --- API input and message payloads ------------------------------------------------------------

Questions = Annotated[list[Text2048], Field(min_length=1, max_length=50)]
Items = Annotated[list[SequenceNumber], Field(min_length=1, max_length=999)]
Reasons = Annotated[list[RequestReason], Field(min_length=1, max_length=len(RequestReason))]
CaseId = Annotated[
    str, Pattern(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "DS-06", "a UUID")
]


class Visit(StrictModel):
    """A verification visit notice: where, when, why, who."""

    proposed_date: Date
    place: Text256
    purpose: Text1024
    officials: list[Text256] | None = Field(default=None, min_length=1, max_length=20)


class RequestInput(StrictModel):
    """What customs posts to open a case (``certificate_id`` of the received CO)."""

    certificate_id: Annotated[str, Field(min_length=1, max_length=36)]
    reasons: Reasons
    items: Items | None = None
    questions: Questions
    reply_days: int | None = Field(default=None, ge=1, le=3660)
    visit: Visit | None = None
    attachments: list[FileUpload] = Field(default_factory=list, max_length=MAX_FILES)


class RequestPayload(StrictModel):
    """``verification.request`` (importing → issuing side)."""

    case_id: CaseId
    certificate: CoReference
    reasons: Reasons
    items: Items
    questions: Questions
    requested_at: DateTime
    reply_period: Period | None = None
    due_at: DateTime | None = None
    visit: Visit | None = None
    visit_consent_due_at: DateTime | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=MAX_FILES)


class AckInput(StrictModel):
    visit_consent: Literal["GRANTED", "REFUSED"] | None = None
    remarks: Text1024 | None = None


class AckPayload(StrictModel):
    """``verification.ack`` (issuing → importing side), correlated with the request."""

    case_id: CaseId
    acknowledged_at: DateTime
    visit_consent: Literal["GRANTED", "REFUSED"] | None = None
    remarks: Text1024 | None = None


class ItemAnswer(StrictModel):
    item: SequenceNumber
    result: ItemResult
    findings: Text2048


class AnswerInput(StrictModel):
    items: list[ItemAnswer] = Field(min_length=1, max_length=999)
    summary: Text2048 | None = None
    attachments: list[FileUpload] = Field(default_factory=list, max_length=MAX_FILES)


class ResponsePayload(StrictModel):
    """``verification.response`` (issuing → importing side), correlated with the request."""

    case_id: CaseId
    answered_at: DateTime
    items: list[ItemAnswer] = Field(min_length=1, max_length=999)
    summary: Text2048 | None = None
    attachments: list[Attachment] = Field(default_factory=list, max_length=MAX_FILES)


def check_answer_items(answers: list[ItemAnswer], concerned: list[int]) -> dict[int, ItemResult]:
    """One answer per item concerned, no other items."""
    results: dict[int, ItemResult] = {}
    for index, answer in enumerate(answers):
        path = f"answer.items[{index}].item"
        if answer.item in results:
            raise _value_error(path, f"item {answer.item} is answered twice")
        if answer.item not in concerned:
            raise _value_error(path, f"item {answer.item} is not concerned by the request")
        results[answer.item] = answer.result
    missing = sorted(set(concerned) - set(results))
    if missing:
        raise _value_error("answer.items", f"items {missing} are concerned but not answered")
    return results


def _value_error(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"{path}: {message}", [Finding(Level.SEVERE, path, "SCHEMA-VALUE", message, "claim")]
    )
