"""The pure verification rules (``domain.verification``): deadlines from the bundled profiles
(RCEP, ATIGA, AKFTA, UK-AL, and agreements that set none), visit consent, the case state
machine, answers and evidence files."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from originlink.domain.errors import InputTooLarge, InvalidTransition, ValidationFailed
from originlink.domain.evidence import Attachment, FileUpload, decode_files
from originlink.domain.lifecycle import VerificationStatus
from originlink.domain.profiles import bundled_profiles
from originlink.domain.verification import (
    CaseStatus,
    ItemAnswer,
    ItemResult,
    answer_accepted,
    check_answer_items,
    check_case_transition,
    consent_deadline,
    overall_outcome,
    reply_deadline,
)

AT = datetime(2025, 3, 4, 1, 30, tzinfo=UTC)
PROFILES = bundled_profiles()


@pytest.mark.parametrize(
    ("code", "due"),
    [
        ("RCEP", datetime(2025, 6, 2, 1, 30, tzinfo=UTC)),  # 90 days
        ("ATIGA", datetime(2025, 6, 2, 1, 30, tzinfo=UTC)),  # 90 days
        ("AKFTA", datetime(2025, 5, 4, 1, 30, tzinfo=UTC)),  # 2 months
        ("UK-AL", datetime(2026, 1, 4, 1, 30, tzinfo=UTC)),  # 10 months
    ],
)
def test_reply_deadlines_come_from_the_profile(code: str, due: datetime) -> None:
    deadline = reply_deadline(PROFILES.require(code), AT)
    assert deadline.due_at == due
    assert code in deadline.note


def test_rcep_lets_the_requester_choose_between_30_and_90_days() -> None:
    rcep = PROFILES.require("RCEP")
    assert reply_deadline(rcep, AT, reply_days=30).due_at == AT + timedelta(days=30)
    assert reply_deadline(rcep, AT, reply_days=90).due_at == AT + timedelta(days=90)
    for outside in (29, 91):
        with pytest.raises(ValidationFailed, match="between 30 and 90 days"):
            reply_deadline(rcep, AT, reply_days=outside)


def test_a_fixed_period_cannot_be_shortened() -> None:
    with pytest.raises(ValidationFailed, match="fixed reply period of 10 months"):
        reply_deadline(PROFILES.require("UK-AL"), AT, reply_days=30)


@pytest.mark.parametrize("code", ["ACFTA", "CHAFTA", "CKFTA", "MERCOSUR"])
def test_agreements_without_a_reply_period_give_no_deadline_and_say_why(code: str) -> None:
    deadline = reply_deadline(PROFILES.require(code), AT)
    assert deadline.due_at is None and deadline.period is None
    assert deadline.note.startswith(f"no deadline: {code}")
    assert "not found" in deadline.note
    with pytest.raises(ValidationFailed):
        reply_deadline(PROFILES.require(code), AT, reply_days=30)
    assert reply_deadline(None, AT).note == "no deadline: the CO names no agreement"


def test_visit_consent_deadlines() -> None:
    assert consent_deadline(PROFILES.require("RCEP"), AT).due_at == AT + timedelta(days=30)
    assert consent_deadline(PROFILES.require("ATIGA"), AT).due_at == AT + timedelta(days=30)
    uk = consent_deadline(PROFILES.require("UK-AL"), AT)
    assert uk.due_at is None and "sets no visit consent period" in uk.note


def test_case_state_machine() -> None:
    check_case_transition(CaseStatus.OPEN, CaseStatus.ACKNOWLEDGED)
    check_case_transition(CaseStatus.ACKNOWLEDGED, CaseStatus.NO_REPLY)
    for current, target in [
        (CaseStatus.ANSWERED, CaseStatus.NO_REPLY),
        (CaseStatus.NO_REPLY, CaseStatus.ANSWERED),
        (CaseStatus.ACKNOWLEDGED, CaseStatus.OPEN),
    ]:
        with pytest.raises(InvalidTransition):
            check_case_transition(current, target)


def test_an_answer_sent_before_the_deadline_still_counts() -> None:
    due = AT + timedelta(days=30)
    assert answer_accepted(CaseStatus.OPEN, due, due + timedelta(days=1))
    assert answer_accepted(CaseStatus.NO_REPLY, due, due - timedelta(seconds=1))
    assert not answer_accepted(CaseStatus.NO_REPLY, due, due + timedelta(seconds=1))
    assert not answer_accepted(CaseStatus.ANSWERED, due, AT)


def test_outcome_and_answer_items() -> None:
    ok = ItemResult.CONFIRMED
    assert overall_outcome({1: ok, 2: ok}) is VerificationStatus.VERIFIED
    assert overall_outcome({1: ok, 2: ItemResult.PARTIALLY_CONFIRMED}) is (
        VerificationStatus.NOT_CONFIRMED
    )
    answers = [ItemAnswer(item=1, result=ok, findings="fine")]
    assert check_answer_items(answers, [1]) == {1: ok}
    with pytest.raises(ValidationFailed, match="not answered"):
        check_answer_items(answers, [1, 2])
    with pytest.raises(ValidationFailed, match="not concerned"):
        check_answer_items([ItemAnswer(item=3, result=ok, findings="x")], [1])
    with pytest.raises(ValidationFailed, match="twice"):
        check_answer_items(answers * 2, [1])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_files_are_decoded_bounded_and_checked_against_their_digest() -> None:
    data = b"evidence"
    [decoded] = decode_files(
        [FileUpload(name="a.pdf", media_type="application/pdf", content=_b64(data))],
        root="request.attachments",
        max_bytes=100,
    )
    assert decoded.sha256 == hashlib.sha256(data).hexdigest()
    assert decoded.attachment().size == len(data)
    wrong = Attachment(
        name="a.pdf", media_type="application/pdf", content=_b64(data), size=8, sha256="0" * 64
    )
    with pytest.raises(ValidationFailed, match="SHA-256"):
        decode_files([wrong], root="payload.attachments", max_bytes=100)
    with pytest.raises(InputTooLarge):
        decode_files(
            [FileUpload(name="b.pdf", media_type="application/pdf", content=_b64(b"x" * 101))],
            root="r",
            max_bytes=100,
        )
    with pytest.raises(ValidationFailed, match="media_type"):
        decode_files(
            [FileUpload(name="c.exe", media_type="application/x-msdownload", content=_b64(data))],
            root="r",
            max_bytes=100,
        )
    with pytest.raises(ValidationFailed, match="base64"):
        decode_files(
            [FileUpload(name="d.pdf", media_type="application/pdf", content="abc")],
            root="r",
            max_bytes=100,
        )
