"""The dataset's field types: one JSON shape in, the same shape out, precise error codes."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from originlink.domain.dataset import CODocument
from originlink.domain.dataset.types import decimal_places, significant_digits, written_digits


def errors_of(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    with pytest.raises(ValidationError) as info:
        CODocument.model_validate(data)
    return [(e["type"], tuple(e["loc"])) for e in info.value.errors()]


def test_appendix_example_round_trips_byte_for_byte(minimal_co: dict[str, Any]) -> None:
    doc = CODocument.model_validate(minimal_co)
    assert doc.to_json_dict() == minimal_co


def test_decimals_are_decimal_and_keep_trailing_zeros(minimal_co: dict[str, Any]) -> None:
    doc = CODocument.model_validate(minimal_co)
    item = doc.certificate.goods_items[0]
    assert item.fob_value is not None
    assert item.fob_value.value == Decimal("18250.00")
    assert doc.to_json_dict()["certificate"]["goods_items"][0]["fob_value"]["value"] == "18250.00"


@pytest.mark.parametrize(
    ("value", "code"),
    [(12, "DS-33"), (12.5, "DS-33"), ("1e3", "DS-33"), ("1,5", "DS-33"), (True, "DS-33")],
)
def test_decimal_must_be_a_plain_string(minimal_co: dict[str, Any], value: Any, code: str) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["goods_items"][0]["quantity"]["value"] = value
    assert (code, ("certificate", "goods_items", 0, "quantity", "value")) in errors_of(data)


def test_unknown_member_is_refused_with_its_path(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["goods_items"][0]["colour"] = "red"
    assert ("extra_forbidden", ("certificate", "goods_items", 0, "colour")) in errors_of(data)


def test_control_characters_and_non_nfc_text_are_ds31(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["parties"]["exporter"]["name"] = "Tab\there"
    data["certificate"]["parties"]["importer"]["name"] = "Cafe\u0301"
    found = errors_of(data)
    assert ("DS-31", ("certificate", "parties", "exporter", "name")) in found
    assert ("DS-31", ("certificate", "parties", "importer", "name")) in found


def test_date_time_needs_an_offset(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["issue_datetime"] = "2025-03-04T09:15:00"
    assert ("SCHEMA-VALUE", ("certificate", "issue_datetime")) in errors_of(data)


def test_utc_date_times_serialise_with_z(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["issue_datetime"] = "2025-03-04T01:15:00.250+00:00"
    out = CODocument.model_validate(data).to_json_dict()
    assert out["certificate"]["issue_datetime"] == "2025-03-04T01:15:00.250Z"


def test_integers_are_json_integers(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["version"] = "1"
    data["certificate"]["goods_items"][0]["packages"]["count"] = True
    found = errors_of(data)
    assert ("DS-33", ("certificate", "version")) in found
    assert ("DS-33", ("certificate", "goods_items", 0, "packages", "count")) in found


@given(st.from_regex(r"-?[0-9]{1,22}(\.[0-9]{1,9})?", fullmatch=True))
def test_digits_read_off_the_text_are_those_decimal_holds(text: str) -> None:
    """The validator counts a written decimal's significant digits and places on the string;
    they must be exactly what the parsed :class:`Decimal` holds (leading zeros, ``-0``,
    ``0.000``, trailing zeros kept)."""
    parsed = Decimal(text)
    assert written_digits(text) == (significant_digits(parsed), decimal_places(parsed))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1234567890123456.5", "more than 16 significant digits"),
        ("00000000000000001.1234567", "more than 6 decimal places"),
        ("-0.0000001", "more than 6 decimal places"),
    ],
)
def test_measure_limits_apply_to_written_decimals(
    minimal_co: dict[str, Any], value: str, message: str
) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["goods_items"][0]["quantity"]["value"] = value
    with pytest.raises(ValidationError) as info:
        CODocument.model_validate(data)
    errors = info.value.errors()
    assert [(e["type"], e["msg"]) for e in errors] == [("DS-33", message)]


def test_measure_limits_count_significant_digits_not_leading_zeros(
    minimal_co: dict[str, Any],
) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["goods_items"][0]["quantity"]["value"] = (
        "0000000000000000001234567890123456"
    )
    doc = CODocument.model_validate(data)
    assert doc.certificate.goods_items[0].quantity is not None
