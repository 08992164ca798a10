"""Findings: what validation, verification and claim decisions say about a document.

A finding is a value with a level, a field path (relative to the CO document: it starts with
``certificate.`` or ``signatures.``), a stable code (``DS-xx`` rules of ``dataset.md`` §14, or
one of :data:`SCHEMA_CODES`) and a sentence a customs officer can read.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Level(StrEnum):
    SEVERE = "SEVERE"
    WARNING = "WARNING"
    INFO = "INFO"


#: Codes for structural problems that no DS rule names. Stable: scripts may depend on them.
SCHEMA_CODES: dict[str, str] = {
    "SCHEMA-REQUIRED": "a mandatory member is missing",
    "SCHEMA-NULL": "null is not a value: omit an optional member instead",
    "SCHEMA-EMPTY": "empty strings and empty arrays are not allowed",
    "SCHEMA-TYPE": "the JSON type is wrong for this member",
    "SCHEMA-VALUE": "the value is not one of those allowed for this member",
    "SCHEMA-RULES-SKIPPED": "the structure is broken, so the dataset rules did not run",
    "SCHEMA-TRUNCATED": "more structural errors were found than are listed",
}


@dataclass(frozen=True, slots=True)
class Finding:
    level: Level
    path: str
    code: str
    message: str
    area: str = "dataset"
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "level": self.level.value,
            "path": self.path,
            "code": self.code,
            "message": self.message,
            "area": self.area,
        }
        if self.facts:
            out["facts"] = self.facts
        return out

    def one_line(self) -> str:
        return f"{self.level.value:<7} {self.code:<16} {self.path}: {self.message}"


def has_severe(findings: Iterable[Finding]) -> bool:
    return any(f.level is Level.SEVERE for f in findings)


def count_by_level(findings: Iterable[Finding]) -> dict[str, int]:
    counts = {level.value: 0 for level in Level}
    for f in findings:
        counts[f.level.value] += 1
    return counts


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    """Most serious first, then by path, so reports read top-down."""
    order = {Level.SEVERE: 0, Level.WARNING: 1, Level.INFO: 2}
    return sorted(findings, key=lambda f: (order[f.level], f.path, f.code))


@functools.lru_cache(maxsize=8192)
def join_path(*parts: str | int) -> str:
    """Render a location tuple as ``a.b[0].c``. Rules compute the same few hundred paths for
    every document (field names and item indices), so the rendered paths are memoised."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
        else:
            out = part
    return out
