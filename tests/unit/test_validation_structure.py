"""The structural pass: null members, pydantic errors mapped to stable codes and plain sentences."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from originlink.domain.findings import Level
from originlink.domain.validation.structure import (
    MAX_STRUCTURAL_FINDINGS,
    ROOT_PATH,
    find_nulls,
)
from tests.unit.validation_support import findings, one, run


def test_the_appendix_example_is_valid(minimal_co: dict[str, Any]) -> None:
    report = run(minimal_co)
    assert report.ok and report.readable
    assert report.document is not None
    assert not [f for f in report.findings if f.level is not Level.INFO]


def test_null_on_an_optional_member_is_reported_and_rules_still_run(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["title"] = None
    report = run(minimal_co)
    finding = one(report, "SCHEMA-NULL")
    assert (finding.level, finding.path) == (Level.SEVERE, "certificate.title")
    assert "leave out" in finding.message
    assert report.document is not None
    assert findings(report, "DS-07")  # the rule pass ran


def test_null_on_a_required_member_is_reported_once_and_rules_are_skipped(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["goods_items"][0]["hs_code"] = None
    report = run(minimal_co)
    assert [f.path for f in report.findings if f.level is Level.SEVERE] == [
        "certificate.goods_items[0].hs_code"
    ]
    assert report.document is None
    skipped = one(report, "SCHEMA-RULES-SKIPPED", Level.INFO)
    assert "not checked" in skipped.message
    assert report.agreement is not None and report.agreement.code == "RCEP"


def test_null_inside_extensions_is_agreement_data_not_a_dataset_error(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["extensions"] = {"RCEP": {"marker": None}}
    assert not findings(run(minimal_co), "SCHEMA-NULL")


def test_unknown_member_is_ds34_with_its_path_and_name(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["goods_items"][0]["colour"] = "red"
    finding = one(run(minimal_co), "DS-34")
    assert finding.path == "certificate.goods_items[0].colour"
    assert "'colour' is not a member" in finding.message


def test_missing_member_is_schema_required(minimal_co: dict[str, Any]) -> None:
    del minimal_co["certificate"]["goods_items"][0]["description"]
    finding = one(run(minimal_co), "SCHEMA-REQUIRED")
    assert finding.path == "certificate.goods_items[0].description"
    assert finding.message == "The mandatory member 'description' is missing."


def test_empty_array_is_schema_empty(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["remarks"] = []
    finding = one(run(minimal_co), "SCHEMA-EMPTY")
    assert finding.path == "certificate.remarks"
    assert "omit the member" in finding.message


def test_empty_signature_value_is_schema_empty(minimal_co: dict[str, Any]) -> None:
    minimal_co["signatures"]["issuing_authority"]["value"] = ""
    assert one(run(minimal_co), "SCHEMA-EMPTY").path == "signatures.issuing_authority.value"


def test_too_many_address_lines_is_ds31(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["parties"]["exporter"]["address"]["lines"] = ["a"] * 5
    finding = one(run(minimal_co), "DS-31")
    assert finding.path == "certificate.parties.exporter.address.lines"
    assert "at most 4 elements" in finding.message


def test_value_outside_a_closed_list_is_schema_value_naming_the_choices(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["status"] = "APPROVED"
    finding = one(run(minimal_co), "SCHEMA-VALUE")
    assert finding.path == "certificate.status"
    assert "'APPROVED' is not an allowed value" in finding.message
    assert "'ISSUED'" in finding.message


def test_transport_mode_must_be_a_rec19_code(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["transport"]["mode_code"] = "12"
    assert one(run(minimal_co), "SCHEMA-VALUE").path == "certificate.transport.mode_code"


def test_unknown_hs_edition_is_ds19(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["goods_items"][0]["hs_edition"] = "HS1996"
    assert one(run(minimal_co), "DS-19").path == "certificate.goods_items[0].hs_edition"


@pytest.mark.parametrize(
    ("where", "value", "code"),
    [
        (("goods_items", 0, "quantity", "value"), 1200, "DS-33"),
        (("version",), "1", "DS-33"),
        (("exporting_country",), "sg", "DS-12"),
        (("certificate_number",), "RCEP SG 1", "DS-06"),
        (("parties", "exporter", "name"), "Cafe\u0301", "DS-31"),
        (("goods_items", 0, "fob_value", "currency_code"), "usd", "DS-24"),
        (("goods_items", 0, "hs_code"), "84x210", "DS-17"),
    ],
)
def test_dataset_types_report_their_own_codes(
    minimal_co: dict[str, Any], where: tuple[Any, ...], value: Any, code: str
) -> None:
    node = minimal_co["certificate"]
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    report = run(minimal_co)
    finding = one(report, code, Level.SEVERE)
    assert finding.path == "certificate." + ".".join(
        f"[{k}]" if isinstance(k, int) else k for k in where
    ).replace(".[", "[")
    assert report.readable


def test_wrong_json_type_of_a_group_makes_the_input_unreadable(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["goods_items"] = "ball bearings"
    report = run(minimal_co)
    finding = one(report, "SCHEMA-TYPE")
    assert finding.path == "certificate.goods_items"
    assert finding.message == "Expected a JSON array, found a string."
    assert not report.readable and not report.ok


def test_a_name_given_as_a_number_is_a_type_error(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["parties"]["exporter"]["name"] = 42
    finding = one(run(minimal_co), "SCHEMA-TYPE")
    assert finding.path == "certificate.parties.exporter.name"


@pytest.mark.parametrize("data", [[], "text", 3, True])
def test_a_document_that_is_not_an_object_is_unreadable(data: Any) -> None:
    report = run(data)  # type: ignore[arg-type]
    finding = one(report, "SCHEMA-TYPE")
    assert finding.path == ROOT_PATH
    assert "JSON object" in finding.message
    assert report.document is None and not report.readable


def test_sentences_are_not_pydantic_wording(minimal_co: dict[str, Any]) -> None:
    certificate = minimal_co["certificate"]
    certificate["goods_items"][0]["colour"] = "red"
    certificate["status"] = "APPROVED"
    del certificate["form_code"]
    certificate["parties"] = []
    for finding in run(minimal_co).findings:
        assert "Input should" not in finding.message
        assert "pydantic" not in finding.message.lower()
        assert finding.message[0].isupper() or finding.message[0] in "'\"0123456789"


def test_a_flood_of_errors_is_listed_up_to_a_bound(minimal_co: dict[str, Any]) -> None:
    item = minimal_co["certificate"]["goods_items"][0]
    minimal_co["certificate"]["goods_items"] = [
        {**item, "sequence_number": n + 1, f"x{n}": 1} for n in range(500)
    ]
    report = run(minimal_co)
    assert len(findings(report, "DS-34")) == MAX_STRUCTURAL_FINDINGS
    truncated = one(report, "SCHEMA-TRUNCATED", Level.INFO)
    assert truncated.facts == {"total": 500, "shown": MAX_STRUCTURAL_FINDINGS}


def _nulls_reference(value: Any, loc: tuple[str | int, ...] = ()) -> set[tuple[str | int, ...]]:
    """Every null's location, by plain recursion (what find_nulls must find without it)."""
    if loc[:2] == ("certificate", "extensions"):
        return set()
    found: set[tuple[str | int, ...]] = set()
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        if child is None:
            found.add((*loc, key))
        elif isinstance(child, dict | list):
            found |= _nulls_reference(child, (*loc, key))
    return found


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["certificate", "extensions", "a", "b"]), children, max_size=3
        )
    ),
    max_leaves=30,
)


@given(st.dictionaries(st.sampled_from(["certificate", "signatures", "x"]), _JSON, max_size=3))
def test_find_nulls_finds_every_null_outside_extensions(data: dict[str, Any]) -> None:
    assert set(find_nulls(data)) == _nulls_reference(data)
    assert list(find_nulls("scalar")) == []
