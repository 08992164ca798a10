"""Comparing a CO with its round trip after removing what the loss report names."""

from __future__ import annotations

import copy
import re
from typing import Any

from originlink.formats.loss import LossKind, LossReport

_STEP = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int] | None:
    """``certificate.goods_items[0].hs_code`` → steps; None for a non-canonical path."""
    if not path.startswith(("certificate.", "signatures.")):
        return None
    return [int(index) if index else name for name, index in _STEP.findall(path)]


def without(data: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """A copy of ``data`` with every named path removed (list elements from the end)."""
    out = copy.deepcopy(data)
    steps = [s for s in (parse_path(p) for p in paths) if s]
    for path in sorted(
        steps, key=lambda s: [(-x if isinstance(x, int) else 0) for x in s], reverse=False
    ):
        _remove(out, path)
    return _clean(out)


def _remove(node: Any, path: list[str | int]) -> None:
    for step in path[:-1]:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return
        elif not isinstance(node, dict) or step not in node:
            return
        node = node[step]
    last = path[-1]
    if isinstance(last, int) and isinstance(node, list) and last < len(node):
        node[last] = None
    elif isinstance(last, str) and isinstance(node, dict):
        node.pop(last, None)


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        cleaned = {k: _clean(v) for k, v in node.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, {}, [])}
    if isinstance(node, list):
        return [_clean(v) for v in node if v is not None]
    return node


def lossy_paths(*reports: LossReport) -> list[str]:
    return [e.path for r in reports for e in r if e.kind in (LossKind.DROPPED, LossKind.DEGRADED)]


def derived_paths(*reports: LossReport) -> list[str]:
    return [e.path for r in reports for e in r if e.kind is LossKind.DERIVED]


def has_path(data: Any, path: str) -> bool:
    """True when ``data`` holds a value at the canonical ``path``."""
    steps = parse_path(path)
    if steps is None:
        return False
    node = data
    for step in steps:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return False
        elif not isinstance(node, dict) or step not in node:
            return False
        node = node[step]
    return True
