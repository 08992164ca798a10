"""The words of the printed certificate: numbers, units and countries in words, parties,
markings, tick boxes, the certification's plain words, and the QR code's payload."""

from __future__ import annotations

from decimal import Decimal

import segno
import zxingcpp

from originlink.domain.dataset import CODocument
from originlink.domain.dataset.measures import Measure
from originlink.domain.profiles import bundled_profiles
from originlink.formats.pdf import qr_png, verification_payload, verification_url_for
from originlink.formats.pdf.content import hs_text, item_rows, measure_text, party_text
from originlink.formats.pdf.form import form_content, tick_boxes
from originlink.formats.pdf.layouts import layout_named
from originlink.formats.pdf.markings import MARKING_WORDS, markings
from originlink.formats.pdf.units import country_words, unit_words
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


def test_measures_print_grouped_without_exponent_with_the_unit_in_words() -> None:
    assert measure_text(Measure(value=Decimal("1200"), unit_code="H87")) == "1,200 pieces"
    assert measure_text(Measure(value=Decimal("1E+3"), unit_code="KGM")) == "1,000 kg"
    assert measure_text(Measure(value=Decimal("350.50"), unit_code="KGM")) == "350.50 kg"


def test_units_read_as_rec_20_symbols_or_names() -> None:
    assert [unit_words(code) for code in ("KGM", "TNE", "LTR", "MTQ", "GRM")] == [
        "kg", "t", "l", "m³", "g",
    ]  # fmt: skip
    assert unit_words("H87", Decimal(1)) == "piece"
    assert unit_words("H87", Decimal(2)) == "pieces"
    assert unit_words("PR") == "pairs"
    assert unit_words("NAR") == "articles"
    assert unit_words("C62") == "units"
    assert unit_words("DZN") == "dozen"
    assert unit_words("GLL") == "gallons (US)"
    assert unit_words("ZZZ") == "ZZZ"  # not in Rec 20: printed as given


def test_countries_read_by_the_names_forms_use() -> None:
    assert country_words("VN") == "VIET NAM"
    assert country_words("KR") == "REPUBLIC OF KOREA"
    assert country_words("LA") == "LAO PDR"
    assert country_words("SG") == "SINGAPORE"


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
    assert row.cell("marks") == "N/M"
    assert row.cell("description") == "10 CARTON\nBall bearings, 10 cartons"
    assert row.cell("description_hs") == "10 CARTON\nBall bearings, 10 cartons\nHS 8482.10"
    assert row.cell("eur1_goods") == "1. N/M; 10 CARTON\nBall bearings, 10 cartons"
    assert (row.cell("hs_code"), row.cell("criterion")) == ("8482.10", "RVC 45%")
    assert row.cell("origin") == "SINGAPORE"
    assert row.cell("quantity_fob") == "1,200 pieces\nG.W. 350.5 kg\nFOB USD 18,250.00"
    assert row.cell("quantity") == "1,200 pieces\nG.W. 350.5 kg"
    assert row.cell("gross_mass") == "350.5 kg"
    assert row.cell("fob") == "USD 18,250.00"
    assert row.cell("invoice") == "INV-88231\n2025-03-03"
    assert row.cell("unknown") == ""


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
    assert MARKING_WORDS["exhibition"] == "EXHIBITION"
    eur1 = bundled_profiles().require("UK-AL")
    assert markings(doc.certificate, eur1)[:2] == ("ISSUED RETROSPECTIVELY", "DUPLICATE")
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
    assert content.texts["remarks"] == "Checked on site."


def test_tick_boxes_are_the_forms_own_in_its_wording() -> None:
    ticks = tick_boxes(flagged(back_to_back=True).certificate, layout_named("form-rcep"))
    assert [(t.label, t.ticked) for t in ticks] == [
        ("Back-to-back Certificate of Origin", True),
        ("Third-party invoicing", False),
        ("ISSUED RETROACTIVELY", False),
    ]
    form_e = tick_boxes(flagged(back_to_back=True).certificate, layout_named("form-e"))
    assert ("Movement Certificate", True) in [(t.label, t.ticked) for t in form_e]
    assert tick_boxes(flagged(exhibition=True).certificate, layout_named("ckfta")) == ()


def test_the_declaration_names_origin_agreement_and_destination() -> None:
    content = form_content(example_doc(), RCEP)
    assert "Regional Comprehensive Economic Partnership Agreement" in content.declaration
    assert "These goods are exported to: JAPAN (importing country)" in content.declaration
    assert content.form_title == "Form RCEP"
    assert content.issuing_country == "SINGAPORE"
    form_d = form_content(example_doc(), bundled_profiles().require("ATIGA"))
    assert "all the goods were produced in SINGAPORE (Country)" in form_d.declaration
    assert "ASEAN Trade in Goods Agreement for the goods exported to JAPAN" in form_d.declaration


def test_the_certification_says_in_plain_words_who_signed_when_and_where_to_check() -> None:
    signed = example_doc().model_dump(mode="json", exclude_none=True)
    assert signed["signatures"]["issuing_authority"]["format"] == "jws"
    url = "https://verify.example/verify/SG/RCEP-SG-2025-000123?d=abc"
    content = form_content(CODocument.model_validate(signed), RCEP, verification_url=url)
    assert content.signed_words == (
        f"Electronically signed by Singapore Customs on 2025-03-04; check it at {url}"
    )
    signed.pop("signatures")
    unsigned = form_content(CODocument.model_validate(signed), RCEP, verification_url=url)
    assert unsigned.signed_words == f"Check it at {url}"
    assert "No public verification address" in form_content(example_doc(), RCEP).signed_words
    mercosur = form_content(
        example_doc(), bundled_profiles().require("MERCOSUR"), verification_url=url
    )
    assert mercosur.signed_words.startswith("Firmado electrónicamente por Singapore Customs el")


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
