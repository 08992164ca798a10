"""Names in any script print without breaking; what the fonts cannot show is never dropped
silently (replacement character, count, PDF keywords, a notice on the page, a log line)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.errors import ConfigurationError
from originlink.formats.pdf import render_certificate
from tests.unit.pdf_support import example_doc, pdf_metadata, pdf_pages_text, square_font


def with_names(exporter: str, importer: str) -> CODocument:
    data = example_doc().model_dump(mode="json", exclude_none=True)
    data["certificate"]["parties"]["exporter"]["name"] = exporter
    data["certificate"]["parties"]["importer"]["name"] = importer
    return CODocument.model_validate(data)


@pytest.mark.parametrize(
    "name",
    [
        "Công ty TNHH Xuất nhập khẩu Nguyễn Văn Ánh",  # Vietnamese
        "Ωμέγα Εμπορική Α.Ε.",  # Greek
        "ООО «Жук и Партнёры»",  # Cyrillic
        "Łódź Spółka z o.o. — Ærø Øst",  # Latin Extended
    ],
)
def test_latin_greek_and_cyrillic_names_print_exactly(name: str) -> None:
    pdf = render_certificate(with_names(name, "Importer KK"))
    assert pdf.missing_characters == {}
    assert name in pdf_pages_text(pdf.data)[0]


def test_arabic_names_are_shaped_and_kept() -> None:
    pdf = render_certificate(with_names("شركة محمد للتجارة", "Importer KK"))
    assert pdf.missing_characters == {}
    text = pdf_pages_text(pdf.data)[0]
    for word in ("شركة", "محمد", "للتجارة"):
        assert word in text


def test_cjk_without_a_covering_font_is_replaced_visibly_and_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="originlink.formats.pdf"):
        pdf = render_certificate(with_names("中国进出口公司", "Importer KK"))
    assert pdf.missing_characters == dict.fromkeys("中国进出口公司", 2)  # box 1 and box 15
    text = pdf_pages_text(pdf.data)[0]
    assert "\ufffd" * 7 in text
    assert "could not be shown with the embedded fonts" in text
    keywords = pdf_metadata(pdf.data)["Keywords"]
    assert "missing-glyphs=U+4E2D U+516C U+51FA U+53E3 U+53F8 U+56FD U+8FDB" in keywords
    assert "U+4E2D" in caplog.text and "RCEP-SG-2025-000123" in caplog.text


def test_a_fallback_font_covers_what_the_bundled_font_lacks(tmp_path: Path) -> None:
    font = square_font(tmp_path / "squares.ttf", "中国公司")
    pdf = render_certificate(with_names("中国公司 Ltd", "Importer KK"), fallback_fonts=(font,))
    assert pdf.missing_characters == {}
    text = pdf_pages_text(pdf.data)[0]
    assert "中国公司 Ltd" in text
    assert "could not be shown" not in text


def test_a_missing_or_broken_fallback_font_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        render_certificate(example_doc(), fallback_fonts=(tmp_path / "nope.ttf",))
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    with pytest.raises(ConfigurationError, match="not a usable"):
        render_certificate(example_doc(), fallback_fonts=(broken,))
