"""The OriginLink UBL extension: canonical members UBL has no element for (‡ in ``dataset.md``).

Between OriginLink gateways these members travel as snake_case JSON inside one
``ext:UBLExtensions/ext:UBLExtension`` whose ``ext:ExtensionURI`` is :data:`EXTENSION_URI`, so
UBL loses nothing a ‡ covers. Any other receiver ignores the block, so a writer without it
reports each ‡ member as a loss. A reader treats the block as hostile input: it must hold JSON
whose every member lies under a ‡ path, or it is refused.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from originlink.domain.errors import InputError
from originlink.domain.safejson import loads_bounded

EXTENSION_URI = "urn:originlink:ubl-extension:canonical-members:1.0"
CONTENT_TAG = f"{{{EXTENSION_URI}}}CanonicalMembers"

Path = tuple[str | int, ...]

#: The ‡ members, relative to ``certificate``; ``"*"`` stands for every list index.
DAGGER_PATHS: tuple[tuple[str, ...], ...] = (
    ("is_preferential",),
    ("agreement",),
    ("issue_place",),
    ("validity_end_date",),
    ("extensions",),
    ("parties", "producer_statement"),
    ("transport", "route_description"),
    ("goods_items", "*", "origin_criterion", "value_content_percent"),
    ("goods_items", "*", "packages", "marks"),
    ("goods_items", "*", "consignment_item"),
    ("references", "related_certificates", "*", "origin_country"),
    ("flags",),
    ("declarations", "exporter", "place"),
    ("declarations", "exporter", "date"),
    ("declarations", "certification", "datetime"),
    ("declarations", "certification", "verification_url"),
    ("attachments", "*", "size_bytes"),
)


def _matches(path: Path, pattern: tuple[str, ...]) -> bool:
    return len(path) == len(pattern) and all(
        (p == "*" and isinstance(q, int)) or p == q for q, p in zip(path, pattern, strict=True)
    )


def _under_dagger(path: Path) -> bool:
    return any(_matches(path[: len(p)], p) for p in DAGGER_PATHS if len(path) >= len(p))


def _leads_to_dagger(path: Path) -> bool:
    return any(_matches(path, p[: len(path)]) for p in DAGGER_PATHS if len(p) > len(path))


def _walk(node: Any, pattern: tuple[str, ...], path: Path = ()) -> Iterator[tuple[Path, Any]]:
    if not pattern:
        yield path, node
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from _walk(item, rest, (*path, index))
    elif isinstance(node, dict) and head in node:
        yield from _walk(node[head], rest, (*path, head))


def present_dagger_members(certificate: dict[str, Any]) -> list[tuple[Path, Any]]:
    """Every ‡ member the certificate (as JSON data) has, with its concrete path."""
    return [found for pattern in DAGGER_PATHS for found in _walk(certificate, pattern)]


def _place(target: dict[str, Any], path: Path, value: Any, source: dict[str, Any]) -> None:
    node: Any = target
    src: Any = source
    for step, nxt in itertools.pairwise(path):
        src = src[step]
        if isinstance(step, int):
            node = node[step]
            continue
        if step not in node:
            node[step] = [{} for _ in src] if isinstance(nxt, int) else {}
        node = node[step]
    node[path[-1]] = value


def extract(certificate: dict[str, Any]) -> dict[str, Any]:
    """The ‡ members of the certificate as sparse canonical JSON (lists keep their length)."""
    out: dict[str, Any] = {}
    for path, value in present_dagger_members(certificate):
        _place(out, path, value, certificate)
    return out


def content_json(members: dict[str, Any]) -> str:
    return json.dumps(members, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _check(node: Any, path: Path) -> None:
    if path and _under_dagger(path):
        return
    if path and not _leads_to_dagger(path):
        raise InputError(
            "the OriginLink UBL extension carries a member that is not a ‡ member: "
            + ".".join(str(p) for p in path)
        )
    if isinstance(node, dict):
        for key, value in node.items():
            _check(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check(value, (*path, index))
    else:
        raise InputError("the OriginLink UBL extension has a malformed member at " + str(path))


def parse_content(text: str) -> dict[str, Any]:
    """Parse and check the extension's JSON (only ‡ members allowed)."""
    data = loads_bounded(text, what="OriginLink UBL extension")
    if not isinstance(data, dict):
        raise InputError("the OriginLink UBL extension does not hold a JSON object")
    _check(data, ())
    return data


def strip_dagger(certificate: dict[str, Any]) -> None:
    """Remove every ‡ member (the extension, when present, is their only source)."""
    for path, _ in reversed(present_dagger_members(certificate)):
        node: Any = certificate
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]


def merge(target: dict[str, Any], members: dict[str, Any]) -> None:
    """Put each ‡ member of the extension at its path in the certificate read from native
    elements; a list entry must already exist there (the extension adds no goods item)."""
    for path, value in present_dagger_members(members):
        node: Any = target
        for step, nxt in itertools.pairwise(path):
            if isinstance(step, int):
                if not isinstance(node, list) or step >= len(node):
                    raise InputError(
                        "OriginLink UBL extension: entry "
                        + ".".join(str(p) for p in path)
                        + " has no counterpart in the document"
                    )
                node = node[step]
                continue
            if step not in node:
                node[step] = [] if isinstance(nxt, int) else {}
            node = node[step]
        node[path[-1]] = value
