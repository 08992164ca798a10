"""The bundled agreement profiles: every one loads, and its facts match agreements.md."""

from __future__ import annotations

import re
from datetime import date
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


def years(n: int) -> Period:
    return Period(amount=n, unit=PeriodUnit.YEARS)


def months(n: int) -> Period:
    return Period(amount=n, unit=PeriodUnit.MONTHS)


def test_rcep_validity_criteria_and_fob_for_every_importer() -> None:
    p = profile("RCEP")
    validity = p.rules.validity
    assert validity is not None and validity.period == years(1) and validity.runs_from == "issue"
    criteria = p.rules.criteria
    assert criteria is not None
    assert [c.code for c in criteria.codes] == ["WO", "PE", "CTC", "RVC", "CR", "ACU", "DMI"]
    rvc = criteria.find("RVC")
    assert rvc is not None and rvc.value_based
    assert [c.code for c in criteria.codes if c.value_based] == ["RVC"]
    fob = p.rules.fob
    assert fob is not None and fob.importing_countries is None
    assert fob.required_for("JP") and fob.required_for("SG")


def test_rcep_verification_range_true_copy_guarantee_and_records() -> None:
    p = profile("RCEP")
    v = p.rules.verification
    assert v is not None
    assert v.reply_period_min == days(30) and v.reply_period == days(90)
    assert v.visit_consent_period == days(30) and v.determination_period == days(180)
    assert "90 to 180 days" in (v.note or "")
    copy = p.rules.true_copy
    assert copy is not None and copy.allowed and copy.window == years(1)
    assert copy.marking == "CERTIFIED TRUE COPY"
    guarantee = p.rules.release_under_guarantee
    assert guarantee is not None and guarantee.allowed and "3.24.6" in guarantee.source
    assert p.rules.record_keeping is not None and p.rules.record_keeping.years == 3


def test_rcep_item_cap_stays_unset_with_the_national_tradenet_note() -> None:
    p = profile("RCEP")
    assert p.rules.item_cap is None
    reason = p.unset_reason("item_cap") or ""
    assert "50" in reason and "national" in reason
    assert p.flag_allowed("exhibition") is None and p.unset_reason("flags.exhibition")
    assert p.flag_allowed("back_to_back") is True
    assert p.flag_allowed("third_party_invoicing") is True


def test_atiga_issuance_retroactive_and_validity() -> None:
    p = profile("ATIGA")
    assert set(p.parties.countries) == ASEAN
    issuance = p.rules.issuance
    assert issuance is not None and issuance.window == days(0)
    assert "Rule 10.1" in issuance.source and "national" in (issuance.note or "")
    retro = p.rules.retroactive
    assert retro is not None and retro.ceiling == years(1)
    assert retro.marking == "Issued Retroactively"
    validity = p.rules.validity
    assert validity is not None and validity.period == months(12)


def test_atiga_criteria_pc_and_rvc_need_a_percentage() -> None:
    criteria = profile("ATIGA").rules.criteria
    assert criteria is not None
    assert [c.code for c in criteria.codes] == ["WO", "RVC", "CC", "CTH", "CTSH", "SP", "PC"]
    needing = {c.code for c in criteria.codes if c.percent_required}
    assert needing == {"RVC", "PC"}
    assert {c.code for c in criteria.codes if c.value_based} == {"RVC", "PC"}


def test_atiga_fob_only_for_cambodia_indonesia_laos() -> None:
    fob = profile("ATIGA").rules.fob
    assert fob is not None and fob.importing_countries == ("KH", "ID", "LA")
    assert fob.required_for("KH") and fob.required_for("ID") and fob.required_for("LA")
    assert not fob.required_for("SG") and not fob.required_for("VN")


def test_atiga_verification_true_copy_and_every_box13_flag() -> None:
    p = profile("ATIGA")
    v = p.rules.verification
    assert v is not None
    assert v.reply_period == days(90) and v.reply_period_min is None
    assert v.determination_period == days(180) and v.visit_consent_period == days(30)
    copy = p.rules.true_copy
    assert copy is not None and copy.window == years(1) and "Rule 12" in copy.source
    guarantee = p.rules.release_under_guarantee
    assert guarantee is not None and guarantee.allowed and "Rule 18(c)" in guarantee.source
    assert all(p.flag_allowed(flag) is True for flag in PROFILE_FLAGS)
    assert p.rules.item_cap is None and "50" in (p.unset_reason("item_cap") or "")


def test_acfta_three_days_from_a_secondary_source() -> None:
    p = profile("ACFTA")
    assert set(p.parties.countries) == ASEAN | {"CN"}
    issuance = p.rules.issuance
    assert issuance is not None and issuance.window == days(3)
    assert "Secondary" in (issuance.note or "") and "12/2019" in issuance.source
    retro = p.rules.retroactive
    assert retro is not None and retro.marking == "ISSUED RETROACTIVELY" and retro.ceiling is None
    assert p.unset_reason("retroactive.ceiling")


def test_acfta_criteria_unset_validity_and_records() -> None:
    p = profile("ACFTA")
    criteria = p.rules.criteria
    assert criteria is not None
    assert [c.code for c in criteria.codes] == ["WO", "PE", "RVC", "CTH", "PSR"]
    assert p.rules.validity is None and "superseded" in (p.unset_reason("validity") or "")
    assert p.validity_end(issued=date(2025, 1, 1), shipped=None, retroactive=False) is None
    assert p.rules.fob is None and p.rules.verification is None and p.rules.true_copy is None
    assert p.rules.record_keeping is not None and p.rules.record_keeping.years == 3
    assert p.flag_allowed("back_to_back") is True and p.flag_allowed("exhibition") is True


def test_akfta_three_working_days_and_twelve_months() -> None:
    p = profile("AKFTA")
    assert set(p.parties.countries) == ASEAN | {"KR"}
    issuance = p.rules.issuance
    assert issuance is not None
    assert issuance.window == Period(amount=3, unit=PeriodUnit.WORKING_DAYS)
    validity = p.rules.validity
    assert validity is not None and validity.period == months(12)
    retro = p.rules.retroactive
    assert retro is not None and retro.allowed and retro.ceiling is None
    assert p.unset_reason("retroactive.ceiling")


def test_akfta_criteria_fob_verification_and_flags() -> None:
    p = profile("AKFTA")
    criteria = p.rules.criteria
    assert criteria is not None
    codes = [c.code for c in criteria.codes]
    assert codes == ["WO", "WO-AK", "CTH", "CTC", "CC", "CTSH", "RVC", "SP"]
    assert {c.code for c in criteria.codes if c.value_based} == {"RVC"}
    fob = p.rules.fob
    assert fob is not None and fob.required_for("KR") and fob.required_for("TH")
    v = p.rules.verification
    assert v is not None and v.reply_period == months(2)
    assert p.rules.record_keeping is not None and p.rules.record_keeping.years == 3
    assert p.flag_allowed("third_party_invoicing") is True
    assert p.flag_allowed("certified_true_copy") is None


def test_ckfta_seven_working_days_one_year_ceiling_and_twenty_items() -> None:
    p = profile("CKFTA")
    assert p.parties.countries == ("CN", "KR")
    issuance = p.rules.issuance
    assert issuance is not None
    assert issuance.window == Period(amount=7, unit=PeriodUnit.WORKING_DAYS)
    retro = p.rules.retroactive
    assert retro is not None and retro.ceiling == years(1)
    assert retro.marking == "ISSUED RETROACTIVELY"
    assert p.rules.item_cap is not None and p.rules.item_cap.max_items == 20
    validity = p.rules.validity
    assert validity is not None and validity.period == years(1)


def test_ckfta_true_copy_without_window_and_criteria_unset() -> None:
    p = profile("CKFTA")
    copy = p.rules.true_copy
    assert copy is not None and copy.allowed and copy.window is None
    assert p.unset_reason("true_copy.window")
    assert p.rules.criteria is None and "not found" in (p.unset_reason("criteria") or "")
    assert p.rules.fob is None and p.rules.verification is None
    assert p.rules.record_keeping is None


def test_chafta_validity_from_issue_or_from_shipment_when_retrospective() -> None:
    p = profile("CHAFTA")
    assert p.parties.countries == ("AU", "CN")
    validity = p.rules.validity
    assert validity is not None and validity.period == months(12)
    assert validity.runs_from == "issue" and validity.retroactive_runs_from == "shipment"
    issued, shipped = date(2025, 5, 10), date(2025, 3, 1)
    assert p.validity_end(issued=issued, shipped=shipped, retroactive=False) == date(2026, 5, 10)
    assert p.validity_end(issued=issued, shipped=shipped, retroactive=True) == date(2026, 3, 1)


def test_chafta_criteria_no_fob_twenty_items_and_edi3_name() -> None:
    p = profile("CHAFTA")
    criteria = p.rules.criteria
    assert criteria is not None and [c.code for c in criteria.codes] == ["WO", "WP", "PSR"]
    fob = p.rules.fob
    assert fob is not None and not fob.required_for_value_criteria and not fob.required_for("CN")
    assert p.rules.item_cap is not None and p.rules.item_cap.max_items == 20
    assert p.edi3_free_trade_agreement == "CHAFTA"
    assert p.rules.issuance is None and p.unset_reason("issuance")


def test_uk_al_four_months_no_ceiling_and_retrospective_marking() -> None:
    p = profile("UK-AL")
    assert p.parties.countries == ("GB", "AL")
    validity = p.rules.validity
    assert validity is not None and validity.period == months(4)
    retro = p.rules.retroactive
    assert retro is not None and retro.ceiling == "none"
    assert retro.marking == "ISSUED RETROSPECTIVELY"
    assert p.validity_end(issued=date(2025, 10, 31), shipped=None, retroactive=False) == date(
        2026, 2, 28
    )


def test_uk_al_no_criterion_box_ten_month_verification_duplicate_and_guarantee() -> None:
    p = profile("UK-AL")
    criteria = p.rules.criteria
    assert criteria is not None and not criteria.used and criteria.codes == ()
    v = p.rules.verification
    assert v is not None and v.reply_period == months(10)
    assert "refused" in (v.no_reply_consequence or "")
    copy = p.rules.true_copy
    assert copy is not None and copy.marking == "DUPLICATE"
    guarantee = p.rules.release_under_guarantee
    assert guarantee is not None and guarantee.allowed and "Art 32" in guarantee.source
    assert p.rules.record_keeping is not None and p.rules.record_keeping.years == 3
    assert p.form_codes == ("EUR1", "EUR_MED")


def test_mercosur_180_days_from_invoice_and_aladi_names() -> None:
    p = profile("MERCOSUR")
    assert p.parties.countries == ("AR", "BR", "PY", "UY")
    issuance = p.rules.issuance
    assert issuance is not None and issuance.window == days(180) and issuance.anchor == "invoice"
    assert "secondary" in (issuance.note or "")
    assert p.aladi_acronym == "A18" and p.aladi_form == "FormA18"
    assert p.fob_currency == "USD" and "confirmed" in p.notes["fob_currency"]


def test_mercosur_criteria_records_timezones_and_unset_rules() -> None:
    p = profile("MERCOSUR")
    criteria = p.rules.criteria
    assert criteria is not None and [c.code for c in criteria.codes] == ["A", "B", "C"]
    assert p.rules.record_keeping is not None and p.rules.record_keeping.years == 5
    validity = p.rules.validity
    assert validity is not None and validity.period == months(12)
    zone = p.timezone("AR")
    assert zone is not None and zone.key == "America/Argentina/Buenos_Aires"
    assert set(p.timezones) == {"AR", "BR", "PY", "UY"}
    assert p.rules.retroactive is None and p.rules.verification is None
    assert all(p.flag_allowed(flag) is None for flag in PROFILE_FLAGS)


@pytest.mark.parametrize(
    ("code", "guarantee"),
    [("RCEP", True), ("ATIGA", True), ("UK-AL", True), ("ACFTA", None), ("AKFTA", None)],
)
def test_release_under_guarantee_only_where_cited(code: str, guarantee: bool | None) -> None:
    rule = profile(code).rules.release_under_guarantee
    assert (rule.allowed if rule is not None else None) is guarantee
