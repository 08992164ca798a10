"""Preference claims (P4, ``processes.md`` §6): the decision rules per line (the declaration
itself is read by :mod:`originlink.domain.declarations`).

Pure: the caller looks the CO and its items up and performs the draw; this module says what
each line deserves and why. Every line is decided on its own, so one bad line never blocks the
others:

* **DENIED** when any of :data:`DENIAL_REASONS` applies (all that apply are reported);
* else **REFERRED** when the CO could not be had (partner unreachable), the item is under
  verification or carries no quantity to draw from; ``RELEASE_UNDER_GUARANTEE`` is added when
  the agreement lets customs release the goods against security meanwhile (the profile's
  ``rules.release_under_guarantee``);
* else the quantity is drawn, and the line is **GRANTED**, or **DENIED** with
  ``QUANTITY_EXCEEDED`` when the item's remaining quantity is short.

``UNIT_NOT_CONVERTIBLE`` is the denial for a quantity whose unit cannot be converted into the
item's unit (``codelists.convert``): the issue says to refuse those, and no code of §6 names it.
Quantities are held in millionths (integers) like the ledger; a converted quantity with more than
six decimals is rounded *up*, so a claim never draws less than it declared.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from originlink.domain.codelists import convert
from originlink.domain.dataset.types import (
    decimal_to_json,
)
from originlink.domain.declarations import Declaration, DeclarationLine, Importer
from originlink.domain.quantities import hs6, micros_text, to_micros


class Decision(StrEnum):
    GRANTED = "GRANTED"
    DENIED = "DENIED"
    REFERRED = "REFERRED"


class Reason(StrEnum):
    # DENIED (processes.md §6, plus UNIT_NOT_CONVERTIBLE)
    CO_NOT_FOUND = "CO_NOT_FOUND"
    CO_CANCELLED = "CO_CANCELLED"
    CO_REPLACED = "CO_REPLACED"
    CO_EXPIRED = "CO_EXPIRED"
    CO_REJECTED = "CO_REJECTED"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"
    AGREEMENT_MISMATCH = "AGREEMENT_MISMATCH"
    IMPORTER_MISMATCH = "IMPORTER_MISMATCH"
    ITEM_NOT_ON_CO = "ITEM_NOT_ON_CO"
    HS_MISMATCH = "HS_MISMATCH"
    QUANTITY_EXCEEDED = "QUANTITY_EXCEEDED"
    ORIGIN_NOT_CONFIRMED = "ORIGIN_NOT_CONFIRMED"
    UNIT_NOT_CONVERTIBLE = "UNIT_NOT_CONVERTIBLE"
    # REFERRED
    CO_NOT_RECEIVED = "CO_NOT_RECEIVED"
    CO_UNDER_VERIFICATION = "CO_UNDER_VERIFICATION"
    QUANTITY_NOT_ON_CO = "QUANTITY_NOT_ON_CO"
    RELEASE_UNDER_GUARANTEE = "RELEASE_UNDER_GUARANTEE"
    # GRANTED
    ALL_CHECKS_PASSED = "ALL_CHECKS_PASSED"


_R = Reason
DENIAL_REASONS = frozenset(
    {
        _R.CO_NOT_FOUND,
        _R.CO_CANCELLED,
        _R.CO_REPLACED,
        _R.CO_EXPIRED,
        _R.CO_REJECTED,
        _R.SIGNATURE_INVALID,
        _R.AGREEMENT_MISMATCH,
        _R.IMPORTER_MISMATCH,
        _R.ITEM_NOT_ON_CO,
        _R.HS_MISMATCH,
        _R.QUANTITY_EXCEEDED,
        _R.ORIGIN_NOT_CONFIRMED,
        _R.UNIT_NOT_CONVERTIBLE,
    }
)
REFERRAL_REASONS = frozenset({_R.CO_NOT_RECEIVED, _R.CO_UNDER_VERIFICATION, _R.QUANTITY_NOT_ON_CO})
#: Item verification outcomes under which a claim is denied for its origin.
NOT_CONFIRMED_ITEM = frozenset({"NOT_CONFIRMED", "PARTIALLY_CONFIRMED", "NO_REPLY"})

# --- what the store knows about the CO -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemFacts:
    sequence_number: int
    hs6: str
    unit_code: str | None
    quantity_micros: int | None
    remaining_micros: int | None
    origin_status: str | None


@dataclass(frozen=True, slots=True)
class CoFacts:
    """The import-side record of the CO, as far as the rules need it."""

    record_id: str
    status: str
    verification_status: str | None
    agreement: str | None
    importer_name: str | None
    importer_identifiers: tuple[tuple[str, str], ...]
    validity_end_date: date | None
    replaced_by: str | None = None
    finding_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CoMissing:
    """No record of the CO, after a pull was tried: ``unreachable`` says whether the partner
    could not be reached (REFERRED) or answered that it has no such CO (DENIED)."""

    unreachable: bool
    detail: str


@dataclass(frozen=True, slots=True)
class Guarantee:
    """What the agreement says about release under guarantee (None: profile leaves it unset)."""

    allowed: bool | None
    source: str


@dataclass(frozen=True, slots=True)
class LineOutcome:
    line_number: int
    co_item: int
    decision: Decision
    reason_codes: tuple[Reason, ...]
    facts: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "line_number": self.line_number,
            "co_item": self.co_item,
            "decision": self.decision.value,
            "reason_codes": [r.value for r in self.reason_codes],
            "facts": self.facts,
        }


@dataclass(frozen=True, slots=True)
class LinePlan:
    """What the rules decided before the draw. ``draw_micros`` is set when the line is to be
    drawn (in the item's unit); the caller then calls :meth:`drawn` or :meth:`short`."""

    line: DeclarationLine
    outcome: LineOutcome | None
    draw_micros: int | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    def drawn(self, remaining_after: int) -> LineOutcome:
        assert self.draw_micros is not None
        facts = dict(self.facts)
        facts["remaining_before"] = micros_text(remaining_after + self.draw_micros)
        facts["remaining_after"] = micros_text(remaining_after)
        facts["drawn"] = micros_text(self.draw_micros)
        return LineOutcome(
            self.line.line_number,
            self.line.co_item,
            Decision.GRANTED,
            (Reason.ALL_CHECKS_PASSED,),
            facts,
        )

    def short(self, remaining: int) -> LineOutcome:
        assert self.draw_micros is not None
        facts = dict(self.facts)
        facts["remaining_before"] = micros_text(remaining)
        facts["remaining_after"] = micros_text(remaining)
        facts["requested"] = micros_text(self.draw_micros)
        return LineOutcome(
            self.line.line_number,
            self.line.co_item,
            Decision.DENIED,
            (Reason.QUANTITY_EXCEEDED,),
            facts,
        )


_NAME_JUNK = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def normalise_name(name: str) -> str:
    """Names compared without case, accents of compatibility forms, punctuation or spacing."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _SPACES.sub(" ", _NAME_JUNK.sub("", text)).strip()


def importer_matches(importer: Importer, co: CoFacts) -> bool | None:
    """True/False; None when the CO names no importer (nothing to compare)."""
    if importer.identifier is not None and co.importer_identifiers:
        wanted = (importer.identifier.scheme, importer.identifier.value)
        return wanted in co.importer_identifiers
    if co.importer_name is None:
        return None
    return normalise_name(importer.name) == normalise_name(co.importer_name)


def co_checks(declaration: Declaration, co: CoFacts) -> tuple[list[Reason], dict[str, Any]]:
    """Denials that concern the whole CO, and the facts behind them."""
    reasons: list[Reason] = []
    facts: dict[str, Any] = {
        "co_status": co.status,
        "validity_end_date": co.validity_end_date.isoformat() if co.validity_end_date else None,
        "declaration_date": declaration.date.isoformat(),
    }
    if co.status == "REJECTED":
        signature = [c for c in co.finding_codes if c.startswith("SIG_")]
        reasons.append(Reason.SIGNATURE_INVALID if signature else Reason.CO_REJECTED)
        facts["rejection_codes"] = list(co.finding_codes)
    elif co.status == "CANCELLED":
        reasons.append(Reason.CO_CANCELLED)
    elif co.status == "REPLACED":
        reasons.append(Reason.CO_REPLACED)
        facts["replaced_by"] = co.replaced_by
    if co.status == "EXPIRED" or (
        co.validity_end_date is not None and declaration.date > co.validity_end_date
    ):
        reasons.append(Reason.CO_EXPIRED)
    if declaration.agreement is not None and declaration.agreement != co.agreement:
        reasons.append(Reason.AGREEMENT_MISMATCH)
        facts["co_agreement"] = co.agreement
        facts["claimed_agreement"] = declaration.agreement
    match = importer_matches(declaration.importer, co)
    if match is False:
        reasons.append(Reason.IMPORTER_MISMATCH)
        facts["co_importer"] = co.importer_name
    elif match is None:
        facts["importer_check"] = "the CO names no importer"
    return reasons, facts


def _guarantee_facts(guarantee: Guarantee | None) -> tuple[list[Reason], dict[str, Any]]:
    if guarantee is None:
        return [], {"release_under_guarantee": "no agreement known for this CO"}
    if guarantee.allowed:
        return [Reason.RELEASE_UNDER_GUARANTEE], {"release_under_guarantee": guarantee.source}
    state = "not allowed" if guarantee.allowed is False else "not set"
    return [], {"release_under_guarantee": f"{state}: {guarantee.source}"}


def missing_outcome(
    line: DeclarationLine, missing: CoMissing, guarantee: Guarantee | None
) -> LineOutcome:
    """The decision for a line whose CO this node does not hold even after a pull."""
    facts: dict[str, Any] = {"pull": missing.detail}
    if not missing.unreachable:
        return LineOutcome(
            line.line_number, line.co_item, Decision.DENIED, (Reason.CO_NOT_FOUND,), facts
        )
    extra, guarantee_facts = _guarantee_facts(guarantee)
    facts.update(guarantee_facts)
    return LineOutcome(
        line.line_number,
        line.co_item,
        Decision.REFERRED,
        (Reason.CO_NOT_RECEIVED, *extra),
        facts,
    )


def plan_line(
    line: DeclarationLine,
    *,
    co_reasons: Sequence[Reason],
    co_facts: Mapping[str, Any],
    items: Mapping[int, ItemFacts],
    guarantee: Guarantee | None,
) -> LinePlan:
    """Apply the rules to one line of a declaration whose CO is held."""
    reasons = list(co_reasons)
    facts: dict[str, Any] = dict(co_facts)
    declared_hs6 = hs6(line.hs_code)
    facts["declared_hs6"] = declared_hs6
    facts["declared_quantity"] = decimal_to_json(line.quantity.value)
    facts["declared_unit"] = line.quantity.unit_code
    item = items.get(line.co_item)
    referrals: list[Reason] = []
    draw: int | None = None
    if item is None:
        # A CO refused on receipt has no items in the ledger: its own reasons say it all.
        if items or not reasons:
            reasons.append(Reason.ITEM_NOT_ON_CO)
            facts["co_items"] = sorted(items)
    else:
        facts["item_hs6"] = item.hs6
        facts["item_unit"] = item.unit_code
        if item.hs6 != declared_hs6:
            reasons.append(Reason.HS_MISMATCH)
        if item.origin_status in NOT_CONFIRMED_ITEM:
            reasons.append(Reason.ORIGIN_NOT_CONFIRMED)
            facts["item_origin_status"] = item.origin_status
        elif item.origin_status == "UNDER_VERIFICATION":
            referrals.append(Reason.CO_UNDER_VERIFICATION)
        if item.quantity_micros is None or item.remaining_micros is None or not item.unit_code:
            referrals.append(Reason.QUANTITY_NOT_ON_CO)
        else:
            converted = convert(line.quantity.value, line.quantity.unit_code, item.unit_code)
            if converted is None:
                reasons.append(Reason.UNIT_NOT_CONVERTIBLE)
            else:
                draw = to_micros(converted)
                if line.quantity.unit_code != item.unit_code:
                    facts["converted_quantity"] = micros_text(draw)
                    facts["converted_from"] = line.quantity.unit_code
    if reasons:
        return LinePlan(
            line,
            LineOutcome(line.line_number, line.co_item, Decision.DENIED, tuple(reasons), facts),
        )
    if referrals:
        extra, guarantee_facts = _guarantee_facts(guarantee)
        facts.update(guarantee_facts)
        outcome = LineOutcome(
            line.line_number, line.co_item, Decision.REFERRED, (*referrals, *extra), facts
        )
        return LinePlan(line, outcome)
    return LinePlan(line, None, draw_micros=draw, facts=facts)


def summarise(outcomes: Sequence[LineOutcome]) -> dict[str, int]:
    counts = {d.value: 0 for d in Decision}
    for outcome in outcomes:
        counts[outcome.decision.value] += 1
    return counts


class ClaimOutcome(StrEnum):
    """What a POST of a declaration did."""

    DECIDED = "DECIDED"  # a new declaration, decided
    REPLAYED = "REPLAYED"  # the same declaration again: the stored decision, nothing drawn
    AMENDED = "AMENDED"  # same id, other content: earlier draws re-credited, decided again
    REDECIDED = "REDECIDED"  # decided again on request (e.g. after a referral)
