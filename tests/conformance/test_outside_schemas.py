"""UBL output validates against the OASIS UBL 2.4 schemas and edi3 output against the edi3
JSON schema, for every example CO (and for random ones)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from originlink.domain.dataset import CODocument
from originlink.domain.profiles import bundled_profiles
from originlink.formats import to_format
from tests.conformance.conftest import example_files
from tests.format_strategies import co_documents

EXAMPLES = example_files()


def _doc(path: Path) -> CODocument:
    return CODocument.model_validate(json.loads(path.read_text("utf-8")))


def test_there_are_examples_to_check() -> None:
    assert EXAMPLES, "examples/valid holds no example CO"


@pytest.mark.slow
@pytest.mark.parametrize("extension", [True, False], ids=["with-extension", "without-extension"])
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_ubl_output_of_every_example_is_schema_valid(
    ubl_schema: Any, example: Path, extension: bool
) -> None:
    data = to_format(_doc(example), "ubl", profile=None, originlink_extension=extension).result
    errors = list(ubl_schema.iter_errors(data.decode("utf-8")))
    assert not errors, "\n".join(str(e)[:500] for e in errors[:3])


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_edi3_output_of_every_example_is_schema_valid(edi3_validator: Any, example: Path) -> None:
    doc = _doc(example)
    profile = bundled_profiles().get(doc.certificate.agreement_code or "")
    data = json.loads(to_format(doc, "uncefact", profile=profile).result)
    errors = sorted(edi3_validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@given(co_documents())
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_edi3_output_of_random_cos_is_schema_valid(
    edi3_validator: Any, data: dict[str, Any]
) -> None:
    doc = CODocument.model_validate(data)
    out = json.loads(to_format(doc, "uncefact", profile=None).result)
    errors = list(edi3_validator.iter_errors(out))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.mark.slow
@given(co_documents())
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_ubl_output_of_random_cos_is_schema_valid(ubl_schema: Any, data: dict[str, Any]) -> None:
    doc = CODocument.model_validate(data)
    out = to_format(doc, "ubl", profile=None).result.decode("utf-8")
    errors = list(ubl_schema.iter_errors(out))
    assert not errors, "\n".join(str(e)[:500] for e in errors[:3])


def test_the_edi3_validator_rejects_a_bare_number_as_id(edi3_validator: Any) -> None:
    """The format checker is on: a bare identifier is not a URI (why iD values get prefixes)."""
    errors = list(
        edi3_validator.iter_errors(
            {"iD": "RCEP-SG-2025-000123", "isPreferential": True, "supplyChainConsignment": {}}
        )
    )
    assert any("uri" in e.message for e in errors)


def test_the_edi3_validator_checks_country_codes_locally(edi3_validator: Any) -> None:
    document = {
        "iD": "urn:originlink:coo:X",
        "isPreferential": True,
        "supplyChainConsignment": {"exportCountry": {"code": "XX"}},
    }
    assert list(edi3_validator.iter_errors(document))


def test_the_ubl_schema_rejects_a_wrong_element_order(
    ubl_schema: Any, minimal_co: dict[str, Any]
) -> None:
    xml = to_format(CODocument.model_validate(minimal_co), "ubl", profile=None).result.decode()
    swapped = xml.replace("<cbc:UBLVersionID>2.4</cbc:UBLVersionID>", "").replace(
        "<cbc:VersionID>1</cbc:VersionID>",
        "<cbc:VersionID>1</cbc:VersionID><cbc:UBLVersionID>2.4</cbc:UBLVersionID>",
    )
    assert list(ubl_schema.iter_errors(swapped))
