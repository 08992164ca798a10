"""OpenAttestation v2 salting: every value of ``data`` is written ``<uuid v4>:<type>:<value>``.

``unsalt`` gives back the typed value (``number:5`` → 5, ``boolean:true`` → True,
``null:null`` → None); a value that does not start with a version-4 UUID is taken as it is, as
the reference implementation does. ``salt`` does the opposite with fresh random UUIDs.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from originlink.formats.openattestation.proof import js_number

_SALTED = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}:"
    r"(?P<type>[a-z]+):(?P<value>.*)",
    re.S,
)


def is_salted(value: Any) -> bool:
    return isinstance(value, str) and _SALTED.fullmatch(value) is not None


def unsalt_value(value: str) -> Any:
    match = _SALTED.fullmatch(value)
    if match is None:
        return value
    kind, text = match.group("type"), match.group("value").strip()
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return (
            int(number) if number.is_integer() and "." not in text and "e" not in text else number
        )
    if kind == "boolean":
        return text == "true"
    if kind in ("null", "undefined"):
        return None
    return text


def unsalt(data: Any) -> Any:
    """``data`` with every salted value typed again, members and array order kept."""
    if isinstance(data, dict):
        return {key: unsalt(value) for key, value in data.items()}
    if isinstance(data, list):
        return [unsalt(value) for value in data]
    return unsalt_value(data) if isinstance(data, str) else data


def _typed(value: Any) -> str:
    if value is None:
        return "null:null"
    if isinstance(value, bool):
        return f"boolean:{'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"number:{js_number(value)}"
    return f"string:{value}"


def salt(data: Any) -> Any:
    """``data`` with every value salted by a fresh random UUID (``saltData``)."""
    if isinstance(data, dict):
        return {key: salt(value) for key, value in data.items()}
    if isinstance(data, list):
        return [salt(value) for value in data]
    return f"{uuid.uuid4()}:{_typed(data)}"
