"""The state machines of processes.md §5: allowed moves pass, everything else is a 409."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from originlink.domain.errors import InvalidTransition
from originlink.domain.lifecycle import (
    DELIVERY_TRANSITIONS,
    EXPORT_TRANSITIONS,
    IMPORT_TRANSITIONS,
    DeliveryStatus,
    RecordStatus,
    Side,
    VerificationStatus,
    check_delivery_transition,
    check_transition,
    check_verification_transition,
)

S = RecordStatus


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.ISSUED),
        (S.SUBMITTED, S.NOT_ISSUED),
        (S.SUBMITTED, S.DRAFT),
        (S.NOT_ISSUED, S.DRAFT),
        (S.ISSUED, S.CANCELLED),
        (S.ISSUED, S.REPLACED),
        (S.ISSUED, S.EXPIRED),
    ],
)
def test_export_side_allows_the_documented_moves(current: S, target: S) -> None:
    check_transition(Side.EXPORT, current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DRAFT, S.ISSUED),
        (S.ISSUED, S.DRAFT),
        (S.CANCELLED, S.ISSUED),
        (S.REPLACED, S.CANCELLED),
        (S.NOT_ISSUED, S.ISSUED),
        (S.EXPIRED, S.ISSUED),
    ],
)
def test_export_side_refuses_other_moves_with_409(current: S, target: S) -> None:
    with pytest.raises(InvalidTransition) as info:
        check_transition(Side.EXPORT, current, target)
    assert info.value.http_status == 409
    assert current.value in info.value.detail and target.value in info.value.detail


def test_import_side_starts_received_or_rejected_and_follows_the_issuer() -> None:
    check_transition(Side.IMPORT, S.RECEIVED, S.CANCELLED)
    check_transition(Side.IMPORT, S.RECEIVED, S.REPLACED)
    with pytest.raises(InvalidTransition):
        check_transition(Side.IMPORT, S.REJECTED, S.RECEIVED)
    with pytest.raises(InvalidTransition):
        check_transition(Side.IMPORT, S.RECEIVED, S.ISSUED)


@given(st.sampled_from(list(S)), st.sampled_from(list(S)), st.sampled_from(list(Side)))
def test_check_transition_agrees_with_the_tables(current: S, target: S, side: Side) -> None:
    table = EXPORT_TRANSITIONS if side is Side.EXPORT else IMPORT_TRANSITIONS
    allowed = target in table.get(current, frozenset())
    try:
        check_transition(side, current, target)
        passed = True
    except InvalidTransition:
        passed = False
    assert passed == allowed


def test_verification_overlay() -> None:
    check_verification_transition(None, VerificationStatus.UNDER_VERIFICATION)
    check_verification_transition(
        VerificationStatus.UNDER_VERIFICATION, VerificationStatus.VERIFIED
    )
    with pytest.raises(InvalidTransition):
        check_verification_transition(None, VerificationStatus.VERIFIED)
    with pytest.raises(InvalidTransition):
        check_verification_transition(VerificationStatus.NOT_CONFIRMED, VerificationStatus.VERIFIED)


@given(st.sampled_from(list(DeliveryStatus)), st.sampled_from(list(DeliveryStatus)))
def test_delivery_machine(current: DeliveryStatus, target: DeliveryStatus) -> None:
    allowed = target in DELIVERY_TRANSITIONS[current]
    try:
        check_delivery_transition(current, target)
        assert allowed
    except InvalidTransition:
        assert not allowed


def test_final_delivery_states_only_reopen_by_manual_resend() -> None:
    assert DELIVERY_TRANSITIONS[DeliveryStatus.ACCEPTED] == frozenset()
    assert DELIVERY_TRANSITIONS[DeliveryStatus.DEAD] == frozenset({DeliveryStatus.QUEUED})


def test_a_lapsed_not_confirmed_is_corrected_only_by_an_answer_given_in_time() -> None:
    from originlink.domain.lifecycle import VerificationStatus as V
    from originlink.domain.lifecycle import check_verification_transition

    with pytest.raises(InvalidTransition):
        check_verification_transition(V.NOT_CONFIRMED, V.VERIFIED)
    check_verification_transition(V.NOT_CONFIRMED, V.VERIFIED, correcting_lapse=True)
    with pytest.raises(InvalidTransition):
        check_verification_transition(V.NOT_CONFIRMED, V.UNDER_VERIFICATION, correcting_lapse=True)
