"""Reading untrusted JSON: duplicates, depth, constants and size are refused with what and where."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from originlink.domain.errors import InputError, InputTooDeep, InputTooLarge
from originlink.domain.safejson import compact_json, loads_bounded, loads_stored

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=25,
)


def _nested(levels: int) -> str:
    return '{"a":' * (levels - 1) + "[1]" + "}" * (levels - 1)


@given(JSON)
def test_what_json_writes_reads_back_the_same(value: Any) -> None:
    assert loads_bounded(json.dumps(value)) == value


@pytest.mark.parametrize(
    "text",
    ['{"a": 1, "a": 2}', '{"x": [{"k": 1, "j": 2, "k": 3}]}', '[{"n": {"m": 0, "m": 0}}]'],
)
def test_a_repeated_member_is_refused_at_any_depth(text: str) -> None:
    with pytest.raises(InputError, match="duplicate member"):
        loads_bounded(text)


def test_depth_is_bounded_exactly() -> None:
    assert loads_bounded(_nested(64))["a"]["a"]
    with pytest.raises(InputTooDeep, match="nested more deeply than 64 levels"):
        loads_bounded(_nested(65))
    assert loads_bounded(_nested(10), max_depth=10)
    with pytest.raises(InputTooDeep):
        loads_bounded("[" * 11 + "]" * 11, max_depth=10)
    assert loads_bounded("7", max_depth=0) == 7


def test_constants_and_size() -> None:
    with pytest.raises(InputError, match="NaN is not a JSON number"):
        loads_bounded('{"a": NaN}')
    with pytest.raises(InputTooLarge, match="the limit is 8 bytes"):
        loads_bounded('{"a": 12345}', max_bytes=8)


@given(JSON)
def test_compact_json_reads_back_the_same(value: Any) -> None:
    assert loads_bounded(compact_json(value)) == value


def test_compact_json_has_no_spaces_and_keeps_non_ascii() -> None:
    assert compact_json({"name": "Nguyễn", "items": [1, None, True]}) == (
        '{"name":"Nguyễn","items":[1,null,true]}'.encode()
    )


def test_compact_json_writes_what_orjson_refuses() -> None:
    """A partner's document can put a huge integer or a lone surrogate (a legal JSON escape)
    into a finding that goes back in a business response; it must still be written."""
    assert compact_json({"version": 10**30, "n": "é"}) == (
        b'{"version":1000000000000000000000000000000,"n":"\\u00e9"}'
    )
    text = compact_json({"name": "\udc00"})
    assert loads_bounded(text) == {"name": "\udc00"}


STORED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3)
    ),
    max_leaves=25,
)


@given(STORED, st.booleans())
def test_stored_json_reads_as_json_reads_it(value: Any, as_bytes: bool) -> None:
    """Integers of any size stay integers (orjson alone would make a float of those beyond
    64 bits), lone surrogates and every float read back as ``json`` reads them."""
    text = json.dumps(value)
    read = loads_stored(text.encode() if as_bytes else text)
    assert read == json.loads(text)
    assert type(read) is type(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"n": 123456789012345678901234567890}', {"n": 123456789012345678901234567890}),
        ('{"n": -9223372036854775809}', {"n": -9223372036854775809}),
        ('["\\ud800"]', ["\ud800"]),
        ('{"a": 1e400}', {"a": float("inf")}),
        ('{"ref": "1234567890123456789012"}', {"ref": "1234567890123456789012"}),
    ],
)
def test_stored_json_beyond_orjson_is_read_by_json(text: str, expected: Any) -> None:
    assert loads_stored(text) == expected
    assert loads_stored(text.encode()) == expected
    big = loads_stored(text)
    if "n" in expected:
        assert type(big["n"]) is int
