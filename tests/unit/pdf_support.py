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
