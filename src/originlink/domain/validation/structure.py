"""The structural pass: does the JSON have the shape of a canonical CO document?

First the raw JSON is walked for ``null`` members (the dataset says "absent, not null", but
pydantic would silently accept ``null`` for an optional member). Then the pydantic models parse
it, and every pydantic error becomes a finding. The dataset's own field types already raise
errors whose *type* is the finding code (``DS-31``, ``DS-33``, ``SCHEMA-TYPE`` ...); the generic
pydantic errors (unknown member, missing member, wrong JSON type, value not in a list) are mapped
here, with sentences written for a customs officer rather than a Python programmer.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Finding, Level, join_path

#: The path used for a problem with the document as a whole.
ROOT_PATH = "(document)"

#: Bound on structural findings, so a hostile file with a million bad members yields a
#: readable report and bounded memory.
MAX_STRUCTURAL_FINDINGS = 200

_TYPE_ERRORS = frozenset(
    {
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "string_type",
        "int_type",
        "bool_type",
        "float_type",
        "is_instance_of",
    }
)


def json_type_name(value: Any) -> str:
    """How a JSON reader would name the type of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def find_nulls(data: Any) -> Iterator[tuple[str | int, ...]]:
    """Locations of every ``null`` member or array element, found without recursion. Only
    containers are put on the stack (a CO has far more scalars than objects and arrays), and
    nothing under ``certificate.extensions`` is looked at: that is agreement-specific data with
    its own rules, not the dataset's."""
    if not isinstance(data, dict | list):
        return
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        node, loc = stack.pop()
        if loc[:2] == ("certificate", "extensions"):
            continue
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if value is None:
                yield (*loc, key)
            elif isinstance(value, dict | list):
                stack.append((value, (*loc, key)))


def _path(loc: tuple[str | int, ...]) -> str:
    return join_path(*loc) if loc else ROOT_PATH


def _member(loc: tuple[str | int, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return "document"


def _range_rule(member: str, given: Any) -> str | None:
    """The DS rule a well-typed value out of its range breaks, where §14 names one: a package
    count below 1 (DS-27), a percentage outside 0-100 (DS-22). Other limits stay DS-33."""
    if member == "count" and isinstance(given, int) and not isinstance(given, bool):
        return "DS-27"
    if member == "value_content_percent" and isinstance(given, str):
        try:
            value = Decimal(given)
        except InvalidOperation:
            return None
        return "DS-22" if value.is_finite() and not 0 <= value <= 100 else None
    return None


def _map_error(error: ErrorDetails) -> tuple[str, str]:
    """(finding code, sentence) for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    given = error.get("input")
    member = _member(loc)
    if kind.startswith(("DS-", "SCHEMA-")):
        code = kind
        if kind == "SCHEMA-VALUE" and member == "hs_edition":
            code = "DS-19"
        elif kind == "DS-33":
            code = _range_rule(member, given) or kind
        return code, _capitalise(error["msg"]) + "."
    if kind == "extra_forbidden":
        return "DS-34", (
            f"'{member}' is not a member of the dataset here; remove it "
            "(agreement-specific data belongs in certificate.extensions)."
        )
    if kind == "missing":
        return "SCHEMA-REQUIRED", f"The mandatory member '{member}' is missing."
    if kind in {"too_short", "string_too_short"}:
        what = "array" if isinstance(given, list) else "value"
        return "SCHEMA-EMPTY", f"An empty {what} is not allowed here: omit the member instead."
    if kind in {"too_long", "string_too_long"}:
        limit = (error.get("ctx") or {}).get("max_length")
        return "DS-31", f"Too long: at most {limit} {_unit(given)} allowed."
    if kind in {"enum", "literal_error"}:
        expected = (error.get("ctx") or {}).get("expected", "")
        code = "DS-19" if member == "hs_edition" else "SCHEMA-VALUE"
        shown = repr(given)[:40] if isinstance(given, str) else json_type_name(given)
        return code, f"{shown} is not an allowed value here; expected {expected}."
    if kind in _TYPE_ERRORS:
        return "SCHEMA-TYPE", f"Expected {_expected(kind)}, found {json_type_name(given)}."
    return "SCHEMA-VALUE", _capitalise(error["msg"]) + "."


def _unit(given: Any) -> str:
    return "elements" if isinstance(given, list) else "characters"


def _expected(kind: str) -> str:
    return {
        "model_type": "a JSON object",
        "model_attributes_type": "a JSON object",
        "dict_type": "a JSON object",
        "list_type": "a JSON array",
        "string_type": "a JSON string",
        "int_type": "a JSON integer",
        "bool_type": "true or false",
        "float_type": "a number",
    }.get(kind, "another JSON type")


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def check_structure(data: Any) -> tuple[CODocument | None, list[Finding]]:
    """Parse ``data`` (already-loaded JSON) into a document; return it (or None) and findings."""
    if not isinstance(data, dict):
        return None, [
            Finding(
                Level.SEVERE,
                ROOT_PATH,
                "SCHEMA-TYPE",
                "A CO document is a JSON object with 'certificate' and 'signatures'; "
                f"found {json_type_name(data)}.",
            )
        ]
    null_locs = set(find_nulls(data))
    problems: list[tuple[tuple[str | int, ...], str, str]] = [
        (loc, "SCHEMA-NULL", f"'{_member(loc)}' is null; leave out an optional member instead.")
        for loc in sorted(null_locs, key=_sort_key)
    ]
    try:
        document: CODocument | None = CODocument.model_validate(data)
    except ValidationError as exc:
        document = None
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if loc not in null_locs:
                problems.append((loc, *_map_error(error)))
    findings = [
        Finding(Level.SEVERE, _path(loc), code, sentence)
        for loc, code, sentence in problems[:MAX_STRUCTURAL_FINDINGS]
    ]
    if len(problems) > MAX_STRUCTURAL_FINDINGS:
        findings.append(
            Finding(
                Level.INFO,
                ROOT_PATH,
                "SCHEMA-TRUNCATED",
                f"{len(problems) - MAX_STRUCTURAL_FINDINGS} further structural problem(s) are "
                "not listed; correct those above first.",
                facts={"total": len(problems), "shown": MAX_STRUCTURAL_FINDINGS},
            )
        )
    return document, findings


def _sort_key(loc: tuple[str | int, ...]) -> tuple[tuple[int, str], ...]:
    return tuple((0, f"{p:09d}") if isinstance(p, int) else (1, p) for p in loc)
