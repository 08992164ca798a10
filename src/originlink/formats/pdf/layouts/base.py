"""What a form layout is: where each numbered box sits, its printed wording, the items table,
the statements and the overleaf notes of the form annexed to an agreement.

A layout is data, not code: :mod:`..render` draws any of them, and the tests read the same
data to check that every box label of the form is on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

#: What a box holds. ``text``: a part of the CO (``content`` names it); ``header``: the form's
#: title, number and country of issue; ``reserved``: left blank for the importing customs (or,
#: on the back of an EUR.1, for the verification); ``declaration`` and ``certification``: the
#: form's statements with the signatures; ``ticks``: the form's tick boxes; ``static``: printed
#: wording only.
BoxKind = Literal["text", "header", "reserved", "declaration", "certification", "ticks", "static"]


@dataclass(frozen=True, slots=True)
class Box:
    number: str
    label: str
    x: float
    y: float
    w: float
    h: float
    kind: BoxKind = "text"
    #: For ``text`` boxes: the key of the text in :class:`~..form.FormContent`.
    content: str = ""
    #: ``reserved``: the printed wording, a tick box before each line starting with "□ ";
    #: ``text``: small print at the bottom of the box.
    options: tuple[str, ...] = ()
    #: Caption under the dotted signature line, when the box has one.
    caption: str = ""
    #: The markings (ISSUED RETROACTIVELY, CERTIFIED TRUE COPY...) are printed at its top.
    markings: bool = False

    @property
    def title(self) -> str:
        """The label as printed: ``"1. Goods consigned from (...)"``."""
        if self.number and self.label:
            return f"{self.number}. {self.label}"
        return self.number + "." if self.number and not self.label else self.label


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the items table: its box number, heading, width (mm) and item text key."""

    number: str
    heading: str
    width: float
    content: str

    @property
    def title(self) -> str:
        return f"{self.number}. {self.heading}" if self.number else self.heading


@dataclass(frozen=True, slots=True)
class Layout:
    """One paper form."""

    name: str
    #: Where the form comes from (the annex of the agreement, or the specimen used).
    source: str
    language: Literal["en", "es"]
    #: The header's lines, top to bottom (``{country}`` is the issuing country).
    title_lines: tuple[str, ...]
    number_label: str
    issued_in: str
    header_note: str
    short_title: str
    boxes: tuple[Box, ...]
    columns: tuple[Column, ...]
    items_top: float
    items_bottom: float
    #: Statement of the exporter: ``{produced_in}``, ``{exported_to}`` are filled in.
    declaration: str
    #: Statement of the issuing body (EUR.1: ``{authority}``, ``{issuing_country}``, ``{date}``).
    certification: str
    #: (flag, the form's wording) in the form's order.
    ticks: tuple[tuple[str, str], ...] = ()
    #: Box content keys that hold the transport prompts: (prompt, transport fact).
    transport_prompts: tuple[tuple[str, str], ...] = ()
    #: Where the exporter's remarks go on a form without a remarks box: after the last item.
    remarks_after_items: bool = False
    #: Footnotes printed under the boxes of page 1.
    footnotes: tuple[str, ...] = ()
    overleaf_title: str = "OVERLEAF NOTES"
    overleaf: tuple[str, ...] = ()
    #: Boxes printed on the back of the form (EUR.1: boxes 13 and 14).
    reverse: tuple[Box, ...] = ()
    #: The header line printed large (the form's name: "FORM D", "MOVEMENT CERTIFICATE").
    emphasis: int = 0
    #: Item limit printed on the form (CKFTA, ChAFTA: 20), or None.
    max_items: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def labels(self) -> list[str]:
        """Every box title and column heading of the form, as printed."""
        out = [box.title for box in self.boxes if box.title]
        out += [column.title for column in self.columns]
        out += [box.title for box in self.reverse if box.title]
        return out


#: The words of the certification box beside the QR code, per language.
SIGNED_WORDS = {
    "en": "Electronically signed by {authority} on {date}; check it at {address}",
    "es": "Firmado electrónicamente por {authority} el {date}; verifíquelo en {address}",
}
NO_ADDRESS_WORDS = {
    "en": "No public verification address is recorded for this certificate.",
    "es": "No hay dirección pública de verificación registrada para este certificado.",
}
#: The few words OriginLink adds around the CO's data in the signature boxes, per language.
SIGNATURE_WORDS = {
    "en": {"place_date": "Place and date", "signatory": "Signatory", "for": "for",
           "official": "Certifying official", "control": "Control code",
           "check": "Check it at {address}"},
    "es": {"place_date": "Lugar y fecha", "signatory": "Firmante", "for": "por",
           "official": "Funcionario certificante", "control": "Código de control",
           "check": "Verifíquelo en {address}"},
}  # fmt: skip
CONTINUATION_WORDS = {
    "en": (
        "CONTINUATION SHEET",
        "This sheet forms part of certificate No. {number}; the "
        "declaration and the certification on page 1 cover every item.",
    ),
    "es": (
        "HOJA DE CONTINUACIÓN",
        "Esta hoja forma parte del certificado N° {number}; la "
        "declaración y la certificación de la página 1 cubren todos los ítems.",
    ),
}
