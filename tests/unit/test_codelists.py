"""Code lists: countries, currencies and minor units, HS 2022, Rec 20 units, Rec 21 packages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from originlink.domain.codelists import (
    convert,
    country_name,
    hs2022,
    hs_subheading_exists,
    is_country,
    is_currency,
    is_package_type,
    is_unit,
    minor_unit,
    package_types,
    transport_modes,
    unit_kind,
    units,
)

KINDS = {"mass", "volume", "length", "area", "count", "energy", "time", "other"}
BASES = {
    "mass": "KGM",
    "volume": "MTQ",
    "length": "MTR",
    "area": "MTK",
    "count": "C62",
    "energy": "JOU",
    "time": "SEC",
}


def test_countries_valid_invalid_and_user_assigned() -> None:
    assert is_country("SG") and is_country("JP") and is_country("AL") and is_country("GB")
    assert country_name("SG") == "Singapore"
    assert not is_country("UK") and not is_country("ZZ") and not is_country("sg")
    assert not is_country("XK")  # user-assigned (Kosovo): only where a profile lists it


def test_currencies_and_minor_units() -> None:
    assert is_currency("USD") and is_currency("JPY") and is_currency("KWD")
    assert not is_currency("XYZ") and not is_currency("usd")
    assert minor_unit("JPY") == 0
    assert minor_unit("KRW") == 0
    assert minor_unit("KWD") == 3
    assert minor_unit("BHD") == 3
    assert minor_unit("USD") == 2
    assert minor_unit("EUR") == 2
    assert minor_unit("CLF") == 4
    assert minor_unit("XAU") is None  # gold: ISO 4217 gives no minor unit
    assert minor_unit("XYZ") is None  # not a currency at all


def test_hs2022_subheadings() -> None:
    assert hs_subheading_exists("848210") is True
    assert hs_subheading_exists("010121") is True
    assert hs_subheading_exists("999999") is False  # a UN Comtrade reporting code, not HS
    assert hs_subheading_exists("848260") is False
    assert hs_subheading_exists("8482") is False  # a heading is not a subheading
    assert hs_subheading_exists("84") is False
    assert hs_subheading_exists("848210", "HS2017") is None  # table not loaded
    assert hs2022()["8482"].level == 4 and hs2022()["84"].level == 2
    assert "99" not in hs2022() and "9999" not in hs2022()


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        ("1500", "GRM", "KGM", "1.5"),
        ("2", "TNE", "KGM", "2000"),
        ("250", "KGM", "TNE", "0.25"),
        ("5", "LTR", "MTQ", "0.005"),
        ("2", "DZN", "C62", "24"),
        ("3", "GRO", "H87", "432"),
        ("10", "H87", "NAR", "10"),
        ("1", "LBR", "KGM", "0.45359237"),
        ("1", "GLL", "LTR", "3.785411784"),
        ("1", "KWH", "MWH", "0.001"),
        ("1", "HUR", "SEC", "3600"),
        ("7", "KGM", "KGM", "7"),
    ],
)
def test_conversions(value: str, src: str, dst: str, expected: str) -> None:
    result = convert(Decimal(value), src, dst)
    assert result is not None and result == Decimal(expected)


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        ("KGM", "LTR"),  # mass is not volume
        ("PR", "C62"),  # a pair is not safely a count of pieces
        ("SET", "H87"),
        ("BLL", "LTR"),  # US barrel: ambiguous
        ("E4", "KGM"),  # gross kilogram: qualified mass
        ("LPA", "LTR"),  # litre of pure alcohol is not a volume of goods
        ("MON", "DAY"),
        ("XXX", "KGM"),  # unknown code
        ("XXX", "XXX"),  # unknown, even to itself
    ],
)
def test_conversions_refused(src: str, dst: str) -> None:
    assert convert(Decimal("1"), src, dst) is None


def test_unit_table_is_consistent() -> None:
    table = units()
    assert len(table) >= 100
    for unit in table.values():
        assert unit.kind in KINDS, unit
        assert (unit.factor is None) == (unit.base is None), unit
        if unit.base is not None:
            assert unit.base == BASES[unit.kind], unit
            base = table[unit.base]
            assert base.factor == 1 and base.kind == unit.kind
    for code in ("KGM", "GRM", "MGM", "TNE", "LBR", "ONZ", "STN", "LTN", "DTN", "CTM"):
        assert unit_kind(code) == "mass", code
    for code in ("LTR", "MLT", "MTQ", "CMQ", "DMQ", "HLT", "GLL", "GLI", "BLL"):
        assert unit_kind(code) == "volume", code
    for code in ("H87", "C62", "NAR", "DZN", "GRO", "SET", "PR", "NPR", "KT"):
        assert unit_kind(code) == "count", code
    assert unit_kind("KWH") == "energy" and unit_kind("MWH") == "energy"
    assert unit_kind("LPA") == "other" and unit_kind("NOPE") is None
    assert table["CTM"].name == "metric carat" and table["H87"].name == "piece"
    assert is_unit("KNS") and not is_unit("KNSX")


def test_package_types_include_bulk_and_common_packages() -> None:
    table = package_types()
    assert len(table) >= 100
    for code in (
        "VL",
        "VR",
        "VY",
        "VQ",
        "VO",
        "VS",
        "NE",
        "NF",
        "NG",
        "CT",
        "BX",
        "BG",
        "PK",
        "PX",
        "CR",
        "DR",
        "BA",
        "BL",
        "BN",
        "SA",
        "CN",
        "TK",
    ):
        assert is_package_type(code), code
    assert table["CT"] == "Carton" and table["NE"] == "Unpacked or unpackaged"
    assert table["BL"] == "Bale, compressed" and table["BN"] == "Bale, non-compressed"
    assert all(len(code) == 2 for code in table)
    assert not is_package_type("XX") and not is_package_type("CTN")


def test_transport_modes() -> None:
    modes = transport_modes()
    assert set(modes) == {str(n) for n in range(10)}


def test_data_files_name_their_source_and_revision() -> None:
    from originlink.reference import data_text

    rec20 = data_text("unece-rec20-units.csv")
    assert rec20.startswith("# UN/ECE Recommendation 20") and "SUBSET" in rec20
    assert "revision 12e" in rec20
    rec21 = data_text("unece-rec21-packages.csv")
    assert rec21.startswith("# UN/ECE Recommendation 21") and "revision 10e" in rec21


def test_hs_codes_are_suggested_from_a_code_prefix_or_words() -> None:
    from originlink.domain.codelists import hs_search

    assert [e.code for e in hs_search("8482.10")] == ["848210"]
    assert hs_search("8482.10")[0].description == "Ball bearings"
    by_words = hs_search("BALL bearings")
    assert by_words and by_words[0].code == "848210"
    assert all("ball" in e.description.lower() for e in by_words)
    assert len(hs_search("84", limit=5)) == 5
    assert all(e.level == 6 for e in hs_search("84", limit=5))
    assert hs_search("") == [] and hs_search("x") == []
    assert hs_search("zzzz unknown words") == []
