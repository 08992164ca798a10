"""Reading untrusted edi3-shaped JSON leniently: typed access with ``$``-paths, aliases.

One reader serves three forms of the same data: the edi3 schema's (``iD``, ``exporter``), the
IGL trade portal's (``id``, ``consignor``) and the one TradeTrust wraps in OpenAttestation. A
:class:`Json` is told the *aliases* its form uses; every path it reports names the member as
the source spells it, under the source's root (``$``, ``$.data``, ``$.certificateOfOrigin``).

A member of the wrong JSON type is not a reason to refuse the document: it is reported
``DROPPED`` and as a SEVERE finding with its JSON pointer, and reading goes on without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from originlink.domain.findings import Level
from originlink.domain.profiles import AgreementProfile, ProfileRegistry
from originlink.formats.reading import Draft, pointer

#: The IGL trade portal's spelling of edi3 members (its API uses lower-case ``id`` and
#: names the exporter and importer after the consignment's consignor and consignee).
IGL_ALIASES: dict[str, tuple[str, ...]] = {
    "iD": ("iD", "id"),
    "exporter": ("exporter", "consignor"),
    "importer": ("importer", "consignee"),
    "uRI": ("uRI", "uri"),
    "mIMECode": ("mIMECode", "mimeCode"),
}

_JSON_TYPE = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    return _JSON_TYPE.get(type(value), type(value).__name__)


class Json:
    """Typed, alias-aware access to one source document; problems go to the draft."""

    def __init__(
        self, draft: Draft, *, aliases: dict[str, tuple[str, ...]] | None = None, label: str
    ) -> None:
        self.draft = draft
        self.aliases = aliases or {}
        self.label = label
        #: True once a member was left out: the source is then kept whole as an attachment
        self.left_out = False

    def key(self, node: dict[str, Any], key: str) -> str:
        """The spelling of ``key`` that ``node`` uses (``key`` itself when absent)."""
        for name in self.aliases.get(key, (key,)):
            if name in node:
                return name
        return key

    def path(self, path: str, node: dict[str, Any], key: str) -> str:
        return f"{path}.{self.key(node, key)}"

    def get(self, node: dict[str, Any], key: str, kind: type | tuple[type, ...], path: str) -> Any:
        name = self.key(node, key)
        value = node.get(name)
        if value is None:
            return None
        wrong = isinstance(value, bool) and kind is not bool and bool not in _kinds(kind)
        if wrong or not isinstance(value, kind):
            where = f"{path}.{name}"
            expected = " or ".join(sorted({_JSON_TYPE.get(k, k.__name__) for k in _kinds(kind)}))
            self.draft.loss.dropped(where, f"{json_type(value)} where {expected} belongs", value)
            self.draft.note(
                Level.SEVERE,
                "READ-TYPE",
                where,
                f"{where} is {json_type(value)} where {self.label} has {expected}; "
                "it was left out.",
                pointer(where),
            )
            self.left_out = True
            return None
        return value

    def obj(self, node: dict[str, Any], key: str, path: str) -> dict[str, Any]:
        return self.get(node, key, dict, path) or {}

    def items(self, node: dict[str, Any], key: str, path: str) -> list[tuple[str, dict[str, Any]]]:
        """The objects of an array member with their paths; other elements are reported."""
        out = []
        base = self.path(path, node, key)
        for index, element in enumerate(self.get(node, key, list, path) or []):
            where = f"{base}[{index}]"
            if isinstance(element, dict):
                out.append((where, element))
                continue
            self.draft.loss.dropped(where, f"{json_type(element)} where an object belongs", element)
            self.draft.note(
                Level.SEVERE,
                "READ-TYPE",
                where,
                f"{where} is {json_type(element)} where {self.label} has an object; "
                "it was left out.",
                pointer(where),
            )
            self.left_out = True
        return out

    def text(self, node: dict[str, Any], key: str, path: str) -> str | None:
        value = self.get(node, key, str, path)
        return value.strip() or None if value is not None else None

    def unknown(self, node: dict[str, Any], known: frozenset[str], path: str) -> None:
        """Members the form does not define: ``DROPPED`` (and kept in the source attachment)."""
        spellings = {name for key in known for name in self.aliases.get(key, (key,))}
        for key, value in node.items():
            if key not in spellings:
                self.draft.loss.dropped(
                    f"{path}.{key}",
                    f"not a member of {self.label}; kept in the source_document attachment",
                    value,
                )
                self.left_out = True

    def missing(self, path: str, key: str, why: str, canonical: str) -> None:
        """A member the source form requires is absent: a WARNING with its place."""
        where = f"{path}.{key}"
        self.draft.note(
            Level.WARNING,
            "READ-MISSING",
            canonical,
            f"{where} is missing ({why}).",
            pointer(where),
        )


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


@dataclass
class ReadState:
    """What the edi3 reading steps share: the source access, the canonical data being built,
    the agreement profile once known."""

    js: Json
    profiles: ProfileRegistry
    root: str
    cert: dict[str, Any] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    profile: AgreementProfile | None = None

    @property
    def draft(self) -> Draft:
        return self.js.draft

    def source(self, canonical: str, path: str) -> None:
        """Remember that ``canonical`` was read from ``path`` (a ``$``-path)."""
        self.draft.sources[canonical] = pointer(path)
