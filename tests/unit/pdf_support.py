"""Helpers for the PDF tests: text and QR codes read back from rendered PDFs, a tiny font."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import zxingcpp
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

from originlink.domain.dataset import CODocument
from tests.conftest import load_example

BASE_URL = "https://verify.customs.example.sg"


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of each page, whitespace runs (line breaks of wrapped text) made one space."""
    document = pdfium.PdfDocument(data)
    return [
        " ".join(document[i].get_textpage().get_text_range().split()) for i in range(len(document))
    ]


def pdf_qr_codes(data: bytes, page: int = 0) -> list[str]:
    image = pdfium.PdfDocument(data)[page].render(scale=200 / 72).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def pdf_metadata(data: bytes) -> dict[str, str]:
    metadata: dict[str, str] = pdfium.PdfDocument(data).get_metadata_dict()
    return metadata


def example_doc(name: str = "valid/rcep-sg-jp-minimal.json", **changes: Any) -> CODocument:
    data = copy.deepcopy(load_example(name))
    data["certificate"].update(changes)
    return CODocument.model_validate(data)


def square_font(path: Path, characters: str) -> Path:
    """A TrueType font whose every glyph is a square, covering only ``characters``."""
    names = [".notdef"] + [f"uni{ord(ch):04X}" for ch in characters]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(ch): f"uni{ord(ch):04X}" for ch in characters})
    glyphs = {}
    for name in names:
        pen = TTGlyphPen(None)
        pen.moveTo((100, 0))
        pen.lineTo((100, 700))
        pen.lineTo((800, 700))
        pen.lineTo((800, 0))
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(dict.fromkeys(names, (900, 100)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "TestSquares", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path


#: The example CO of each form layout (its agreement's), rendered for the form tests and the
#: pictures in docs/forms/.
FORM_EXAMPLES = {
    "form-rcep": "valid/rcep-sg-jp-minimal.json",
    "form-d": "valid/atiga-sg-id-back-to-back-form-d.json",
    "form-e": "valid/acfta-vn-cn-third-party-invoicing-form-e.json",
    "form-ak": "valid/akfta-kr-vn-form-ak.json",
    "ckfta": "valid/ckfta-cn-kr.json",
    "chafta": "valid/chafta-au-cn-issued-retrospectively.json",
    "eur1": "valid/uk-al-gb-al-eur1.json",
    "mercosur": "valid/mercosur-ar-br-a18.json",
}
FORMS_DIR = Path(__file__).resolve().parents[2] / "docs" / "forms"
#: Resolution of the pictures in docs/forms/ (dots per inch).
FORM_DPI = 100


def render_form_example(layout: str) -> tuple[CODocument, Any]:
    """The example of ``layout`` rendered as a node would print it, at a fixed time."""
    from datetime import UTC, datetime

    from originlink.domain.profiles import bundled_profiles
    from originlink.services.issuing.rendering import render_document_pdf

    doc = CODocument.model_validate(load_example(FORM_EXAMPLES[layout]))
    result = render_document_pdf(
        doc,
        profiles=bundled_profiles(),
        public_base_url=BASE_URL,
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return doc, result.pdf


def page_image(data: bytes, page: int = 0, dpi: int = FORM_DPI) -> Any:
    """A page as a greyscale PIL image."""
    return pdfium.PdfDocument(data)[page].render(scale=dpi / 72, grayscale=True).to_pil()


def text_in_box(data: bytes, page: int, x: float, y: float, w: float, h: float) -> str:
    """The text inside a box given in millimetres from the top-left corner of an A4 page."""
    k = 72 / 25.4
    text_page = pdfium.PdfDocument(data)[page].get_textpage()
    found: str = text_page.get_text_bounded(
        left=x * k, bottom=(297 - y - h) * k, right=(x + w) * k, top=(297 - y) * k
    )
    return " ".join(found.split())
