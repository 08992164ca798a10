"""The canonical form: RFC 8785 bytes, identical across runs, hash seeds and transport forms."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from originlink.domain.dataset import CODocument
from originlink.domain.errors import TrustError
from originlink.trust.canonical import (
    canonical_bytes,
    certificate_canonical_bytes,
    exporter_canonical_bytes,
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


def reference(value: Any) -> bytes | None:
    try:
        return rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        return None


def ours(value: Any) -> bytes | None:
    try:
        return canonical_bytes(value)
    except TrustError as exc:
        assert exc.code == "SIG_CANONICAL_FAILED"
        return None


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_canonical_bytes_equal_the_rfc8785_reference_on_any_json(value: Any) -> None:
    assert ours(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {"\U0001f600": 1, "\ufb01": 2, "a": 3},  # astral key: UTF-16 order differs
        {"k": '\x00\x1f\x7f\u2028"\\'},
        {"n": 2**53 - 1, "m": -(2**53) + 1},
        [1.0, 1e21, 5e-324, -0.0],
        {"s": "\ud800"},
    ],
)
def test_edge_cases_equal_the_reference(value: Any) -> None:
    assert ours(value) == reference(value)


def test_an_integer_beyond_2_53_has_no_canonical_form() -> None:
    with pytest.raises(TrustError) as failed:
        canonical_bytes({"version": 2**53})
    assert failed.value.code == "SIG_CANONICAL_FAILED"


def test_a_lone_surrogate_has_no_canonical_form() -> None:
    with pytest.raises(TrustError) as failed:
        canonical_bytes({"name": "\udc00"})
    assert failed.value.code == "SIG_CANONICAL_FAILED"


def test_certificate_canonical_form_sorts_keys_and_drops_whitespace(
    minimal_co: dict[str, Any],
) -> None:
    data = certificate_canonical_bytes(CODocument.model_validate(minimal_co).certificate)
    assert data.startswith(b'{"agreement":{"code":"RCEP"},"certificate_number":"RCEP-SG-2025')
    assert b" :" not in data and b"\n" not in data
    assert json.loads(data) == minimal_co["certificate"]


def test_exporter_view_leaves_out_issuer_and_gateway_owned_members(
    minimal_co: dict[str, Any],
) -> None:
    view = json.loads(exporter_canonical_bytes(CODocument.model_validate(minimal_co).certificate))
    for member in ("certificate_number", "issue_datetime", "status", "version"):
        assert member not in view
    assert "certifying_official" not in view["parties"]
    assert view["declarations"] == {"exporter": {"date": "2025-03-03T16:40:00+08:00"}}


_PRINT_DIGESTS = """
import hashlib, json, sys
from hypothesis import given, settings, HealthCheck, Phase
from hypothesis import strategies as st
from originlink.domain.dataset import CODocument
from originlink.testing.strategies import co_documents
from originlink.trust.canonical import certificate_canonical_bytes

doc = CODocument.model_validate(json.load(open(sys.argv[1])))
print(hashlib.sha256(certificate_canonical_bytes(doc.certificate)).hexdigest())
seen = []
@settings(max_examples=25, derandomize=True, database=None, phases=[Phase.generate])
@given(co_documents(max_items=4))
def collect(d):
    seen.append(hashlib.sha256(certificate_canonical_bytes(d.certificate)).hexdigest())
collect()
print(hashlib.sha256("".join(seen).encode()).hexdigest(), len(seen))
"""


def test_canonical_form_is_byte_identical_across_runs_and_hash_seeds(
    tmp_path: Any, minimal_co: dict[str, Any]
) -> None:
    example = tmp_path / "co.json"
    example.write_text(json.dumps(minimal_co))
    outputs = set()
    for seed in ("0", "1", "4242", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", _PRINT_DIGESTS, str(example)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
        outputs.add(run.stdout)
    assert len(outputs) == 1, outputs
    first_line = next(iter(outputs)).splitlines()[0]
    here = certificate_canonical_bytes(CODocument.model_validate(minimal_co).certificate)
    assert first_line == hashlib.sha256(here).hexdigest()


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"]), max_size=8),
        st.text(st.characters(max_codepoint=0x2FFF, exclude_categories=["Cs"]), max_size=40),
        max_size=6,
    )
)
def test_escapes_and_key_order_of_text_equal_the_reference(value: dict[str, str]) -> None:
    """Control characters, quotes, backslashes, U+2028 and BMP keys beyond ASCII are where
    encoders differ; the fast encoder must write the reference's bytes for all of them."""
    assert ours(value) == reference(value)


def test_nesting_deeper_than_the_fast_encoder_allows_is_still_canonical() -> None:
    deep: Any = "leaf"
    for _ in range(300):
        deep = [deep]
    assert ours(deep) == reference(deep)
