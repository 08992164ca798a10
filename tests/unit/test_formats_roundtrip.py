"""Property: canonical → F → canonical keeps every field F can carry.

The original and the round trip are compared after removing, on both sides, every path the
loss reports call ``DROPPED`` or ``DEGRADED``; anything else that differs is a silent loss.
"""

from __future__ import annotations

import copy
import difflib
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from originlink.domain.dataset import CODocument
from originlink.domain.profiles import bundled_profiles
from originlink.formats import from_format, to_format
from tests.conftest import EXAMPLES
from tests.format_strategies import co_documents
from tests.roundtrip import derived_paths, has_path, lossy_paths, without

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _round_trip(data: dict[str, Any], fmt: str, **options: Any) -> None:
    profiles = bundled_profiles()
    doc = CODocument.model_validate(data)
    profile = profiles.get(doc.certificate.agreement_code or "")
    written = to_format(doc, fmt, profile=profile, **options)
    back = from_format(written.result, fmt, profiles=profiles)
    lost = lossy_paths(written.loss, back.loss)
    original = without(doc.to_json_dict(), lost)
    returned = back.result.to_json_dict()
    if fmt == "aladi-cod":
        returned["certificate"].pop("attachments", None)
    # a value the reader derived (reported DERIVED) where the original had none is no loss
    added = [p for p in derived_paths(back.loss) if not has_path(doc.to_json_dict(), p)]
    assert_same(without(returned, [*lost, *added]), original)


def assert_same(returned: dict[str, Any], original: dict[str, Any]) -> None:
    if returned != original:
        diff = difflib.unified_diff(
            json.dumps(original, indent=1, sort_keys=True).splitlines(),
            json.dumps(returned, indent=1, sort_keys=True).splitlines(),
            lineterm="",
        )
        pytest.fail("round trip changed an unreported field:\n" + "\n".join(diff))


@given(co_documents())
@SETTINGS
def test_canonical_round_trip_is_exact(data: dict[str, Any]) -> None:
    doc = CODocument.model_validate(data)
    written = to_format(doc, "canonical", profile=None)
    back = from_format(written.result, "canonical", profiles=bundled_profiles())
    assert back.result == doc
    assert not written.loss.entries and not back.loss.entries


@given(co_documents())
@SETTINGS
def test_ubl_round_trip_with_the_originlink_extension(data: dict[str, Any]) -> None:
    _round_trip(data, "ubl")


@given(co_documents())
@SETTINGS
def test_ubl_round_trip_without_the_extension(data: dict[str, Any]) -> None:
    _round_trip(data, "ubl", originlink_extension=False)


@given(co_documents())
@SETTINGS
def test_uncefact_round_trip(data: dict[str, Any]) -> None:
    _round_trip(data, "uncefact")


def as_mercosur(data: dict[str, Any]) -> dict[str, Any]:
    """The same CO moved to MERCOSUR (BR → AR), the agreement the bundled COD profile has."""
    out = copy.deepcopy(data)
    cert = out["certificate"]
    cert["agreement"] = {"code": "MERCOSUR"}
    cert["issuing_country"] = cert["exporting_country"] = "BR"
    cert["importing_country"] = "AR"
    parties = cert["parties"]
    parties["exporter"]["address"]["country_code"] = "BR"
    parties["issuing_authority"]["address"]["country_code"] = "BR"
    if "importer" in parties:
        parties["importer"]["address"]["country_code"] = "AR"
    return out


@given(co_documents())
@SETTINGS
def test_aladi_cod_round_trip(data: dict[str, Any]) -> None:
    _round_trip(as_mercosur(data), "aladi-cod")


@pytest.mark.parametrize("fmt", ["ubl", "uncefact", "aladi-cod"])
def test_the_comparison_catches_a_silent_loss(fmt: str, minimal_co: dict[str, Any]) -> None:
    """The property would fail if a converter lost a field without reporting it."""
    doc = CODocument.model_validate(as_mercosur(minimal_co) if fmt == "aladi-cod" else minimal_co)
    profiles = bundled_profiles()
    profile = profiles.get(doc.certificate.agreement_code or "")
    written = to_format(doc, fmt, profile=profile)
    back = from_format(written.result, fmt, profiles=profiles)
    lost = lossy_paths(written.loss, back.loss)
    returned = back.result.to_json_dict()
    returned["certificate"]["goods_items"][0]["description"] = "silently changed"
    returned["certificate"].pop("attachments", None)
    assert without(returned, lost) != without(doc.to_json_dict(), lost)


def _example_cases() -> list[Any]:
    """(example, format) for every format the example's agreement can be written in."""
    profiles = bundled_profiles()
    cases = []
    for path in sorted((EXAMPLES / "valid").glob("*.json")):
        code = json.loads(path.read_text("utf-8"))["certificate"].get("agreement", {}).get("code")
        profile = profiles.get(code) if code else None
        for fmt in ("ubl", "uncefact", "aladi-cod"):
            if fmt != "aladi-cod" or (profile is not None and profile.aladi_acronym):
                cases.append(pytest.param(path, fmt, id=f"{path.stem}-{fmt}"))
    return cases


@pytest.mark.parametrize(("example", "fmt"), _example_cases())
def test_every_example_round_trips_through_every_format_it_fits(example: Any, fmt: str) -> None:
    _round_trip(json.loads(example.read_text("utf-8")), fmt)
