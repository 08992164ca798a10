"""The printed certificate: every example renders, with its number, markings and QR code."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.profiles import bundled_profiles
from originlink.formats.pdf import layout_named, render_certificate, verification_payload
from originlink.services.issuing.rendering import render_document_pdf
from originlink.trust.digests import certificate_digest
from tests.conftest import EXAMPLES, load_example
from tests.unit.pdf_support import BASE_URL, example_doc, pdf_metadata, pdf_pages_text, pdf_qr_codes

VALID = sorted(p.name for p in (EXAMPLES / "valid").glob("*.json"))
PROFILES = bundled_profiles()


@pytest.mark.parametrize("name", VALID)
def test_every_valid_example_renders_with_its_number_markings_and_qr(name: str) -> None:
    doc = CODocument.model_validate(load_example(f"valid/{name}"))
    result = render_document_pdf(doc, profiles=PROFILES, public_base_url=BASE_URL)
    pdf = result.pdf
    text = pdf_pages_text(pdf.data)
    cert = doc.certificate
    assert pdf.data.startswith(b"%PDF-")
    assert cert.certificate_number and cert.certificate_number in text[0]
    profile = PROFILES.get(cert.agreement_code or "")
    layout = layout_named(profile.layout if profile else None)
    for line in layout.title_lines:
        assert line.format(agreement="")[:20] in text[0]
    for flag, words in (
        ("issued_retroactively", "RETRO"),
        ("certified_true_copy", "CERTIFIED TRUE COPY"),
        ("back_to_back", "BACK-TO-BACK"),
        ("third_party_invoicing", "THIRD PARTY INVOICING"),
    ):
        if cert.flag(flag):
            assert words in text[0].upper(), flag
    for item in cert.goods_items:
        assert any(" ".join(item.description.split())[:20] in page for page in text)
    expected = verification_payload(
        f"{BASE_URL}/verify/{cert.issuing_country}/{cert.certificate_number}"
        if not (
            cert.declarations
            and cert.declarations.certification
            and cert.declarations.certification.verification_url
        )
        else cert.declarations.certification.verification_url,
        certificate_digest(cert),
    )
    assert pdf.qr_payload == expected
    assert pdf_qr_codes(pdf.data) == [expected]
    assert pdf.missing_characters == {}


def test_the_qr_code_holds_the_verification_url_and_the_co_digest() -> None:
    doc = example_doc()
    digest = certificate_digest(doc.certificate)
    pdf = render_certificate(
        doc, verification_url=f"{BASE_URL}/verify/SG/RCEP-SG-2025-000123", digest=digest
    )
    assert pdf_qr_codes(pdf.data) == [f"{BASE_URL}/verify/SG/RCEP-SG-2025-000123?d={digest}"]
    assert f"digest {digest}" in pdf_pages_text(pdf.data)[0]


def test_without_a_verification_url_there_is_no_qr_and_the_form_says_so() -> None:
    pdf = render_certificate(example_doc(), digest="x" * 43)
    assert pdf.qr_payload is None
    assert pdf_qr_codes(pdf.data) == []
    assert "No public verification address" in pdf_pages_text(pdf.data)[0]


def test_form_rcep_carries_the_co_in_its_boxes() -> None:
    text = pdf_pages_text(render_certificate(example_doc(), profile=PROFILES.get("RCEP")).data)[0]
    for content in (
        "Example Precision Pte Ltd",
        "SAME AS EXPORTER",
        "Example Trading KK",
        "Singapore (SGSIN)",
        "8482.10",
        "RVC 45%",
        "FOB USD 18,250.00",
        "INV-88231",
        "A. Officer",
        "Singapore Customs",
        "Issued in SINGAPORE (Country)",
        "Regional Comprehensive Economic Partnership",
        "1,200 pieces G.W. 350.5 kg",
        "Port of Discharge: Osaka (JPOSA)",
    ):
        assert content in text, content


@pytest.mark.parametrize("status", ["CANCELLED", "REPLACED", "EXPIRED"])
def test_a_co_that_is_not_issued_carries_its_status_as_a_watermark_on_every_page(
    status: str,
) -> None:
    doc = example_doc()
    many = doc.model_dump(mode="json", exclude_none=True)
    item = many["certificate"]["goods_items"][0]
    many["certificate"]["goods_items"] = [{**item, "sequence_number": n} for n in range(1, 30)]
    pdf = render_certificate(CODocument.model_validate(many), status=status)
    pages = pdf_pages_text(pdf.data)
    assert len(pages) > 1
    assert all(status in page for page in pages)
    assert pdf_metadata(pdf.data)["Subject"].endswith(f"status {status}")


def test_an_issued_co_has_no_watermark() -> None:
    text = pdf_pages_text(render_certificate(example_doc()).data)[0]
    for word in ("CANCELLED", "REPLACED", "EXPIRED"):
        assert word not in text


def test_many_items_continue_on_sheets_that_repeat_number_and_qr_with_page_x_of_y() -> None:
    doc = example_doc()
    data = doc.model_dump(mode="json", exclude_none=True)
    item = data["certificate"]["goods_items"][0]
    data["certificate"]["goods_items"] = [
        {**item, "sequence_number": n, "description": f"Ball bearings lot {n:03d}"}
        for n in range(1, 61)
    ]
    many = CODocument.model_validate(data)
    digest = certificate_digest(many.certificate)
    pdf = render_certificate(many, verification_url=f"{BASE_URL}/verify/SG/X", digest=digest)
    pages = pdf_pages_text(pdf.data)
    total = len(pages)
    assert total == pdf.pages >= 3
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {total}" in page
        assert "RCEP-SG-2025-000123" in page
    for page_number in range(1, total):
        assert "CONTINUATION SHEET" in pages[page_number]
        assert pdf_qr_codes(pdf.data, page_number) == [pdf.qr_payload]
    assert "Continued on the next sheet" in pages[0]
    everything = "\n".join(pages)
    assert all(f"Ball bearings lot {n:03d}" in everything for n in range(1, 61))
    assert everything.count("*** NO FURTHER ITEMS ***") == 1
    assert "*** NO FURTHER ITEMS ***" in pages[-1]


def test_text_too_long_for_its_box_continues_on_a_sheet_and_is_never_cut() -> None:
    doc = example_doc()
    data = doc.model_dump(mode="json", exclude_none=True)
    lines = [f"Building {n}, Very Long Industrial Estate Road, Sector {n}" for n in range(1, 5)]
    data["certificate"]["parties"]["exporter"]["address"]["lines"] = lines
    data["certificate"]["remarks"] = [f"Remark number {n}: " + "details " * 30 for n in range(8)]
    pdf = render_certificate(CODocument.model_validate(data), profile=PROFILES.get("RCEP"))
    pages = pdf_pages_text(pdf.data)
    assert pdf.pages == 3  # the face, its overleaf notes, one continuation sheet
    assert "continued on the continuation sheet (Box 14)" in pages[0]
    assert "OVERLEAF NOTES" in pages[1]
    assert "CONTINUATION SHEET" in pages[2] and "Box 14 (continued)" in pages[2]
    everything = " ".join(" ".join(pages).split())
    for n in range(8):
        assert f"Remark number {n}:" in everything


def test_a_description_taller_than_a_page_is_split_across_sheets() -> None:
    data = example_doc().model_dump(mode="json", exclude_none=True)
    item = data["certificate"]["goods_items"][0]
    words = " ".join(f"w{n:04d}" for n in range(340))  # 2,039 characters, the dataset's limit
    data["certificate"]["goods_items"] = [
        {**item, "sequence_number": 1, "description": words},
        {**item, "sequence_number": 2, "description": words},
    ]
    pdf = render_certificate(CODocument.model_validate(data))
    everything = " ".join(" ".join(pdf_pages_text(pdf.data)).split())
    assert all(f"w{n:04d}" in everything for n in range(340))
    assert "(cont.)" in everything or pdf.pages >= 2


def test_metadata_names_the_certificate_and_its_digest() -> None:
    doc = example_doc()
    digest = certificate_digest(doc.certificate)
    metadata = pdf_metadata(render_certificate(doc, digest=digest).data)
    assert metadata["Title"] == "Certificate of Origin certificate of origin RCEP-SG-2025-000123"
    assert metadata["Author"] == "Singapore Customs"
    assert f"digest={digest}" in metadata["Keywords"]
    assert metadata["CreationDate"].startswith("D:20250304091500")


def test_rendering_is_deterministic_for_the_same_input_and_time() -> None:
    doc = example_doc()
    when = datetime(2025, 3, 4, tzinfo=UTC)
    first = render_certificate(doc, created_at=when).data
    assert render_certificate(doc, created_at=when).data == first


def test_a_draft_renders_unnumbered_and_watermarked(tmp_path: Path) -> None:
    data = example_doc().model_dump(mode="json", exclude_none=True)
    cert = data["certificate"]
    for member in ("certificate_number", "issue_datetime"):
        cert.pop(member)
    cert["status"] = "DRAFT"
    cert["parties"].pop("certifying_official")
    pdf = render_certificate(
        CODocument.model_validate(data), digest="d" * 43, verification_url=f"{BASE_URL}/verify/SG/X"
    )
    text = pdf_pages_text(pdf.data)[0]
    assert "(not yet numbered)" in text
    assert "DRAFT" in text
