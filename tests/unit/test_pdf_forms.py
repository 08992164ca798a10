"""Each agreement prints in its own form: the form's box labels and numbering on the page, its
overleaf notes on the back, the boxes of the importing customs left blank, the QR code
readable, and page one within a tolerance of the committed picture in docs/forms/.

To refresh the pictures after a deliberate change of a layout, run this module with
``ORIGINLINK_UPDATE_FORM_IMAGES=1`` and look at every picture before committing it.
"""

from __future__ import annotations

import os

import pytest
from PIL import Image, ImageChops

from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import bundled_profiles, parse_profile
from originlink.formats.pdf import LAYOUTS, layout_named, verification_payload
from originlink.trust.digests import certificate_digest
from tests.unit.pdf_support import (
    BASE_URL,
    FORM_EXAMPLES,
    FORMS_DIR,
    page_image,
    pdf_pages_text,
    pdf_qr_codes,
    render_form_example,
    text_in_box,
)

FORMS = sorted(FORM_EXAMPLES)
#: Greyscale difference (0-255) above which a pixel counts as changed, and the share of
#: changed pixels a page may have (anti-aliasing, not a moved box or a changed word).
PIXEL_THRESHOLD = 64
CHANGED_SHARE = 0.002


def test_every_bundled_agreement_names_a_layout_that_exists_with_its_source() -> None:
    named = {}
    for profile in bundled_profiles():
        assert profile.form is not None, profile.code
        assert profile.form.source.strip()
        assert profile.layout in LAYOUTS, profile.layout
        named[profile.layout] = profile.code
    assert sorted(named) == FORMS


def test_a_profile_layout_name_is_checked() -> None:
    text = (FORMS_DIR.parents[1] / "src/originlink/reference/data/agreements/rcep.toml").read_text(
        "utf-8"
    )
    bad = text.replace('layout = "form-rcep"', 'layout = "Form RCEP!"')
    with pytest.raises(ConfigurationError, match=r"form\.layout"):
        parse_profile(bad, origin="rcep.toml")
    with pytest.raises(KeyError, match="unknown form layout 'nope'"):
        layout_named("nope")


@pytest.mark.parametrize("layout_name", FORMS)
def test_the_forms_box_labels_numbering_and_notes_are_printed(layout_name: str) -> None:
    _, pdf = render_form_example(layout_name)
    layout = layout_named(layout_name)
    pages = pdf_pages_text(pdf.data)
    face = pages[0]
    for box in layout.boxes:
        if box.title:
            assert " ".join(box.title.split()) in face, box.title
    for column in layout.columns:
        assert " ".join(column.title.split()) in face, column.title
    for line in layout.title_lines:
        assert line in face, line
    back = pages[1]
    assert layout.overleaf_title in back
    for paragraph in layout.overleaf:
        assert " ".join(paragraph.split())[:60] in back, paragraph[:40]
    for box in layout.reverse:
        assert box.title in back, box.title
    for _, label in layout.ticks:
        assert label in face, label


#: The forms with boxes for the customs (CKFTA and MERCOSUR print none).
WITH_RESERVED = [
    name
    for name in FORMS
    if layout_named(name).reverse or any(b.kind == "reserved" for b in layout_named(name).boxes)
]


@pytest.mark.parametrize("layout_name", WITH_RESERVED)
def test_boxes_for_the_importing_customs_are_left_blank(layout_name: str) -> None:
    _, pdf = render_form_example(layout_name)
    layout = layout_named(layout_name)
    reserved = [(0, box) for box in layout.boxes if box.kind == "reserved"]
    reserved += [(1, box) for box in layout.reverse]
    for page, box in reserved:
        found = text_in_box(pdf.data, page, box.x + 0.3, box.y + 0.3, box.w - 0.6, box.h - 0.6)
        assert box.title in found
        printed = " ".join([box.title, *box.options, box.caption]).replace("□ ", "")
        for word in found.split():
            assert word in printed, (box.title, word)


@pytest.mark.parametrize("layout_name", FORMS)
def test_the_qr_code_of_each_form_decodes_to_the_verification_address(layout_name: str) -> None:
    doc, pdf = render_form_example(layout_name)
    cert = doc.certificate
    url = f"{BASE_URL}/verify/{cert.issuing_country}/{cert.certificate_number}"
    certification = cert.declarations.certification if cert.declarations else None
    if certification is not None and certification.verification_url:
        url = certification.verification_url
    expected = verification_payload(url, certificate_digest(cert))
    assert pdf_qr_codes(pdf.data) == [expected]
    face = " ".join(pdf_pages_text(pdf.data)[0].split())
    authority = cert.parties.issuing_authority.name
    if layout_named(layout_name).language == "en":
        assert f"Electronically signed by {authority} on" in face
    else:
        assert f"Firmado electrónicamente por {authority} el" in face


@pytest.mark.parametrize("layout_name", FORMS)
def test_page_one_matches_the_committed_picture(layout_name: str) -> None:
    _, pdf = render_form_example(layout_name)
    image = page_image(pdf.data)
    reference = FORMS_DIR / f"{layout_name}.png"
    if os.environ.get("ORIGINLINK_UPDATE_FORM_IMAGES") == "1":
        image.save(reference, optimize=True)
    expected = Image.open(reference).convert("L")
    assert expected.size == image.size
    difference = ImageChops.difference(image.convert("L"), expected)
    histogram = difference.histogram()
    changed = sum(histogram[PIXEL_THRESHOLD:])
    share = changed / (image.size[0] * image.size[1])
    assert share <= CHANGED_SHARE, f"{layout_name}: {share:.4%} of the page changed"
