"""What a conversion could not carry over (``dataset.md`` §12).

Every converter returns its result together with a :class:`LossReport`: one :class:`LossEntry`
per field that had no home in the target (``DROPPED``), was carried with less precision
(``DEGRADED``: coded → text, per item → per group, time zone lost, later values cut), was filled
from another field (``DERIVED``) or was written only because the target requires the element
(``SYNTHESISED``). A report is *lossy* when it has a ``DROPPED`` or ``DEGRADED`` entry; strict
mode refuses exactly those.

Paths: a canonical field is named relative to the CO document (``certificate.flags.exhibition``,
``certificate.goods_items[0].packages.marks``, ``signatures.issuing_authority``); a source or
target element that has no canonical field is named in its own syntax (an XPath for XML, a
``$.``-path for edi3 JSON).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from originlink.domain.errors import LossyConversionRefused
from originlink.domain.findings import Finding, Level

T = TypeVar("T")


class LossKind(StrEnum):
    DROPPED = "DROPPED"
    DEGRADED = "DEGRADED"
    DERIVED = "DERIVED"
    SYNTHESISED = "SYNTHESISED"


#: Kinds that make a report lossy and that strict mode refuses.
LOSSY_KINDS = frozenset({LossKind.DROPPED, LossKind.DEGRADED})


def _json_ready(value: Any) -> Any:
    """Values are reported as JSON data; anything else (Decimal, date, enum) as its text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    return str(value)


@dataclass(frozen=True, slots=True)
class LossEntry:
    kind: LossKind
    path: str
    detail: str
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "path": self.path, "detail": self.detail}
        if self.value is not None:
            out["value"] = _json_ready(self.value)
        return out

    def one_line(self) -> str:
        shown = _json_ready(self.value)
        text = "" if shown is None else f" [{str(shown)[:80]}]"
        return f"{self.kind.value:<11} {self.path}: {self.detail}{text}"


@dataclass(slots=True)
class LossReport:
    """The entries of one conversion, in the order the converter met them."""

    entries: list[LossEntry] = field(default_factory=list)

    def add(self, kind: LossKind, path: str, detail: str, value: Any = None) -> None:
        self.entries.append(LossEntry(kind, path, detail, value))

    def dropped(self, path: str, detail: str, value: Any = None) -> None:
        self.add(LossKind.DROPPED, path, detail, value)

    def degraded(self, path: str, detail: str, value: Any = None) -> None:
        self.add(LossKind.DEGRADED, path, detail, value)

    def derived(self, path: str, detail: str, value: Any = None) -> None:
        self.add(LossKind.DERIVED, path, detail, value)

    def synthesised(self, path: str, detail: str, value: Any = None) -> None:
        self.add(LossKind.SYNTHESISED, path, detail, value)

    def extend(self, other: LossReport) -> None:
        self.entries.extend(other.entries)

    def __iter__(self) -> Iterator[LossEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def lossy(self) -> bool:
        return any(e.kind in LOSSY_KINDS for e in self.entries)

    def of_kind(self, *kinds: LossKind) -> list[LossEntry]:
        return [e for e in self.entries if e.kind in kinds]

    def paths(self, *kinds: LossKind) -> list[str]:
        wanted = kinds or tuple(LossKind)
        return [e.path for e in self.entries if e.kind in wanted]

    def counts(self) -> dict[str, int]:
        out = {kind.value: 0 for kind in LossKind}
        for entry in self.entries:
            out[entry.kind.value] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "lossy": self.lossy,
            "counts": self.counts(),
            "entries": [e.as_dict() for e in self.entries],
        }

    def findings(self) -> list[Finding]:
        """The lossy entries as SEVERE findings (what strict mode refuses)."""
        return [
            Finding(
                level=Level.SEVERE,
                path=e.path,
                code=f"CONVERSION-{e.kind.value}",
                message=e.detail,
                area="conversion",
            )
            for e in self.entries
            if e.kind in LOSSY_KINDS
        ]

    def refuse_if_lossy(self, what: str) -> None:
        """Strict mode: raise :class:`LossyConversionRefused` listing every loss."""
        if not self.lossy:
            return
        findings = self.findings()
        first = findings[0]
        more = f" and {len(findings) - 1} more" if len(findings) > 1 else ""
        raise LossyConversionRefused(
            f"{what} would lose data: {first.path} ({first.message}){more}",
            findings,
            loss_report=self.as_dict(),
        )


@dataclass(frozen=True, slots=True)
class Conversion(Generic[T]):
    """A converted value and what the conversion lost."""

    result: T
    loss: LossReport
    #: Canonical fields the source format has no place for (see ``ValidationContext``).
    uncarried: frozenset[str] = frozenset()


def merged(reports: Iterable[LossReport]) -> LossReport:
    out = LossReport()
    for report in reports:
        out.extend(report)
    return out
