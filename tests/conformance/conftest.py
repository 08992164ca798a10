"""Fixtures for conformance tests: the outside schemas, loaded once per session.

They live in ``shared/reference`` next to the checkout (see ``tests/conftest.py``); a test that
needs one skips with the reason when it is absent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES, SHARED_REFERENCE

UBL_XSD = SHARED_REFERENCE / "ubl-2.4" / "maindoc" / "UBL-CertificateOfOrigin-2.4.xsd"
EDI3_SCHEMA = SHARED_REFERENCE / "uncefact-edi3-coo" / "CertificateOfOrigin.schema.json"
CODES_URI = "https://edi3.org/shared/openapi/ISO/codes.json"


def example_files() -> list[Path]:
    """Every example CO under ``examples/valid`` (new examples are picked up by the glob)."""
    return sorted((EXAMPLES / "valid").glob("*.json"))


@pytest.fixture(scope="session")
def ubl_schema() -> Any:
    if not UBL_XSD.is_file():
        pytest.skip(f"UBL 2.4 schemas not found at {UBL_XSD} (shared reference folder absent)")
    import xmlschema

    return xmlschema.XMLSchema(str(UBL_XSD))


def iso_codes_document() -> dict[str, Any]:
    """Local ISO 3166 / ISO 4217 code lists for the edi3 schema's remote references."""
    import pycountry

    return {
        "components": {
            "schemas": {
                "ISO3166_Code": {
                    "type": "string",
                    "enum": sorted(c.alpha_2 for c in pycountry.countries),
                },
                "ISO4217_Code": {
                    "type": "string",
                    "enum": sorted(c.alpha_3 for c in pycountry.currencies),
                },
            }
        }
    }


@pytest.fixture(scope="session")
def edi3_validator() -> Any:
    if not EDI3_SCHEMA.is_file():
        pytest.skip(f"edi3 JSON schema not found at {EDI3_SCHEMA} (shared reference folder absent)")
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    schema = json.loads(EDI3_SCHEMA.read_text("utf-8"))
    codes = Resource.from_contents(iso_codes_document(), default_specification=DRAFT7)
    registry: Registry[Any] = Registry().with_resource(CODES_URI, codes)
    return Draft7Validator(schema, registry=registry, format_checker=Draft7Validator.FORMAT_CHECKER)
