"""The rule models of an agreement profile (see :mod:`originlink.domain.profiles`).

Each rule carries the citation it was taken from (``source``) and an optional ``note`` (secondary
source, national practice, what the source leaves open). A field the sources leave unknown stays
``None`` and the profile names it in ``[unset]`` as ``"<rule>.<field>"`` with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from originlink.domain.codelists import is_country
from originlink.domain.periods import Period


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def is_user_assigned_country(code: str) -> bool:
    """ISO 3166-1 user-assigned alpha-2 codes (AA, QM-QZ, XA-XZ, ZZ), e.g. ``XK``: allowed only
    where a profile lists them (``dataset.md`` §13.1)."""
    return code == "AA" or code == "ZZ" or (code[0] == "Q" and code[1] >= "M") or code[0] == "X"


class Cited(_Profile):
    """Every rule carries its source (article, rule or public document) and an optional note."""

    source: str = Field(min_length=1)
    note: str | None = None


class LegalBasis(Cited):
    text: str = Field(min_length=1)


class PartiesRule(Cited):
    countries: tuple[str, ...] = Field(min_length=2)

    @field_validator("countries")
    @classmethod
    def _alpha2(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if len(code) != 2 or not code.isascii() or not code.isupper():
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
            if not is_country(code) and not is_user_assigned_country(code):
                raise ValueError(f"{code!r} is not an assigned ISO 3166-1 alpha-2 code")
        if len(set(value)) != len(value):
            raise ValueError("a country is listed twice")
        return value


class IssuanceRule(Cited):
    """Normal issuance: up to ``window`` after the anchor (0 days = at shipment at the latest)."""

    window: Period
    anchor: Literal["shipment", "invoice"] = "shipment"


class RetroactiveRule(Cited):
    """Issuance after the normal window. ``ceiling``: a period, ``"none"`` (no maximum stated
    by the agreement) or absent (not found: no check)."""

    allowed: bool
    ceiling: Period | Literal["none"] | None = None
    marking: str | None = None


class ValidityRule(Cited):
    period: Period
    runs_from: Literal["issue", "shipment"]
    retroactive_runs_from: Literal["issue", "shipment"] | None = None


class Criterion(_Profile):
    code: str = Field(min_length=1, max_length=35)
    description: str = Field(min_length=1)
    value_based: bool = False
    percent_required: bool = False


class CriteriaRule(Cited):
    """Origin criterion codes. ``used = false`` for forms with no criterion box (EUR.1)."""

    used: bool = True
    codes: tuple[Criterion, ...] = ()

    @model_validator(mode="after")
    def _codes_when_used(self) -> CriteriaRule:
        if self.used and not self.codes:
            raise ValueError("criteria.codes must list at least one code when used = true")
        if not self.used and self.codes:
            raise ValueError("criteria.codes must be empty when used = false")
        names = [c.code for c in self.codes]
        if len(set(names)) != len(names):
            raise ValueError("criteria.codes lists a code twice")
        return self

    @cached_property
    def _by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.codes}

    def find(self, code: str) -> Criterion | None:
        """The criterion ``code`` names; asked for every goods item by several rules."""
        return self._by_code.get(code)


class FobRule(Cited):
    """Whether FOB must be on the CO for value-based criteria; optionally only for some
    importing countries (ATIGA: KH, ID, LA)."""

    required_for_value_criteria: bool
    importing_countries: tuple[str, ...] | None = None

    def required_for(self, importing_country: str) -> bool:
        if not self.required_for_value_criteria:
            return False
        return self.importing_countries is None or importing_country in self.importing_countries


class ItemCapRule(Cited):
    max_items: int = Field(ge=1)


class VerificationRule(Cited):
    """Retroactive verification. ``reply_period`` is the deadline OriginLink applies; when the
    agreement gives a range the importing party chooses from, ``reply_period_min`` is its lower
    end and ``reply_period`` its upper end. ``determination_period`` likewise holds the upper end
    of a range (the note gives the range)."""

    reply_period: Period | None = None
    reply_period_min: Period | None = None
    visit_consent_period: Period | None = None
    determination_period: Period | None = None
    no_reply_consequence: str | None = None

    @model_validator(mode="after")
    def _min_needs_max(self) -> VerificationRule:
        if self.reply_period_min is not None and self.reply_period is None:
            raise ValueError("reply_period_min needs reply_period (the upper end of the range)")
        return self


class RecordKeepingRule(Cited):
    years: int = Field(ge=1)


class FlagRule(Cited):
    allowed: bool


class TrueCopyRule(Cited):
    allowed: bool
    window: Period | None = None
    marking: str | None = None


class GuaranteeRule(Cited):
    """Whether goods may be released under security while origin is checked (claims REFERRED)."""

    allowed: bool


class Rules(_Profile):
    issuance: IssuanceRule | None = None
    retroactive: RetroactiveRule | None = None
    validity: ValidityRule | None = None
    criteria: CriteriaRule | None = None
    fob: FobRule | None = None
    item_cap: ItemCapRule | None = None
    verification: VerificationRule | None = None
    record_keeping: RecordKeepingRule | None = None
    true_copy: TrueCopyRule | None = None
    release_under_guarantee: GuaranteeRule | None = None
    flags: Mapping[str, FlagRule] = Field(default_factory=dict)
