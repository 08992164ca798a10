"""Property tests: parsing and serialising a CO is lossless, and validation never crashes."""

from __future__ import annotations

import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from originlink.domain.dataset import CODocument
from originlink.domain.safejson import loads_bounded
from originlink.domain.validation import ValidationContext, validate_document
from tests.strategies import co_documents, json_values
from tests.unit.validation_support import NOW, registry

# Generating a whole CO is slow for hypothesis' health check, not for the suite.
ROUND_TRIP = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(data: Any) -> CODocument:
    return CODocument.model_validate(data)


@ROUND_TRIP
@given(co_documents())
def test_parse_then_serialise_is_lossless_through_json_text(data: dict[str, Any]) -> None:
    assert _parse(data).to_json_dict() == data
    text = json.dumps(data, ensure_ascii=False)
    again = _parse(loads_bounded(text.encode("utf-8")))
    assert again.to_json_dict() == data
    assert again == _parse(data)


def _denormalise(node: Any) -> Any:
    """The same document written less tidily: UTC as ``+00:00``, decimals with a leading zero."""
    if isinstance(node, list):
        return [_denormalise(v) for v in node]
    if not isinstance(node, dict):
        if isinstance(node, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[0-9:.]+Z", node):
            return node[:-1] + "+00:00"
        return node
    out = {k: _denormalise(v) for k, v in node.items()}
    is_number = "unit_code" in node or "currency_code" in node
    if is_number and isinstance(node.get("value"), str) and node["value"][0].isdigit():
        out["value"] = "0" + node["value"]
    return out


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(co_documents())
def test_serialising_is_idempotent_from_any_accepted_spelling(data: dict[str, Any]) -> None:
    untidy = _denormalise(data)
    once = _parse(untidy).to_json_dict()
    twice = _parse(once).to_json_dict()
    assert once == twice == data
    assert _parse(once) == _parse(untidy)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(co_documents())
def test_validation_of_any_well_formed_co_completes_with_findings_not_errors(
    data: dict[str, Any],
) -> None:
    report = validate_document(data, registry=registry(), context=ValidationContext(now=NOW))
    assert report.document is not None and report.readable
    assert all(f.code and f.path and f.message for f in report.findings)
    json.dumps(report.as_dict())


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        json_values(),
        st.dictionaries(st.sampled_from(["certificate", "signatures", "x"]), json_values()),
        st.fixed_dictionaries(
            {"certificate": st.dictionaries(st.text(max_size=12), json_values())}
        ),
    )
)
def test_validation_of_arbitrary_json_never_raises(data: Any) -> None:
    report = validate_document(data, registry=registry(), context=ValidationContext(now=NOW))
    assert report.findings
    assert report.document is None or report.ok in {True, False}
