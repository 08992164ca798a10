"""Names in every script print as given: shaped where the script needs it, extractable from the
PDF character for character; a character no font has is an error naming it unless allowed,
and then never dropped silently (replacement character, count, keywords, notice, log line)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import bundled_profiles
from originlink.formats.pdf import MissingGlyphs, render_certificate
from originlink.formats.pdf.fonts import SYSTEM_FACES
from tests.unit.pdf_support import example_doc, pdf_metadata, pdf_pages_text, square_font

RCEP = bundled_profiles().require("RCEP")
#: One company name per script the issue names (scripts of the RCEP, ASEAN and CKFTA parties).
SAMPLES = {
    "Chinese": "上海进出口贸易有限公司",
    "Japanese": "株式会社サンプル商事",
    "Korean": "한국무역주식회사",
    "Thai": "บริษัท สยามการค้า จำกัด",
    "Khmer": "ក្រុមហ៊ុន ពាណិជ្ជកម្ម កម្ពុជា",
    "Lao": "ບໍລິສັດ ການຄ້າ ລາວ ຈຳກັດ",
    "Myanmar": "မြန်မာ ကုန်သွယ်ရေး ကုမ္ပဏီ",
    "Vietnamese": "Công ty TNHH Xuất nhập khẩu Nguyễn Văn Ánh",
}


def with_names(exporter: str, importer: str) -> CODocument:
    data = example_doc().model_dump(mode="json", exclude_none=True)
    data["certificate"]["parties"]["exporter"]["name"] = exporter
    data["certificate"]["parties"]["importer"]["name"] = importer
    return CODocument.model_validate(data)


def require_system_fonts() -> None:
    missing = [str(face.path) for face in SYSTEM_FACES if not face.path.is_file()]
    assert not missing, f"fonts missing: {missing}; run scripts/ensure-fonts.sh (make test does)"


@pytest.mark.parametrize("script", sorted(SAMPLES))
def test_each_scripts_sample_name_is_extracted_exactly_as_given(script: str) -> None:
    require_system_fonts()
    name = SAMPLES[script]
    address = f"{name} {script}"
    pdf = render_certificate(with_names(name, address), profile=RCEP)
    assert pdf.missing_characters == {}
    text = pdf_pages_text(pdf.data)[0]
    assert name in text
    assert address in text


def test_han_takes_the_japanese_korean_or_chinese_face_by_the_text_around_it() -> None:
    require_system_fonts()
    japanese = render_certificate(with_names("大阪商事 カブシキガイシャ", "Importer"), profile=RCEP)
    korean = render_certificate(with_names("大韓 무역", "Importer"), profile=RCEP)
    chinese = render_certificate(with_names("大连贸易", "Importer"), profile=RCEP)
    assert b"NotoSansCJKJP" in japanese.data and b"NotoSansCJKSC" not in japanese.data
    assert b"NotoSansCJKKR" in korean.data
    assert b"NotoSansCJKSC" in chinese.data


def test_a_long_name_without_spaces_is_broken_between_clusters_and_kept_whole() -> None:
    require_system_fonts()
    long_name = "ក្រុមហ៊ុនពាណិជ្ជកម្មកម្ពុជា" * 4 + " 上海进出口贸易有限公司" * 4
    pdf = render_certificate(with_names(long_name, "Importer"), profile=RCEP)
    text = "".join(pdf_pages_text(pdf.data)[0].split())
    assert "".join(long_name.split()) in text


@pytest.mark.parametrize(
    "name",
    [
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


def test_a_character_no_font_has_is_an_error_naming_it() -> None:
    with pytest.raises(MissingGlyphs) as info:
        render_certificate(with_names("Exporter \ue000", "Importer \U000f0001"))
    message = info.value.one_line()
    assert message.startswith("MISSING_GLYPHS")
    assert "U+E000" in message and "U+F0001" in message
    assert info.value.exit_code == 1 and info.value.http_status == 422


def test_allowed_missing_glyphs_are_replaced_visibly_and_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="originlink.formats.pdf"):
        pdf = render_certificate(
            with_names("Exporter \ue000\ue001", "Importer KK"), allow_missing_glyphs=True
        )
    assert pdf.missing_characters == {"\ue000": 2, "\ue001": 2}  # box 1 and box 13
    text = pdf_pages_text(pdf.data)[0]
    assert "Exporter \ufffd\ufffd" in text
    assert "could not be shown with the embedded fonts" in text
    assert "missing-glyphs=U+E000 U+E001" in pdf_metadata(pdf.data)["Keywords"]
    assert "U+E000" in caplog.text and "RCEP-SG-2025-000123" in caplog.text


def test_a_fallback_font_covers_what_the_others_lack(tmp_path: Path) -> None:
    font = square_font(tmp_path / "squares.ttf", "\ue000\ue001")
    pdf = render_certificate(
        with_names("Exporter \ue000\ue001 Ltd", "Importer KK"), fallback_fonts=(font,)
    )
    assert pdf.missing_characters == {}
    text = pdf_pages_text(pdf.data)[0]
    assert "Exporter \ue000\ue001 Ltd" in text
    assert "could not be shown" not in text


def test_a_missing_or_broken_fallback_font_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        render_certificate(example_doc(), fallback_fonts=(tmp_path / "nope.ttf",))
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    with pytest.raises(ConfigurationError, match="not a usable"):
        render_certificate(example_doc(), fallback_fonts=(broken,))
