"""Agreement rules: DS-03 (item cap), DS-14 (parties), DS-20 (criterion), DS-21 (FOB), DS-22
(percentage), DS-25 (origin country), DS-29 (agreement and form)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from originlink.domain.errors import ConfigurationError
from originlink.domain.findings import Level
from tests.unit.validation_support import SRC, findings, make_profile, one, registry, run

C = "certificate"
ITEM0 = f"{C}.goods_items[0]"


def _item(co: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = co[C]["goods_items"][0]
    return item


def _non_preferential(co: dict[str, Any]) -> None:
    c = co[C]
    c["is_preferential"] = False
    c["form_code"] = "NON_PREFERENTIAL"
    del c["agreement"]


# --- DS-03 -------------------------------------------------------------------------------------


def test_ds03_no_more_items_than_the_cap(minimal_co: dict[str, Any]) -> None:
    first = _item(minimal_co)
    minimal_co[C]["goods_items"] = [
        {**copy.deepcopy(first), "sequence_number": n + 1} for n in range(21)
    ]
    finding = one(run(minimal_co), "DS-03", Level.SEVERE)
    assert finding.facts == {
        "items": 21,
        "max_items": 20,
        "source": "test fixture",
    }
    minimal_co[C]["goods_items"].pop()
    assert not findings(run(minimal_co), "DS-03")


def test_ds03_unset_cap_is_skipped(minimal_co: dict[str, Any]) -> None:
    profile = make_profile(unset={"item_cap": "not limited by the agreement text"})
    finding = one(run(minimal_co, profile=profile), "DS-03", Level.INFO)
    assert "not limited by the agreement text" in finding.message


# --- DS-14 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["exporting_country", "importing_country"])
def test_ds14_both_countries_are_parties(minimal_co: dict[str, Any], field: str) -> None:
    minimal_co[C][field] = "US"
    if field == "exporting_country":
        minimal_co[C]["issuing_country"] = "US"
    finding = one(run(minimal_co), "DS-14")
    assert finding.path == f"{C}.{field}"
    assert "not a party" in finding.message


def test_ds14_the_exporting_party_issues(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["issuing_country"] = "MY"
    assert one(run(minimal_co), "DS-14").path == f"{C}.issuing_country"


def test_ds14_back_to_back_is_issued_by_an_intermediate_party(
    minimal_co: dict[str, Any],
) -> None:
    c = minimal_co[C]
    c["flags"] = {"back_to_back": True}
    c["references"]["related_certificates"] = [
        {
            "relation": "back_to_back_of",
            "number": "TH-2025-1",
            "issue_date": "2025-02-20",
            "issuing_country": "TH",
        }
    ]
    c["exporting_country"] = "TH"
    assert not findings(run(minimal_co), "DS-14")
    c["issuing_country"] = "HK"
    c["parties"]["issuing_authority"]["address"]["country_code"] = "HK"
    assert one(run(minimal_co), "DS-14").path == f"{C}.issuing_country"


# --- DS-20 -------------------------------------------------------------------------------------


def test_ds20_every_item_states_a_criterion_of_the_agreement(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["origin_criterion"] = {"text": "see remarks"}
    finding = one(run(minimal_co), "DS-20", Level.SEVERE)
    assert finding.path == f"{ITEM0}.origin_criterion.code"
    assert finding.facts["allowed"] == ["WO", "CTC", "RVC"]


def test_ds20_unknown_criterion(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["origin_criterion"] = {"code": "PSR"}
    finding = one(run(minimal_co), "DS-20", Level.SEVERE)
    assert "'PSR' is not an origin criterion of RCEP" in finding.message


def test_ds20_criteria_unset_in_the_profile(minimal_co: dict[str, Any]) -> None:
    profile = make_profile(unset={"criteria": "codes not confirmed"})
    report = run(minimal_co, profile=profile)
    assert one(report, "DS-20", Level.INFO).facts["unset_rule"] == "criteria"
    assert not findings(report, "DS-21") and not findings(report, "DS-22")


def test_ds20_form_without_a_criterion_box(minimal_co: dict[str, Any]) -> None:
    profile = make_profile(rules={"criteria": {**SRC, "used": False}})
    assert one(run(minimal_co, profile=profile), "DS-20").level is Level.WARNING
    del _item(minimal_co)["origin_criterion"]
    assert not findings(run(minimal_co, profile=profile), "DS-20")


def test_ds20_a_non_preferential_co_states_no_criterion(minimal_co: dict[str, Any]) -> None:
    _non_preferential(minimal_co)
    assert one(run(minimal_co), "DS-20").level is Level.WARNING


# --- DS-21 and DS-22 ---------------------------------------------------------------------------


def test_ds21_value_criterion_without_fob(minimal_co: dict[str, Any]) -> None:
    del _item(minimal_co)["fob_value"]
    finding = one(run(minimal_co), "DS-21", Level.SEVERE)
    assert finding.path == f"{ITEM0}.fob_value"
    assert finding.facts["criterion"] == "RVC"


def test_ds21_fob_must_be_positive(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["fob_value"]["value"] = "0.00"
    assert one(run(minimal_co), "DS-21").path == f"{ITEM0}.fob_value.value"


def test_ds21_fob_required_only_for_some_importing_countries(
    minimal_co: dict[str, Any],
) -> None:
    fob = {**SRC, "required_for_value_criteria": True, "importing_countries": ["TH", "VN"]}
    profile = make_profile(rules={"fob": fob})
    finding = one(run(minimal_co, profile=profile), "DS-21")
    assert finding.level is Level.INFO and "accepted" in finding.message
    del _item(minimal_co)["fob_value"]
    assert not findings(run(minimal_co, profile=profile), "DS-21")
    minimal_co[C]["importing_country"] = "TH"
    minimal_co[C]["parties"]["importer"]["address"]["country_code"] = "TH"
    assert one(run(minimal_co, profile=profile), "DS-21").level is Level.SEVERE


def test_ds21_fob_on_a_non_value_criterion_is_accepted(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["origin_criterion"] = {"code": "WO"}
    assert one(run(minimal_co), "DS-21").level is Level.INFO


def test_ds21_fob_rule_unset(minimal_co: dict[str, Any]) -> None:
    profile = make_profile(unset={"fob": "not found"})
    assert one(run(minimal_co, profile=profile), "DS-21").level is Level.INFO
    _item(minimal_co)["origin_criterion"] = {"code": "WO"}
    assert not findings(run(minimal_co, profile=profile), "DS-21")


def test_ds22_percentage_for_a_criterion_that_needs_one(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["origin_criterion"] = {"code": "RVC"}
    finding = one(run(minimal_co), "DS-22", Level.SEVERE)
    assert finding.path == f"{ITEM0}.origin_criterion.value_content_percent"


def test_ds22_percentage_lies_in_0_to_100(minimal_co: dict[str, Any]) -> None:
    path = f"{ITEM0}.origin_criterion.value_content_percent"
    _item(minimal_co)["origin_criterion"]["value_content_percent"] = "100.5"
    assert one(run(minimal_co), "DS-22").path == path
    _item(minimal_co)["origin_criterion"]["value_content_percent"] = "40.125"  # format: DS-33
    assert one(run(minimal_co), "DS-33").path == path


# --- DS-25 -------------------------------------------------------------------------------------


def test_ds25_origin_in_a_non_party(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["origin_country"] = "DE"
    finding = one(run(minimal_co), "DS-25", Level.WARNING)
    assert "not a party" in finding.message


def test_ds25_origin_in_another_party_needs_accumulation(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["origin_country"] = "MY"
    assert one(run(minimal_co), "DS-25").level is Level.WARNING
    minimal_co[C]["flags"] = {"accumulation": True}
    assert not findings(run(minimal_co), "DS-25")


# --- DS-29 -------------------------------------------------------------------------------------


def test_ds29_a_preferential_co_names_its_agreement(minimal_co: dict[str, Any]) -> None:
    del minimal_co[C]["agreement"]
    report = run(minimal_co)
    assert one(report, "DS-29").path == f"{C}.agreement"
    assert report.agreement is None
    assert not findings(report, "DS-14")  # no profile, no agreement rules


def test_ds29_unknown_agreement(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["agreement"]["code"] = "TPP"
    finding = one(run(minimal_co), "DS-29")
    assert finding.path == f"{C}.agreement.code"
    assert finding.facts["known"] == ["RCEP"]


def test_ds29_non_preferential_co_names_no_agreement(minimal_co: dict[str, Any]) -> None:
    _non_preferential(minimal_co)
    del _item(minimal_co)["origin_criterion"]
    assert run(minimal_co).ok
    minimal_co[C]["agreement"] = {"code": "RCEP"}
    assert one(run(minimal_co), "DS-29").path == f"{C}.agreement"


def test_ds29_form_of_the_agreement(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["form_code"] = "FORM_D"
    finding = one(run(minimal_co), "DS-29")
    assert (finding.path, finding.facts["form_codes"]) == (f"{C}.form_code", ["FORM_RCEP"])


def test_ds29_checking_against_another_agreement_is_said(minimal_co: dict[str, Any]) -> None:
    profiles = registry(make_profile("RCEP"), make_profile("ATIGA"))
    report = run(minimal_co, profiles=profiles, agreement="ATIGA")
    assert report.agreement is not None and report.agreement.code == "ATIGA"
    assert one(report, "DS-29", Level.WARNING).facts["checked_against"] == "ATIGA"
    assert one(report, "DS-29", Level.SEVERE).path == f"{C}.form_code"


def test_ds29_override_with_an_unknown_code_names_the_known_ones(
    minimal_co: dict[str, Any],
) -> None:
    with pytest.raises(ConfigurationError, match="known agreements: RCEP"):
        run(minimal_co, agreement="XYZ")
