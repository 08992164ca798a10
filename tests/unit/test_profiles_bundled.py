"""The bundled agreement profiles: every one loads, and its facts match agreements.md."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest

from originlink.domain.codelists import is_country
from originlink.domain.periods import Period, PeriodUnit
from originlink.domain.profiles import (
    CERTIFICATE_NUMBER_RE,
    PROFILE_FLAGS,
    RULE_NAMES,
    AgreementProfile,
    bundled_profiles,
)

ALL_CODES = ["ACFTA", "AKFTA", "ATIGA", "CHAFTA", "CKFTA", "MERCOSUR", "RCEP", "UK-AL"]
ASEAN = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}


def profile(code: str) -> AgreementProfile:
    return bundled_profiles().require(code)


def days(n: int) -> Period:
    return Period(amount=n, unit=PeriodUnit.DAYS)


def test_every_bundled_profile_loads() -> None:
    assert bundled_profiles().codes() == ALL_CODES


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_rule_and_flag_is_set_with_a_source_or_unset_with_a_reason(code: str) -> None:
    p = profile(code)
    for name in RULE_NAMES:
        rule = getattr(p.rules, name)
        if rule is None:
            assert p.unset_reason(name), name
        else:
            assert rule.source.strip(), name
    for flag in PROFILE_FLAGS:
        if flag in p.rules.flags:
            assert p.rules.flags[flag].source.strip()
        else:
            assert p.unset_reason(f"flags.{flag}"), flag


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_bundled_pattern_yields_a_valid_certificate_number(code: str) -> None:
    p = profile(code)
    for country in p.parties.countries:
        for sequence in (1, 42, 999_999):
            number = p.format_number(country=country, year=2025, sequence=sequence)
            assert CERTIFICATE_NUMBER_RE.match(number), number
            assert re.match(r"^[A-Za-z0-9/.\-]{1,35}$", number)


@pytest.mark.parametrize("code", ALL_CODES)
def test_parties_are_assigned_iso_codes_and_timezones_resolve(code: str) -> None:
    p = profile(code)
    assert all(is_country(c) for c in p.parties.countries)
    for country in p.timezones:
        assert isinstance(p.timezone(country), ZoneInfo)


def test_rcep_parties_issuance_and_retroactive_ceiling() -> None:
    p = profile("RCEP")
    assert len(p.parties.countries) == 15
    assert ASEAN | {"AU", "CN", "JP", "KR", "NZ"} == set(p.parties.countries)
    issuance = p.rules.issuance
    assert issuance is not None and issuance.window == days(0) and issuance.anchor == "shipment"
    retro = p.rules.retroactive
    assert retro is not None and retro.allowed
    assert retro.ceiling == Period(amount=1, unit=PeriodUnit.YEARS)
    assert retro.marking == "ISSUED RETROACTIVELY"
    assert "Art 3.17.8" in retro.source
