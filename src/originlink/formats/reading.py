"""Lenient reading: a source becomes the canonical document it holds, plus findings.

A reader refuses only what it cannot read at all (not its format, broken syntax, hostile
input). Everything else it turns into a :class:`Draft`: the canonical data it could map (perhaps
incomplete), the loss report, its own findings (a member of the wrong type, a required source
member missing, an integrity proof that fails) and where in the source each canonical part came
from. :func:`settle` then takes out every value the dataset refuses (each one a finding and a
``DROPPED`` entry), and builds the model when nothing mandatory is missing.

Every finding carries ``facts["source_path"]``: a JSON pointer (JSON sources) or an XPath (XML
sources) beside its canonical path, so an officer can find the field in the file received.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, get_args

from pydantic import ValidationError

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Finding, Level, join_path
from originlink.formats.loss import LossReport

#: Passes of the repair loop: each removes the values the dataset refused in the previous one.
_MAX_PASSES = 6
_CODE = re.compile(r"(DS-[0-9]{2}|SCHEMA-[A-Z]+)")
_PYDANTIC_CODES = {
    "missing": "SCHEMA-REQUIRED",
    "extra_forbidden": "DS-34",
    "none_required": "SCHEMA-NULL",
}
#: What a mandatory member absent from the source is written as, only when a target format
#: needs a complete CO (each use is a ``SYNTHESISED`` loss entry). ``ZZ`` is the ISO 3166
#: user-assigned code for an unknown country.
PLACEHOLDERS: dict[str, Any] = {
    "name": "NOT STATED",
    "description": "NOT STATED",
    "hs_code": "000000",
    "country_code": "ZZ",
    "exporting_country": "ZZ",
    "importing_country": "ZZ",
    "issuing_country": "ZZ",
    "form_code": "UNKNOWN",
    "status": "ISSUED",
    "version": 1,
    "is_preferential": False,
    "party_id": "P0",
    "address": {"country_code": "ZZ"},
    "exporter": {"name": "NOT STATED", "address": {"country_code": "ZZ"}},
    "issuing_authority": {"name": "NOT STATED", "address": {"country_code": "ZZ"}},
    "goods_items": [],
}


@dataclass(frozen=True, slots=True)
class Integrity:
    """What a source's own integrity proof says, recomputed offline (OpenAttestation)."""

    method: str
    status: str  # "ok", "failed", "absent"
    detail: str
    identity_status: str = "not checked"
    identity_detail: str = ""
    facts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "integrity": self.status,
            "detail": self.detail,
            "identity": self.identity_status,
            "identity_detail": self.identity_detail,
            **({"facts": self.facts} if self.facts else {}),
        }


@dataclass(slots=True)
class Draft:
    """What a reader produced, before the dataset judged it."""

    format: str
    document: dict[str, Any]
    loss: LossReport = field(default_factory=LossReport)
    findings: list[Finding] = field(default_factory=list)
    #: canonical path → where it came from in the source
    sources: dict[str, str] = field(default_factory=dict)
    #: canonical paths the source format has no place for (DS-04 judges them leniently)
    uncarried: frozenset[str] = frozenset()
    integrity: Integrity | None = None

    def note(
        self,
        level: Level,
        code: str,
        path: str,
        message: str,
        source_path: str | None,
        **facts: Any,
    ) -> None:
        """A reader's own finding, with the place in the source beside the canonical path."""
        if source_path is not None:
            facts["source_path"] = source_path
        self.findings.append(Finding(level, path, code, message, area="reading", facts=facts))


@dataclass(slots=True)
class Reading:
    """The outcome of reading: the canonical data, the model when complete, and findings."""

    format: str
    document: dict[str, Any]
    model: CODocument | None
    loss: LossReport
    findings: list[Finding]
    sources: dict[str, str]
    uncarried: frozenset[str]
    integrity: Integrity | None

    def source_of(self, path: str) -> str | None:
        """The source location of the closest canonical part that holds ``path``."""
        best: str | None = None
        for key in self.sources:
            if (path == key or path.startswith((key + ".", key + "["))) and (
                best is None or len(key) > len(best)
            ):
                best = key
        return self.sources[best] if best is not None else None

    def locate(self, findings: Iterable[Finding]) -> list[Finding]:
        """``findings`` with ``facts["source_path"]`` added where the source place is known."""
        out = []
        for finding in findings:
            if "source_path" not in finding.facts:
                where = self.source_of(finding.path)
                if where is not None:
                    finding = replace(finding, facts={**finding.facts, "source_path": where})
            out.append(finding)
        return out

    def writable(self, target: str) -> tuple[CODocument | None, LossReport]:
        """The model a writer needs: the document itself when complete, else a copy with every
        absent mandatory member written as a :data:`PLACEHOLDERS` value, each reported
        ``SYNTHESISED``. None when a gap has no placeholder."""
        report = LossReport()
        if self.model is not None:
            return self.model, report
        data = copy.deepcopy(self.document)
        for _ in range(_MAX_PASSES):
            try:
                return CODocument.model_validate(data), report
            except ValidationError as exc:
                filled = False
                for error in exc.errors():
                    loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
                    if error["type"] != "missing" or not loc or loc[-1] not in PLACEHOLDERS:
                        continue
                    value = copy.deepcopy(PLACEHOLDERS[str(loc[-1])])
                    if _place(data, loc, value):
                        filled = True
                        report.synthesised(
                            join_path(*loc),
                            f"absent from the source; written only because {target} needs it",
                            value,
                        )
                if not filled:
                    return None, report
        return None, report

    def placeholder_paths(self, report: LossReport) -> tuple[str, ...]:
        return tuple(entry.path for entry in report.entries)


def settle(draft: Draft) -> Reading:
    """Take out the values the dataset refuses (each a SEVERE finding and a ``DROPPED`` entry)
    and build the model when nothing mandatory is missing."""
    data = draft.document
    model: CODocument | None = None
    for _ in range(_MAX_PASSES):
        try:
            model = CODocument.model_validate(data)
            break
        except ValidationError as exc:
            removed = False
            for error in sorted(exc.errors(), key=_loc_key, reverse=True):
                loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
                if error["type"] == "missing":
                    loc = _optional_element(loc)
                    if not loc:
                        continue
                found, value = _remove(data, loc)
                if not found:
                    continue
                removed = True
                path = join_path(*loc)
                code = _PYDANTIC_CODES.get(error["type"], error["type"])
                if not _CODE.fullmatch(code):
                    code = "SCHEMA-VALUE"
                why = (
                    f"incomplete ({error['loc'][-1]} is missing)"
                    if error["type"] == "missing"
                    else f"not a valid value: {error['msg']}"
                )
                draft.loss.dropped(path, why, value)
                draft.note(
                    Level.SEVERE,
                    code,
                    path,
                    f"The value read is {why}; it was left out.",
                    None,
                    value=_short(value),
                )
            if not removed:
                break
    reading = Reading(
        format=draft.format,
        document=data,
        model=model,
        loss=draft.loss,
        findings=[],
        sources=draft.sources,
        uncarried=draft.uncarried,
        integrity=draft.integrity,
    )
    reading.findings = reading.locate(draft.findings)
    return reading


def _loc_key(error: Any) -> tuple[tuple[int, str], ...]:
    """Errors deepest and last first, so removing one list element shifts no later index."""
    return tuple((p, "") if isinstance(p, int) else (-1, str(p)) for p in error["loc"])


def _optional_element(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """For a member missing inside an optional part (a measure without its value, an
    identifier without its scheme), that part: it is left out whole. Goods items and mandatory
    parts stay (their gaps are findings, and placeholders when a target needs a complete CO)."""
    optional = _optional_prefixes(loc)
    for end in range(len(loc) - 1, 0, -1):
        prefix = loc[:end]
        if isinstance(prefix[-1], int) and prefix[-2] == "goods_items":
            return ()
        if prefix in optional:
            return prefix
    return ()


def _optional_prefixes(loc: tuple[str | int, ...]) -> set[tuple[str | int, ...]]:
    """The prefixes of ``loc`` that name an optional member or an element of a list."""
    out: set[tuple[str | int, ...]] = set()
    cls: Any = CODocument
    for i, step in enumerate(loc):
        if isinstance(step, int):
            out.add(loc[: i + 1])
            continue
        fields = getattr(cls, "model_fields", None)
        if not fields or step not in fields:
            break
        info = fields[step]
        if not info.is_required():
            out.add(loc[: i + 1])
        cls = _model_of(info.annotation)
    return out


def _model_of(annotation: Any) -> Any:
    """The pydantic model inside ``X | None``, ``list[X]`` or ``dict[str, X]``, if any."""
    if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _short(value: Any) -> Any:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def _parent(data: Any, loc: tuple[str | int, ...]) -> Any:
    node = data
    for step in loc[:-1]:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return None
        elif not isinstance(node, dict) or step not in node:
            return None
        node = node[step]
    return node


def _remove(data: dict[str, Any], loc: tuple[str | int, ...]) -> tuple[bool, Any]:
    """Remove the member (or list element) at ``loc``; empty containers left behind go too."""
    if not loc:
        return False, None
    parent = _parent(data, loc)
    last = loc[-1]
    if isinstance(parent, dict) and isinstance(last, str) and last in parent:
        value: Any = parent.pop(last)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        value = parent[last]
        del parent[last]
    else:
        return False, None
    if not parent and len(loc) > 2:
        _remove(data, loc[:-1])
    return True, value


def _place(data: dict[str, Any], loc: tuple[str | int, ...], value: Any) -> bool:
    parent = _parent(data, loc)
    if isinstance(parent, dict) and isinstance(loc[-1], str):
        parent[loc[-1]] = value
        return True
    return False


def under(path: str, prefixes: Iterable[str]) -> bool:
    """True when ``path`` is one of ``prefixes`` or lies inside one."""
    return any(path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


def pointer(dollar_path: str) -> str:
    """A ``$.a.b[0]`` path as the JSON pointer ``/a/b/0`` (RFC 6901)."""
    out = ""
    for name, index in re.findall(r"\.([^.\[\]]+)|\[(\d+)\]", dollar_path):
        step = index if index else name.replace("~", "~0").replace("/", "~1")
        out += "/" + step
    return out or ""
