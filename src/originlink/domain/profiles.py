"""Agreement profiles: the rules of one trade agreement, each with its citation.

One TOML file per agreement lives in ``originlink/reference/data/agreements``. A rule the cited
facts leave unknown is absent from its table and named in ``[unset]`` with the reason; the
software then skips the check and says so (an INFO finding), never inventing a default. The
loader refuses a file where a rule is neither set nor declared unset.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from originlink.domain.errors import ConfigurationError
from originlink.domain.periods import Period
from originlink.reference import agreement_files


class _Profile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
            if len(code) != 2 or not code.isupper():
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
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
        return self

    def find(self, code: str) -> Criterion | None:
        return next((c for c in self.codes if c.code == code), None)


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
    end and ``reply_period`` its upper end."""

    reply_period: Period | None = None
    reply_period_min: Period | None = None
    visit_consent_period: Period | None = None
    determination_period: Period | None = None
    no_reply_consequence: str | None = None


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


#: Rules a profile must either set or declare unset.
RULE_NAMES: tuple[str, ...] = (
    "issuance",
    "retroactive",
    "validity",
    "criteria",
    "fob",
    "item_cap",
    "verification",
    "record_keeping",
    "true_copy",
    "release_under_guarantee",
)
#: Flags a profile must either allow/refuse with a citation or declare unset (``flags.<name>``).
PROFILE_FLAGS: tuple[str, ...] = (
    "issued_retroactively",
    "certified_true_copy",
    "back_to_back",
    "third_party_invoicing",
    "exhibition",
    "accumulation",
    "partial_cumulation",
    "de_minimis",
)


class AgreementProfile(_Profile):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_\-]{1,19}$")
    name: str = Field(min_length=1)
    form_name: str = Field(min_length=1)
    form_codes: tuple[str, ...] = Field(min_length=1)
    legal_basis: LegalBasis
    parties: PartiesRule
    hs_edition: Literal["HS2007", "HS2012", "HS2017", "HS2022"] = "HS2022"
    edi3_free_trade_agreement: str | None = None
    aladi_acronym: str | None = None
    aladi_form: str | None = None
    fob_currency: str | None = None
    timezones: Mapping[str, str] = Field(default_factory=dict)
    certificate_number_pattern: str = "{agreement}-{country}-{year}-{sequence:06d}"
    rules: Rules = Field(default_factory=Rules)
    unset: Mapping[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _every_rule_set_or_declared_unset(self) -> AgreementProfile:
        missing: list[str] = []
        for name in RULE_NAMES:
            is_set = getattr(self.rules, name) is not None
            declared = name in self.unset
            if is_set and declared:
                raise ValueError(f"rule {name!r} is both set and declared unset")
            if not is_set and not declared:
                missing.append(name)
        for flag in PROFILE_FLAGS:
            key = f"flags.{flag}"
            if flag not in self.rules.flags and key not in self.unset:
                missing.append(key)
        unknown_flags = set(self.rules.flags) - set(PROFILE_FLAGS)
        if unknown_flags:
            raise ValueError(f"unknown flags: {sorted(unknown_flags)}")
        if missing:
            raise ValueError(
                "every rule must be set with its source or listed in [unset] with the reason; "
                f"missing: {', '.join(missing)}"
            )
        try:
            self.format_number(country="XX", year=2000, sequence=1)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValueError(f"certificate_number_pattern is not usable: {exc}") from None
        return self

    def is_party(self, country: str) -> bool:
        return country in self.parties.countries

    def flag_allowed(self, flag: str) -> bool | None:
        """True/False when the profile says so; None when the facts leave it unknown."""
        rule = self.rules.flags.get(flag)
        return None if rule is None else rule.allowed

    def format_number(self, *, country: str, year: int, sequence: int) -> str:
        return self.certificate_number_pattern.format(
            agreement=self.code, country=country, year=year, sequence=sequence
        )

    def validity_end(self, *, issued: date, shipped: date | None, retroactive: bool) -> date | None:
        """Last day a CO may be presented, or None when the profile leaves validity unset."""
        rule = self.rules.validity
        if rule is None:
            return None
        runs_from = rule.runs_from
        if retroactive and rule.retroactive_runs_from is not None:
            runs_from = rule.retroactive_runs_from
        start = shipped if runs_from == "shipment" and shipped is not None else issued
        return rule.period.add_to(start)


class ProfileRegistry:
    """The agreement profiles a node knows, by code."""

    def __init__(self, profiles: Mapping[str, AgreementProfile]) -> None:
        self._profiles = dict(profiles)

    def get(self, code: str) -> AgreementProfile | None:
        return self._profiles.get(code)

    def require(self, code: str) -> AgreementProfile:
        profile = self._profiles.get(code)
        if profile is None:
            known = ", ".join(sorted(self._profiles))
            raise ConfigurationError(f"unknown agreement {code!r}; known agreements: {known}")
        return profile

    def __iter__(self) -> Iterator[AgreementProfile]:
        return iter(sorted(self._profiles.values(), key=lambda p: p.code))

    def __len__(self) -> int:
        return len(self._profiles)

    def codes(self) -> list[str]:
        return sorted(self._profiles)


def parse_profile(text: str, *, origin: str) -> AgreementProfile:
    """Parse and validate one TOML profile; errors name the file and the field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{origin}: not valid TOML: {exc}") from None
    try:
        return AgreementProfile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise ConfigurationError(
            f"{origin}: {where}: {first['msg']} ({exc.error_count()} error(s))"
        ) from None


@lru_cache(maxsize=1)
def bundled_profiles() -> ProfileRegistry:
    """The profiles shipped with OriginLink, validated once per process."""
    profiles: dict[str, AgreementProfile] = {}
    for name, text in agreement_files():
        profile = parse_profile(text, origin=name)
        if profile.code in profiles:
            raise ConfigurationError(f"{name}: agreement {profile.code} is defined twice")
        profiles[profile.code] = profile
    return ProfileRegistry(profiles)
