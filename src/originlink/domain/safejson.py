"""Reading JSON from outside without trusting it.

``json.loads`` alone accepts duplicate keys (which would let two parties read one signed document
differently), ``NaN`` and unbounded nesting. :func:`loads_bounded` refuses all of these with a
one-line :class:`~originlink.domain.errors.InputError` that says what and where.
"""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import orjson

from originlink.domain.errors import InputError, InputTooDeep, InputTooLarge

#: Default bound on a JSON document (a CO with attachments inline stays well below it).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: Default bound on nesting; the canonical CO needs fewer than 10 levels.
DEFAULT_MAX_DEPTH = 64


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """The object of ``pairs``; built in C, and only walked in Python when it came out shorter
    than ``pairs``, which means a member was repeated."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise InputError(f"duplicate member {key!r} in one JSON object")
            seen.add(key)
    return out


def _no_constants(name: str) -> Any:
    raise InputError(f"{name} is not a JSON number")


#: One strict decoder for every call: ``json.loads`` with hooks builds a new one each time.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_no_constants)


def _depth(value: Any, limit: int) -> int:
    """Deepest nesting of ``value``, computed without recursion; only containers are visited."""
    if type(value) is not dict and type(value) is not list:
        return 0
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > limit:
                return deepest
        for child in node.values() if type(node) is dict else node:
            if type(child) is dict or type(child) is list:
                stack.append((child, level + 1))
    return deepest


def loads_bounded(
    data: bytes | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    what: str = "input",
) -> Any:
    """Parse ``data`` as strict JSON within size and depth bounds."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise InputTooLarge(f"{what} is {size:,} bytes; the limit is {max_bytes:,} bytes")
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{what} is not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
            ) from None
    else:
        text = data
    if not text.strip():
        raise InputError(f"{what} is empty")
    try:
        value = _DECODER.decode(text)
    except RecursionError:
        raise InputTooDeep(f"{what} is nested more deeply than {max_depth} levels") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{what} is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if _depth(value, max_depth) > max_depth:
        raise InputTooDeep(f"{what} is nested more deeply than {max_depth} levels")
    return value


def compact_json(value: Any) -> bytes:
    """Compact UTF-8 JSON (no spaces, non-ASCII as is) of JSON-ready data with string keys:
    the form of what the gateway stores and sends where no signature covers the text itself.
    ``orjson`` writes it; what ``orjson`` refuses (an integer beyond 64 bits or a lone
    surrogate, which a partner's document may carry into a finding) is written by ``json``,
    compact too and with every non-ASCII character escaped, so it is valid JSON whatever it
    holds."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")


#: An integer literal orjson would read as a float (more than 18 digits in a row; digits inside
#: strings match too, which only sends that text to ``json``).
_LONG_DIGITS = re.compile(rb"[0-9]{19}")
_LONG_DIGITS_TEXT = re.compile(r"[0-9]{19}")


def loads_stored(text: str | bytes) -> Any:
    """JSON the gateway wrote itself (its own database rows), read with ``orjson``. What
    ``orjson`` would read differently or refuses goes to ``json``: an integer beyond 64 bits
    (``orjson`` makes it a float), a lone surrogate, a number too large for a float."""
    if isinstance(text, str):
        plain = _LONG_DIGITS_TEXT.search(text) is None
    else:
        plain = _LONG_DIGITS.search(text) is None
    if plain:
        with contextlib.suppress(orjson.JSONDecodeError):
            return orjson.loads(text)
    return json.loads(text)
