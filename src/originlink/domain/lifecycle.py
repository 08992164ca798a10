"""The state machines of ``processes.md`` §5, as data plus one checking function.

Exporting side (the issuing authority's record of a CO and its application)::

    DRAFT → SUBMITTED → ISSUED | NOT_ISSUED;  NOT_ISSUED → DRAFT;  SUBMITTED → DRAFT (withdraw)
    ISSUED → CANCELLED | REPLACED | EXPIRED

Importing side (the importing customs' record of a received CO)::

    RECEIVED (passed checks) | REJECTED;  RECEIVED → CANCELLED | REPLACED | EXPIRED

Verification overlays either side: ``UNDER_VERIFICATION → VERIFIED | NOT_CONFIRMED``.
Delivery of every outbound message::

    QUEUED → SENDING → DELIVERED → ACCEPTED | REJECTED
    SENDING → RETRYING → SENDING …;  RETRYING → DEAD (retry budget spent);  DEAD → QUEUED (resend)

:func:`check_transition` raises :class:`~originlink.domain.errors.InvalidTransition` (HTTP 409)
for anything else.
"""

from __future__ import annotations

from enum import StrEnum

from originlink.domain.errors import InvalidTransition


class Side(StrEnum):
    EXPORT = "export"
    IMPORT = "import"


class RecordStatus(StrEnum):
    """Status of a CO record held by a node (a superset of the canonical CO status)."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    NOT_ISSUED = "NOT_ISSUED"
    ISSUED = "ISSUED"
    RECEIVED = "RECEIVED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"
    REPLACED = "REPLACED"
    EXPIRED = "EXPIRED"


class VerificationStatus(StrEnum):
    UNDER_VERIFICATION = "UNDER_VERIFICATION"
    VERIFIED = "VERIFIED"
    NOT_CONFIRMED = "NOT_CONFIRMED"


class DeliveryStatus(StrEnum):
    QUEUED = "QUEUED"
    SENDING = "SENDING"
    RETRYING = "RETRYING"
    DELIVERED = "DELIVERED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    DEAD = "DEAD"


_S = RecordStatus
EXPORT_TRANSITIONS: dict[RecordStatus, frozenset[RecordStatus]] = {
    _S.DRAFT: frozenset({_S.SUBMITTED}),
    _S.SUBMITTED: frozenset({_S.ISSUED, _S.NOT_ISSUED, _S.DRAFT}),
    _S.NOT_ISSUED: frozenset({_S.DRAFT}),
    _S.ISSUED: frozenset({_S.CANCELLED, _S.REPLACED, _S.EXPIRED}),
    _S.CANCELLED: frozenset(),
    _S.REPLACED: frozenset(),
    _S.EXPIRED: frozenset(),
}

IMPORT_TRANSITIONS: dict[RecordStatus, frozenset[RecordStatus]] = {
    _S.RECEIVED: frozenset({_S.CANCELLED, _S.REPLACED, _S.EXPIRED}),
    _S.REJECTED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.REPLACED: frozenset(),
    _S.EXPIRED: frozenset(),
}

_V = VerificationStatus
VERIFICATION_TRANSITIONS: dict[VerificationStatus | None, frozenset[VerificationStatus]] = {
    None: frozenset({_V.UNDER_VERIFICATION}),
    _V.UNDER_VERIFICATION: frozenset({_V.VERIFIED, _V.NOT_CONFIRMED}),
    _V.VERIFIED: frozenset({_V.UNDER_VERIFICATION}),
    _V.NOT_CONFIRMED: frozenset(),
}

_D = DeliveryStatus
DELIVERY_TRANSITIONS: dict[DeliveryStatus, frozenset[DeliveryStatus]] = {
    _D.QUEUED: frozenset({_D.SENDING}),
    _D.SENDING: frozenset({_D.DELIVERED, _D.RETRYING, _D.DEAD, _D.REJECTED, _D.ACCEPTED}),
    _D.RETRYING: frozenset({_D.SENDING, _D.DEAD}),
    _D.DELIVERED: frozenset({_D.ACCEPTED, _D.REJECTED}),
    _D.ACCEPTED: frozenset(),
    _D.REJECTED: frozenset({_D.QUEUED}),
    _D.DEAD: frozenset({_D.QUEUED}),
}

#: Statuses in which a CO can no longer be used for a preference claim.
UNUSABLE = frozenset({_S.CANCELLED, _S.REPLACED, _S.EXPIRED, _S.REJECTED})


def check_transition(side: Side, current: RecordStatus, target: RecordStatus) -> None:
    table = EXPORT_TRANSITIONS if side is Side.EXPORT else IMPORT_TRANSITIONS
    allowed = table.get(current, frozenset())
    if target not in allowed:
        options = ", ".join(sorted(s.value for s in allowed)) or "none (final state)"
        raise InvalidTransition(
            f"a {side.value}-side CO in {current.value} cannot become {target.value}; "
            f"allowed next: {options}",
            current=current.value,
            target=target.value,
        )


#: A NOT_CONFIRMED that only says no reply came by the deadline is corrected by an answer
#: given before the deadline that arrives after it ran (``verification.answer_accepted``).
LAPSE_CORRECTIONS: dict[VerificationStatus | None, frozenset[VerificationStatus]] = {
    _V.NOT_CONFIRMED: frozenset({_V.VERIFIED}),
}


def check_verification_transition(
    current: VerificationStatus | None,
    target: VerificationStatus,
    *,
    correcting_lapse: bool = False,
) -> None:
    allowed = VERIFICATION_TRANSITIONS.get(current, frozenset())
    if correcting_lapse:
        allowed = allowed | LAPSE_CORRECTIONS.get(current, frozenset())
    if target not in allowed:
        shown = current.value if current else "no verification"
        raise InvalidTransition(
            f"verification in {shown} cannot become {target.value}",
            current=shown,
            target=target.value,
        )


def check_delivery_transition(current: DeliveryStatus, target: DeliveryStatus) -> None:
    if target not in DELIVERY_TRANSITIONS.get(current, frozenset()):
        raise InvalidTransition(
            f"a message in {current.value} cannot become {target.value}",
            current=current.value,
            target=target.value,
        )
