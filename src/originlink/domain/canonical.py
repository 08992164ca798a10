"""RFC 8785 (JSON Canonicalization Scheme) canonical bytes of JSON data, fast.

The ``rfc8785`` package is the reference implementation and is pure Python. For the data a CO
actually holds (strings, booleans, null and integers within ±(2^53-1), no floats, object keys
inside the Basic Multilingual Plane) RFC 8785 output is exactly ``json.dumps(sort_keys=True,
separators=(",", ":"), ensure_ascii=False)``: the same escapes, integers written the same way,
and key order by UTF-16 code units equal to order by code points when no key leaves the BMP.
``orjson`` with ``OPT_SORT_KEYS`` writes those same bytes (the same escapes, ``\\u00XX`` in lower
case, UTF-8 out) about ten times faster; the tests hold it to ``rfc8785``.
:func:`canonical_bytes` checks those conditions and then uses ``orjson``; anything else goes to
``rfc8785``. Pure (no I/O): the trust layer signs these bytes and the audit chain hashes them.
"""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
import rfc8785

from originlink.domain.errors import TrustError

_MAX_SAFE_INTEGER = 2**53 - 1


def _fast_path_applies(obj: Any) -> bool:
    """Whether ``obj`` holds only values whose JCS form the C JSON encoder writes exactly."""
    stack = [obj]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            for key in node:
                if type(key) is not str or not (key.isascii() or max(key) <= "\uffff"):
                    return False
            values = node.values()
        elif kind is list:
            values = node
        else:
            values = (node,)
        for value in values:
            kind = type(value)
            if kind is str or kind is bool or value is None:
                continue
            if kind is dict or kind is list:
                stack.append(value)
            elif kind is not int or not -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER:
                return False
    return True


def _failed(reason: object) -> TrustError:
    return TrustError(
        f"the content has no RFC 8785 canonical form: {reason}", code="SIG_CANONICAL_FAILED"
    )


def canonical_bytes(obj: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of JSON data (dicts, lists, str, int, float, bool, None)."""
    # What orjson refuses (a lone surrogate, nesting past its limit) goes on to the reference,
    # which writes it or says why it has no canonical form.
    if _fast_path_applies(obj):
        with contextlib.suppress(orjson.JSONEncodeError):
            return orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)
    try:
        return rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError as exc:
        raise _failed(exc) from None
