"""Agreement profiles: the rules of one trade agreement, each with its citation.

One TOML file per agreement lives in ``originlink/reference/data/agreements``. A rule the cited
facts leave unknown is absent from its table and named in ``[unset]`` with the reason; the
software then skips the check and says so (an INFO finding), never inventing a default. The
loader refuses a file where a rule is neither set nor declared unset. A field of a set rule that
the sources leave open (e.g. a retroactive ceiling not found) may be named in ``[unset]`` as
``"<rule>.<field>"`` so that displays can give the reason too.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator

from originlink.domain.codelists import is_currency
from originlink.domain.dataset.flags import FLAG_NAMES
from originlink.domain.errors import ConfigurationError
from originlink.domain.profile_rules import (
    Cited,
    CriteriaRule,
    Criterion,
    FlagRule,
    FobRule,
    GuaranteeRule,
    IssuanceRule,
    ItemCapRule,
    LegalBasis,
    PartiesRule,
    RecordKeepingRule,
    RetroactiveRule,
    Rules,
    TrueCopyRule,
    ValidityRule,
    VerificationRule,
    _Profile,
)
from originlink.reference import agreement_files

__all__ = [
    "CERTIFICATE_NUMBER_RE",
    "NOTE_FIELDS",
    "PROFILE_FLAGS",
    "RULE_NAMES",
    "AgreementProfile",
    "Cited",
    "CriteriaRule",
    "Criterion",
    "FlagRule",
    "FobRule",
    "FormLayout",
    "GuaranteeRule",
    "IssuanceRule",
    "ItemCapRule",
    "LegalBasis",
    "PartiesRule",
    "ProfileRegistry",
    "RecordKeepingRule",
    "RetroactiveRule",
    "Rules",
    "TrueCopyRule",
    "ValidityRule",
    "VerificationRule",
    "bundled_profiles",
    "parse_profile",
]

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
PROFILE_FLAGS: tuple[str, ...] = FLAG_NAMES
#: Identifier format of certificate numbers a profile's pattern must produce (``dataset.md`` §1).
CERTIFICATE_NUMBER_RE = re.compile(r"^[A-Za-z0-9/.\-]{1,35}$")
#: Top-level fields that ``[notes]`` may comment on (they carry no ``source`` of their own).
NOTE_FIELDS: tuple[str, ...] = (
    "hs_edition",
    "edi3_free_trade_agreement",
    "aladi_acronym",
    "aladi_form",
    "fob_currency",
    "timezones",
    "certificate_number_pattern",
)
_FORM_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.\-]{0,34}$")
# Sample values the pattern is tried with: the widest realistic sequence and a short one.
_PATTERN_PROBES = ((2000, 1), (2099, 999_999))


def _unset_problems(rules: Rules, unset: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(missing declarations, contradictory or unknown declarations)."""
    missing: list[str] = []
    wrong: list[str] = []
    for name in RULE_NAMES:
        is_set = getattr(rules, name) is not None
        if is_set and name in unset:
            wrong.append(f"rule {name!r} is both set and declared unset")
        if not is_set and name not in unset:
            missing.append(name)
    for flag in PROFILE_FLAGS:
        key = f"flags.{flag}"
        if flag in rules.flags and key in unset:
            wrong.append(f"{key!r} is both set and declared unset")
        if flag not in rules.flags and key not in unset:
            missing.append(key)
    for key, reason in unset.items():
        if not reason.strip():
            wrong.append(f"[unset] {key!r} gives no reason")
        head, _, field = key.partition(".")
        if not field:
            if key not in RULE_NAMES:
                wrong.append(f"[unset] names unknown rule {key!r}")
        elif head == "flags":
            if field not in PROFILE_FLAGS:
                wrong.append(f"[unset] names unknown flag {key!r}")
        elif head not in RULE_NAMES:
            wrong.append(f"[unset] names unknown rule {key!r}")
        else:
            rule = getattr(rules, head)
            if rule is None:
                wrong.append(f"[unset] {key!r}: rule {head!r} itself is unset")
            elif field not in type(rule).model_fields or field in {"source", "note"}:
                wrong.append(f"[unset] {key!r}: {head!r} has no optional field {field!r}")
            elif getattr(rule, field) is not None:
                wrong.append(f"rule field {key!r} is both set and declared unset")
    return missing, wrong


class FormLayout(Cited):
    """The paper form of the agreement: the name of the layout the printed certificate uses
    (``originlink.formats.pdf.layouts``) and where that form is published."""

    layout: str = Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,39}$")


class AgreementProfile(_Profile):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_\-]{1,19}$")
    name: str = Field(min_length=1)
    form_name: str = Field(min_length=1)
    form_codes: tuple[str, ...] = Field(min_length=1)
    legal_basis: LegalBasis
    parties: PartiesRule
    #: The printed form's layout and source; None prints the neutral layout.
    form: FormLayout | None = None
    hs_edition: Literal["HS2007", "HS2012", "HS2017", "HS2022"] = "HS2022"
    edi3_free_trade_agreement: str | None = None
    #: Other names documents give the agreement (its full name in other spellings, common
    #: short names), so a CO that names it so maps to this profile.
    aliases: tuple[str, ...] = ()
    aladi_acronym: str | None = None
    aladi_form: str | None = None
    fob_currency: str | None = None
    timezones: Mapping[str, str] = Field(default_factory=dict)
    certificate_number_pattern: str = "{agreement}-{country}-{year}-{sequence:06d}"
    notes: Mapping[str, str] = Field(default_factory=dict)
    rules: Rules = Field(default_factory=Rules)
    unset: Mapping[str, str] = Field(default_factory=dict)

    @field_validator("form_codes")
    @classmethod
    def _form_codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for code in value:
            if not _FORM_CODE_RE.match(code):
                raise ValueError(f"{code!r} is not a form code (1-35 letters, digits, _:.-)")
        return value

    @field_validator("fob_currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        if value is not None and not is_currency(value):
            raise ValueError(f"{value!r} is not an active ISO 4217 currency code")
        return value

    @field_validator("notes")
    @classmethod
    def _notes(cls, value: Mapping[str, str]) -> Mapping[str, str]:
        unknown = sorted(set(value) - set(NOTE_FIELDS))
        if unknown:
            raise ValueError(f"[notes] may only comment on {', '.join(NOTE_FIELDS)}; not {unknown}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> AgreementProfile:
        missing, wrong = _unset_problems(self.rules, self.unset)
        unknown_flags = set(self.rules.flags) - set(PROFILE_FLAGS)
        if unknown_flags:
            raise ValueError(f"unknown flags: {sorted(unknown_flags)}")
        if wrong:
            raise ValueError("; ".join(wrong))
        if missing:
            raise ValueError(
                "every rule must be set with its source or listed in [unset] with the reason; "
                f"missing: {', '.join(missing)}"
            )
        for country, zone in self.timezones.items():
            if country not in self.parties.countries:
                raise ValueError(f"timezones: {country!r} is not a party of {self.code}")
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"timezones: {zone!r} is not an IANA time zone name") from None
        for key in self.notes:
            if getattr(self, key) in (None, {}):
                raise ValueError(f"[notes] comments on {key!r}, which is not set")
        self._check_number_pattern()
        return self

    def _check_number_pattern(self) -> None:
        for year, sequence in _PATTERN_PROBES:
            try:
                sample = self.format_number(country="XX", year=year, sequence=sequence)
            except (KeyError, ValueError, IndexError, AttributeError) as exc:
                raise ValueError(f"certificate_number_pattern is not usable: {exc}") from None
            if not CERTIFICATE_NUMBER_RE.match(sample):
                raise ValueError(
                    f"certificate_number_pattern gives {sample!r}, which is not 1-35 letters, "
                    "digits, '/', '.' or '-'"
                )

    @property
    def layout(self) -> str | None:
        """The name of the printed form's layout, or None for the neutral one."""
        return self.form.layout if self.form is not None else None

    def is_party(self, country: str) -> bool:
        return country in self.parties.countries

    def flag_allowed(self, flag: str) -> bool | None:
        """True/False when the profile says so; None when the facts leave it unknown."""
        rule = self.rules.flags.get(flag)
        return None if rule is None else rule.allowed

    def unset_reason(self, key: str) -> str | None:
        """Why a rule (``"fob"``), flag (``"flags.exhibition"``) or rule field
        (``"retroactive.ceiling"``) is unset, or None when it is set or not declared."""
        return self.unset.get(key)

    def timezone(self, country: str) -> ZoneInfo | None:
        """The time zone the profile gives for a party (formats whose dates have no offset)."""
        zone = self.timezones.get(country)
        return None if zone is None else ZoneInfo(zone)

    def format_number(self, *, country: str, year: int, sequence: int) -> str:
        """A certificate number from the profile's pattern (placeholders ``{agreement}``,
        ``{country}``, ``{year}``, ``{sequence}``)."""
        return self.certificate_number_pattern.format(
            agreement=self.code, country=country, year=year, sequence=sequence
        )

    def validity_end(self, *, issued: date, shipped: date | None, retroactive: bool) -> date | None:
        """Last day a CO may be presented, or None when the profile leaves validity unset.

        When the period runs from shipment and the shipment date is unknown, the issue date is
        used: for a CO issued at or before shipment that is the same day or later, so no
        CO valid by the rule is refused."""
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

    def find(self, name: str) -> AgreementProfile | None:
        """The profile a document's agreement text names: its code, edi3 string, full name or
        one of its aliases, compared without case and with spaces and dashes folded."""
        wanted = _folded(name)
        for profile in self:
            names = (profile.code, profile.edi3_free_trade_agreement, profile.name)
            if any(n and _folded(n) == wanted for n in (*names, *profile.aliases)):
                return profile
        return None


def _folded(text: str) -> str:
    return re.sub(r"[\s\-\u2010-\u2015]+", " ", text).strip().casefold()


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
        where = ".".join(str(p) for p in first["loc"]) or "(profile)"
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
