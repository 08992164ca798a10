"""The words of the printed certificate: numbers, codes, parties, markings, tick boxes, and the
QR code's payload."""

from __future__ import annotations

from decimal import Decimal

import segno
import zxingcpp

from originlink.domain.dataset import CODocument
from originlink.domain.dataset.measures import Measure
from originlink.domain.profiles import bundled_profiles
from originlink.formats.pdf import qr_png, verification_payload, verification_url_for
from originlink.formats.pdf.content import hs_text, item_rows, measure_text, party_text
from originlink.formats.pdf.form import form_content, markings, tick_boxes
from tests.unit.pdf_support import example_doc

RCEP = bundled_profiles().require("RCEP")


def flagged(**flags: object) -> CODocument:
    data = example_doc().model_dump(mode="json", exclude_none=True)
    data["certificate"]["flags"] = flags
    return CODocument.model_validate(data)


def test_hs_codes_print_dotted() -> None:
    assert hs_text("848210") == "8482.10"
    assert hs_text("8482.10.00") == "8482.10.00"
    assert hs_text("84821000") == "8482.10.00"
    assert hs_text("8482100010") == "8482.10.00.10"


def test_measures_print_grouped_without_exponent() -> None:
    assert measure_text(Measure(value=Decimal("1200"), unit_code="H87")) == "1,200 H87"
    assert measure_text(Measure(value=Decimal("1E+3"), unit_code="KGM")) == "1,000 KGM"
    assert measure_text(Measure(value=Decimal("350.50"), unit_code="KGM")) == "350.50 KGM"


def test_a_party_prints_name_address_country_and_identifiers() -> None:
    party = example_doc().certificate.parties.exporter
    assert party_text(party).split("\n") == [
        "Example Precision Pte Ltd",
        "1 Example Way",
        "Singapore",
        "SINGAPORE",
        "SG:UEN 201912345K",
    ]


def test_item_rows_carry_every_column() -> None:
    (row,) = item_rows(example_doc().certificate)
    assert row.number == "1"
    assert row.marks == "N/M"
    assert row.description == "10 CARTON\nBall bearings, 10 cartons"
    assert (row.hs_code, row.criterion, row.origin) == ("8482.10", "RVC 45%", "SG")
    assert row.quantity == "1,200 H87\nG.W. 350.5 KGM\nFOB USD 18,250.00"
    assert row.invoice == "INV-88231\n2025-03-03"


def test_markings_use_the_profile_wording_and_defaults() -> None:
    doc = flagged(
        issued_retroactively=True,
        certified_true_copy=True,
        true_copy_issue_date="2025-04-01",
        back_to_back=True,
        third_party_invoicing=True,
    )
    assert markings(doc.certificate, None) == (
        "ISSUED RETROACTIVELY",
        "CERTIFIED TRUE COPY",
        "BACK-TO-BACK",
        "THIRD PARTY INVOICING",
    )
    rules = RCEP.rules
    assert rules.retroactive is not None
    custom = RCEP.model_copy(
        update={
            "rules": rules.model_copy(
                update={
                    "retroactive": rules.retroactive.model_copy(
                        update={"marking": "ISSUED RETROSPECTIVELY"}
                    )
                }
            )
        }
    )
    assert markings(doc.certificate, custom)[0] == "ISSUED RETROSPECTIVELY"


def test_an_official_remark_repeating_a_marking_is_not_printed_twice() -> None:
    data = flagged(issued_retroactively=True).model_dump(mode="json", exclude_none=True)
    data["certificate"]["official_remarks"] = ["ISSUED RETROACTIVELY", "Checked on site."]
    content = form_content(CODocument.model_validate(data), RCEP)
    assert content.markings == ("ISSUED RETROACTIVELY",)
    assert content.official_use == "Checked on site."


def test_tick_boxes_follow_the_profile_and_show_what_is_set() -> None:
    ticks = tick_boxes(flagged(back_to_back=True).certificate, RCEP)
    assert [(t.label, t.ticked) for t in ticks] == [
        ("Issued retroactively", False),
        ("Back-to-back", True),
        ("Third-party invoicing", False),
    ]
    extra = tick_boxes(flagged(exhibition=True).certificate, RCEP)
    assert ("Exhibition", True) in [(t.label, t.ticked) for t in extra]


def test_the_declaration_names_origin_agreement_and_destination() -> None:
    content = form_content(example_doc(), RCEP)
    assert "produced in SINGAPORE" in content.declaration
    assert "Regional Comprehensive Economic Partnership" in content.declaration
    assert "exported to JAPAN" in content.declaration
    assert content.form_title == "Form RCEP"
    assert content.issued_in == "Issued in SINGAPORE"


def test_the_verification_payload_adds_the_digest_once() -> None:
    url = verification_url_for("https://verify.example.org/", "SG", "RCEP-SG-2025-000123")
    assert url == "https://verify.example.org/verify/SG/RCEP-SG-2025-000123"
    assert verification_payload(url, "abc") == f"{url}?d=abc"
    assert verification_payload(f"{url}?d=old&lang=en", "new") == f"{url}?lang=en&d=new"


def test_the_qr_png_decodes_to_the_payload() -> None:
    payload = "https://verify.example.org/verify/SG/X-1?d=" + "A" * 43
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(qr_png(payload)))
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [payload]
    assert segno.make_qr(payload, error="m").error == "M"
