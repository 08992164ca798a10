"""Goods rules and the code lists behind them: DS-01, DS-02, DS-17, DS-18, DS-19 (HS 2022),
DS-23 (Rec 20 units), DS-24 (ISO 4217 currencies and minor units), DS-27 (Rec 21 packages)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from originlink.domain.findings import Level
from tests.unit.validation_support import findings, one, registry, run

ITEM0 = "certificate.goods_items[0]"


def _item(co: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = co["certificate"]["goods_items"][0]
    return item


def _items(co: dict[str, Any], count: int) -> None:
    first = _item(co)
    co["certificate"]["goods_items"] = [
        {**copy.deepcopy(first), "sequence_number": n + 1} for n in range(count)
    ]


def test_ds01_at_least_one_goods_item(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["goods_items"] = []
    finding = one(run(minimal_co), "DS-01", Level.SEVERE)
    assert finding.path == "certificate.goods_items"


def test_ds02_items_are_numbered_one_to_n_in_order(minimal_co: dict[str, Any]) -> None:
    _items(minimal_co, 3)
    minimal_co["certificate"]["goods_items"][1]["sequence_number"] = 3
    report = run(minimal_co)
    assert [f.path for f in findings(report, "DS-02")] == [
        "certificate.goods_items[1].sequence_number"
    ]
    assert findings(report, "DS-02")[0].facts == {"expected": 2, "found": 3}


def test_ds02_first_item_must_be_number_one(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["sequence_number"] = 2
    assert one(run(minimal_co), "DS-02").facts == {"expected": 1, "found": 2}


@pytest.mark.parametrize("code", ["84821", "8482100000001"])
def test_ds17_hs_code_has_6_to_12_digits(minimal_co: dict[str, Any], code: str) -> None:
    _item(minimal_co)["hs_code"] = code
    report = run(minimal_co)
    finding = one(report, "DS-17", Level.SEVERE)
    assert finding.path == f"{ITEM0}.hs_code"
    assert not findings(report, "DS-18")


def test_ds17_dotted_code_is_normalised_and_said_so(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["hs_code"] = "8482.10"
    report = run(minimal_co)
    finding = one(report, "DS-17", Level.INFO)
    assert finding.facts == {"normalised": "848210"}
    assert report.ok


def test_ds18_subheading_must_exist_in_hs2022(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["hs_code"] = "848219"  # heading 8482 exists, 848219 does not
    finding = one(run(minimal_co), "DS-18", Level.SEVERE)
    assert "848219 is not a subheading of the HS2022" in finding.message
    assert "heading 8482 exists" in finding.message


@pytest.mark.parametrize("code", ["970900", "999999"])
def test_ds18_unknown_heading_is_said_so(minimal_co: dict[str, Any], code: str) -> None:
    _item(minimal_co)["hs_code"] = code  # 9709 is no heading; 99 is Comtrade's, not the WCO's
    assert "does not exist either" in one(run(minimal_co), "DS-18").message


def test_ds18_edition_not_loaded_is_a_warning(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["hs_edition"] = "HS2017"
    _item(minimal_co)["hs_code"] = "999999"
    finding = one(run(minimal_co), "DS-18")
    assert finding.level is Level.WARNING and "not loaded" in finding.message


def test_ds18_national_digits_are_not_checked_and_said_so(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["hs_code"] = "84821000"
    _item(minimal_co)["hs_extension_scheme"] = "AHTN"
    finding = one(run(minimal_co), "DS-18", Level.INFO)
    assert "(00)" in finding.message and "AHTN" in finding.message


def test_ds18_uses_the_profile_edition_when_the_item_has_none(
    minimal_co: dict[str, Any],
) -> None:
    from tests.unit.validation_support import make_profile

    del _item(minimal_co)["hs_edition"]
    report = run(minimal_co, profile=make_profile(hs_edition="HS2017"))
    assert one(report, "DS-18").facts["edition"] == "HS2017"
    assert not findings(report, "DS-19")


def test_ds19_no_edition_and_no_profile_assumes_hs2022(minimal_co: dict[str, Any]) -> None:
    c = minimal_co["certificate"]
    c["is_preferential"] = False
    del c["agreement"]
    del _item(minimal_co)["hs_edition"]
    del _item(minimal_co)["origin_criterion"]
    report = run(minimal_co)
    assert "HS 2022 is assumed" in one(report, "DS-19", Level.INFO).message
    assert report.ok


def test_ds23_an_item_needs_a_quantity_or_a_weight(minimal_co: dict[str, Any]) -> None:
    for name in ("quantity", "gross_weight"):
        del _item(minimal_co)[name]
    assert one(run(minimal_co), "DS-23", Level.SEVERE).path == ITEM0


@pytest.mark.parametrize(
    ("name", "measure", "path_end"),
    [
        ("quantity", {"value": "0", "unit_code": "H87"}, "quantity.value"),
        ("gross_weight", {"value": "-1.5", "unit_code": "KGM"}, "gross_weight.value"),
        ("quantity", {"value": "5", "unit_code": "QQQ"}, "quantity.unit_code"),
        ("gross_weight", {"value": "5", "unit_code": "LTR"}, "gross_weight.unit_code"),
        ("net_weight", {"value": "5", "unit_code": "H87"}, "net_weight.unit_code"),
    ],
)
def test_ds23_values_are_positive_in_rec20_units_of_the_right_kind(
    minimal_co: dict[str, Any], name: str, measure: dict[str, str], path_end: str
) -> None:
    _item(minimal_co)[name] = measure
    finding = one(run(minimal_co), "DS-23", Level.SEVERE)
    assert finding.path == f"{ITEM0}.{path_end}"


def test_ds23_a_weight_in_a_volume_unit_names_the_kinds(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["gross_weight"] = {"value": "5", "unit_code": "LTR"}
    finding = one(run(minimal_co), "DS-23")
    assert finding.facts == {"unit_code": "LTR", "unit_kind": "volume", "expected_kind": "mass"}


def test_ds23_transport_package_volume_needs_a_volume_unit(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["transport"]["packages"] = [
        {"package_id": "C1", "gross_volume": {"value": "33", "unit_code": "KGM"}},
        {"package_id": "C2", "gross_volume": {"value": "33", "unit_code": "MTQ"}},
    ]
    finding = one(run(minimal_co), "DS-23")
    assert finding.path == "certificate.transport.packages[0].gross_volume.unit_code"


def test_ds23_net_weight_above_gross_is_a_warning_across_units(
    minimal_co: dict[str, Any],
) -> None:
    _item(minimal_co)["net_weight"] = {"value": "350600", "unit_code": "GRM"}  # 350.6 kg
    finding = one(run(minimal_co), "DS-23", Level.WARNING)
    assert finding.path == f"{ITEM0}.net_weight"
    _item(minimal_co)["net_weight"] = {"value": "350400", "unit_code": "GRM"}
    assert not findings(run(minimal_co), "DS-23")


@pytest.mark.parametrize(
    ("amount", "path_end", "fact"),
    [
        ({"value": "10.00", "currency_code": "ABC"}, "currency_code", "currency_code"),
        ({"value": "-10.00", "currency_code": "USD"}, "value", None),
        ({"value": "1000.5", "currency_code": "JPY"}, "value", "minor_unit"),
        ({"value": "10.125", "currency_code": "USD"}, "value", "minor_unit"),
    ],
)
def test_ds24_currencies_and_their_minor_units(
    minimal_co: dict[str, Any], amount: dict[str, str], path_end: str, fact: str | None
) -> None:
    _item(minimal_co)["fob_value"] = amount
    finding = one(run(minimal_co), "DS-24", Level.SEVERE)
    assert finding.path == f"{ITEM0}.fob_value.{path_end}"
    if fact:
        assert fact in finding.facts


@pytest.mark.parametrize(
    "amount",
    [
        {"value": "1000", "currency_code": "JPY"},
        {"value": "10.125", "currency_code": "KWD"},
        {"value": "10.12", "currency_code": "EUR"},
        {"value": "1.123456", "currency_code": "XAU"},
    ],
)
def test_ds24_accepts_amounts_within_the_minor_unit(
    minimal_co: dict[str, Any], amount: dict[str, str]
) -> None:
    _item(minimal_co)["fob_value"] = amount
    assert not findings(run(minimal_co), "DS-24")


def test_ds27_package_type_is_rec21(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["packages"]["type_code"] = "Q9"
    finding = one(run(minimal_co), "DS-27", Level.SEVERE)
    assert finding.path == f"{ITEM0}.packages.type_code"
    for code in ("CT", "PK", "VR", "NE"):
        _item(minimal_co)["packages"]["type_code"] = code
        assert not findings(run(minimal_co), "DS-27"), code


def test_ds27_package_count_is_at_least_one(minimal_co: dict[str, Any]) -> None:
    _item(minimal_co)["packages"]["count"] = 0
    finding = one(run(minimal_co, profiles=registry()), "DS-27")
    assert finding.path == f"{ITEM0}.packages.count"
    _item(minimal_co)["packages"]["count"] = "10"  # a type error stays DS-33
    assert one(run(minimal_co), "DS-33").path == f"{ITEM0}.packages.count"
