"""The ASEAN-style forms with thirteen boxes: ATIGA Form D, ACFTA Form E and AKFTA Form AK.

The three share their boxes' places: 1 exporter, 2 consignee, 3 transport, 4 for the importing
Party's customs, 5-10 the items, 11 the exporter's declaration, 12 the certification, 13 the
tick boxes; they differ in wording, tick boxes and overleaf notes. None has a remarks box: the
overleaf notes put back-to-back and third-party invoicing details in Box 7, so the remarks are
printed after the last item.
"""

from __future__ import annotations

from originlink.formats.pdf.layouts.base import Box, Column, Layout

_TRANSPORT = (
    ("Departure date", "departure"),
    ("Vessel's name/Aircraft etc.", "vessel"),
    ("Port of Discharge", "discharge"),
)


def _boxes(
    consigned: str, official: tuple[str, ...], goods_word: str, certifying: str
) -> tuple[Box, ...]:
    return (
        Box(
            "1",
            f"{consigned} consigned from (Exporter's business name, address, country)",
            10,
            10,
            95,
            32,
            content="exporter",
        ),
        Box(
            "2",
            f"{consigned} consigned to (Consignee's name, address, country)",
            10,
            42,
            95,
            32,
            content="consignee",
        ),
        Box("", "", 105, 10, 95, 64, kind="header", markings=True),
        Box(
            "3",
            "Means of transport and route (as far as known)",
            10,
            74,
            95,
            36,
            content="transport",
        ),
        Box(
            "4",
            "For Official Use",
            105,
            74,
            95,
            36,
            kind="reserved",
            options=official,
            caption="Signature of Authorised Signatory of the Importing "
            + ("Party" if goods_word == "products" else "Country"),
        ),
        Box(
            "11",
            "Declaration by the exporter",
            10,
            212,
            95,
            56,
            kind="declaration",
            caption="Place and date, signature of authorised signatory",
        ),
        Box(
            "12",
            "Certification",
            105,
            212,
            95,
            72,
            kind="certification",
            caption=f"Place and date, signature and stamp of {certifying}",
        ),
        Box("13", "", 10, 268, 95, 16, kind="ticks"),
    )


def _columns(goods_word: str, importing: str, criterion: str, quantity: str) -> tuple[Column, ...]:
    return (
        Column("5", "Item number", 10, "number"),
        Column("6", "Marks and numbers on packages", 22, "marks"),
        Column(
            "7",
            f"Number and type of packages, description of {goods_word} (including "
            f"quantity where appropriate and HS number of the importing {importing})",
            66,
            "description_hs",
        ),
        Column("8", f"{criterion} (see Overleaf Notes)", 22, "criterion"),
        Column("9", quantity, 40, "quantity_fob"),
        Column("10", "Number and date of invoices", 30, "invoice"),
    )


FORM_D = Layout(
    name="form-d",
    source=(
        "ATIGA Annex 7 (Form D and overleaf notes), ATIGA-A7 in agreements.md (repo "
        "RishiPrasath/waypoint-pilot, pilot_phase1_poc/05_evaluation/kb/01_regulatory/pdfs/"
        "atiga_annex7_form_d.md; specimen https://de.scribd.com/document/297592633)"
    ),
    language="en",
    title_lines=(
        "ASEAN TRADE IN GOODS AGREEMENT/",
        "ASEAN INDUSTRIAL COOPERATION SCHEME",
        "CERTIFICATE OF ORIGIN",
        "(Combined Declaration and Certificate)",
        "FORM D",
    ),
    number_label="Reference No.",
    issued_in="Issued in {country} (Country)",
    header_note="See Overleaf Notes",
    short_title="Form D",
    emphasis=4,
    boxes=_boxes(
        "Goods",
        (
            "□ Preferential Treatment Given Under ASEAN Trade in Goods Agreement",
            "□ Preferential Treatment Given Under ASEAN Industrial Cooperation Scheme",
            "□ Preferential Treatment Not Given (Please state reason/s)",
        ),
        "goods",
        "certifying authority",
    ),
    columns=_columns(
        "goods", "country", "Origin criterion", "Gross weight or other quantity and value (FOB)"
    ),
    items_top=110,
    items_bottom=212,
    declaration=(
        "The undersigned hereby declares that the above details and statement are correct; "
        "that all the goods were produced in {produced_in} (Country) and that they comply "
        "with the origin requirements specified for these goods in the ASEAN Trade in Goods "
        "Agreement for the goods exported to {exported_to} (Importing Country)"
    ),
    certification=(
        "It is hereby certified, on the basis of control carried out, that the declaration "
        "by the exporter is correct."
    ),
    ticks=(
        ("third_party_invoicing", "Third Country Invoicing"),
        ("exhibition", "Exhibition"),
        ("accumulation", "Accumulation"),
        ("de_minimis", "De Minimis"),
        ("back_to_back", "Back-to-Back CO"),
        ("issued_retroactively", "Issued Retroactively"),
        ("partial_cumulation", "Partial Cumulation"),
    ),
    transport_prompts=_TRANSPORT,
    remarks_after_items=True,
    overleaf=(
        "1. Member States which accept this form for the purpose of preferential tariff "
        "under the ASEAN Trade in Goods Agreement (ATIGA) or the ASEAN Industrial Cooperation "
        "(AICO) Scheme: BRUNEI DARUSSALAM, CAMBODIA, INDONESIA, LAO PDR, MALAYSIA, MYANMAR, "
        "PHILIPPINES, SINGAPORE, THAILAND, VIET NAM.",
        "2. CONDITIONS: goods sent to any Member State listed above must fall within a "
        "description of products eligible for concessions in the country of destination, "
        "comply with the consignment conditions of Article 32 (Direct Consignment) and with "
        "the origin criteria of Chapter 3 of the ATIGA.",
        '3. ORIGIN CRITERIA (insert in box 8): "WO" for goods wholly obtained or produced '
        "in the exporting Member State (Article 27); the percentage of regional value "
        'content, e.g. "40%"; the actual change in tariff classification rule, e.g. "CC", '
        '"CTH" or "CTSH"; "SP" for specific processes; the actual combination, e.g. '
        '"CTSH + 35%"; "PC x%" for partial cumulation (Article 30.2), x being a regional '
        "value content below 40%.",
        "4. EACH ARTICLE MUST QUALIFY: all the products in a consignment must qualify "
        "separately in their own right.",
        "5. DESCRIPTION OF PRODUCTS: the description must be sufficiently detailed to enable "
        "the products to be identified by the Customs Officers examining them; name of "
        "manufacturer and any trade mark shall also be specified.",
        "6. The Harmonised System number shall be that of the importing Member State.",
        '7. The term "Exporter" in Box 11 may include the manufacturer or the producer; '
        "for the AICO Scheme only the manufacturer or the producer.",
        "8. FOR OFFICIAL USE: the Customs Authority of the importing Member State must "
        "indicate (\u221a) in the relevant boxes in column 4 whether or not preferential "
        "treatment is accorded.",
        "9. MULTIPLE ITEMS: where some items are not accorded preferential treatment, tick "
        '"not given" and circle the item number.',
        "10. FOB value in box 9 only where the RVC criterion is used, for the Member States "
        "named in the notes (Cambodia, Indonesia, Lao PDR).",
        "11. THIRD COUNTRY INVOICING: tick the box in Box 13 and give the name and country "
        "of the invoicing company in Box 7.",
        "12. BACK-TO-BACK CO: tick the box in Box 13; the date of issue and reference number "
        "of the original Certificate of Origin (Form D) are given in Box 7.",
        "13. EXHIBITION: tick the box in Box 13 and give the name and address of the "
        "exhibition in Box 2.",
        "14. ISSUED RETROACTIVELY: in exceptional cases (Rule 10 of Annex 8) tick the "
        '"Issued Retroactively" box.',
        "15-17. ACCUMULATION, PARTIAL CUMULATION, DE MINIMIS: tick the box when the goods "
        "used accumulation (Article 30.1), partial cumulation (Article 30.2) or met the de "
        "minimis provision (non-CTC materials not more than 10% of the FOB value).",
        "CERTIFIED TRUE COPY (Rule 12 of Annex 8): endorsed in Box 12 with the date of "
        "issue of the original.",
    ),
)

FORM_E = Layout(
    name="form-e",
    source=(
        "Revised Form E and overleaf notes of the ACFTA Rules of Origin (specimen "
        "https://www.scribd.com/document/370560452/Revised-Form-E; "
        "https://paperzz.com/doc/7862683/acfta-co-form-e)"
    ),
    language="en",
    title_lines=(
        "ASEAN-CHINA FREE TRADE AREA",
        "PREFERENTIAL TARIFF",
        "CERTIFICATE OF ORIGIN",
        "(Combined Declaration and Certificate)",
        "FORM E",
    ),
    number_label="Reference No.",
    issued_in="Issued in {country} (Country)",
    header_note="See Overleaf Notes",
    short_title="Form E",
    emphasis=4,
    boxes=_boxes(
        "Products",
        (
            "□ Preferential Treatment Given",
            "□ Preferential Treatment Not Given (Please state reason/s)",
        ),
        "products",
        "certifying authority",
    ),
    columns=_columns(
        "products", "Party", "Origin criteria", "Gross weight or other quantity and value (FOB)"
    ),
    items_top=110,
    items_bottom=212,
    declaration=(
        "The undersigned hereby declares that the above details and statement are correct; "
        "that all the products were produced in {produced_in} (Country) and that they "
        "comply with the origin requirements specified for these products in the Rules of "
        "Origin for the ACFTA for the products exported to {exported_to} (Importing Country)"
    ),
    certification=FORM_D.certification,
    ticks=(
        ("issued_retroactively", "Issued Retroactively"),
        ("exhibition", "Exhibition"),
        ("back_to_back", "Movement Certificate"),
        ("third_party_invoicing", "Third Party Invoicing"),
    ),
    transport_prompts=_TRANSPORT,
    remarks_after_items=True,
    overleaf=(
        "1. Parties which accept this form for the purpose of preferential treatment under "
        "the ASEAN-CHINA Free Trade Area Preferential Tariff: BRUNEI DARUSSALAM, CAMBODIA, "
        "CHINA, INDONESIA, LAOS, MALAYSIA, MYANMAR, PHILIPPINES, SINGAPORE, THAILAND, "
        "VIETNAM.",
        "2. CONDITIONS: the main conditions for admission to the preferential treatment "
        "under the ACFTA are that products sent to any Party listed above must fall within a "
        "description of products eligible for concessions in the country of destination, "
        "comply with the consignment conditions (direct consignment) and with the origin "
        "criteria of the Rules of Origin for the ACFTA.",
        '3. ORIGIN CRITERIA (insert in box 8): "WO" for products wholly obtained or '
        'produced in the exporting Party; "PE" for products produced entirely in a Party '
        "exclusively from originating materials; the percentage of regional value content, "
        'e.g. "RVC 40%"; "CTH" for change in tariff heading; "PSR" for products '
        "satisfying the product specific rules.",
        "4. EACH ARTICLE MUST QUALIFY: all the products in a consignment must qualify "
        "separately in their own right.",
        "5. DESCRIPTION OF PRODUCTS: sufficiently detailed to identify the products; the HS "
        "number is that of the importing Party.",
        '6. The term "Exporter" in Box 11 may include the manufacturer or the producer.',
        "7. FOR OFFICIAL USE: the Customs Authority of the importing Party must indicate "
        "(\u221a) in the relevant boxes in column 4 whether or not preferential treatment is "
        "accorded.",
        "8. MOVEMENT CERTIFICATE: a Form E issued by an intermediate exporting Party on the "
        "basis of the original Form E of the first exporting Party; tick the box in Box 13.",
        "9. THIRD PARTY INVOICING: tick the box in Box 13 and give the name of the company "
        "issuing the invoice and its country in Box 7.",
        "10. EXHIBITION: tick the box in Box 13 and give the name and address of the "
        "exhibition in Box 2.",
        "11. ISSUED RETROACTIVELY: tick the box in Box 13 when the Form E is issued after "
        "shipment in the cases the Rules allow.",
    ),
)

FORM_AK = Layout(
    name="form-ak",
    source=(
        "Form AK and overleaf notes, AKFTA Annex 3 Appendix 1, as scheduled in the "
        "Singapore Customs (Origin) Regulations "
        "(https://sso.agc.gov.sg/SL/CA1960-OR4?ValidDate=20190611&ProvIds=Sc11-) and KCCI "
        "(http://cert.korcham.net/english/co/03_03.jsp)"
    ),
    language="en",
    title_lines=(
        "ASEAN-KOREA FREE TRADE AREA",
        "PREFERENTIAL TARIFF",
        "CERTIFICATE OF ORIGIN",
        "(Combined Declaration and Certificate)",
        "FORM AK",
    ),
    number_label="Reference No.",
    issued_in="Issued in {country} (Country)",
    header_note="See Notes Overleaf",
    short_title="Form AK",
    emphasis=4,
    boxes=_boxes(
        "Goods",
        (
            "□ Preferential Treatment Given Under ASEAN-Korea Free Trade Area Preferential Tariff",
            "□ Preferential Treatment Not Given (Please state reason/s)",
        ),
        "goods",
        "certifying authority",
    ),
    columns=_columns(
        "goods",
        "country",
        "Origin criterion",
        "Gross weight or other quantity and value (FOB only when RVC criterion is used)",
    ),
    items_top=110,
    items_bottom=212,
    declaration=(
        "The undersigned hereby declares that the above details and statement are correct; "
        "that all the goods were produced in {produced_in} (Country) and that they comply "
        "with the origin requirements specified for these goods in the ASEAN-Korea Free "
        "Trade Area Preferential Tariff for the goods exported to {exported_to} (Importing "
        "Country)"
    ),
    certification=FORM_D.certification,
    ticks=(
        ("third_party_invoicing", "Third Country Invoicing"),
        ("exhibition", "Exhibition"),
        ("back_to_back", "Back-to-Back CO"),
    ),
    transport_prompts=_TRANSPORT,
    remarks_after_items=True,
    overleaf=(
        "1. Parties which accept this form for the purpose of preferential tariff under the "
        "ASEAN-Korea Free Trade Agreement (AKFTA): BRUNEI DARUSSALAM, CAMBODIA, INDONESIA, "
        "REPUBLIC OF KOREA, LAOS, MALAYSIA, MYANMAR, PHILIPPINES, SINGAPORE, THAILAND, "
        "VIETNAM.",
        "2. CONDITIONS: to enjoy preferential tariff under the AKFTA, goods sent to any "
        "Party listed above (i) must fall within a description of goods eligible for "
        "concessions in the country of destination; (ii) must comply with the consignment "
        "conditions in accordance with Rule 9 of Annex 3 (Rules of Origin) of the AKFTA; "
        "and (iii) must comply with the origin criteria in Annex 3 (Rules of Origin).",
        "3. ORIGIN CRITERIA: the exporter and/or producer must indicate in Box 8 the origin "
        'criteria met: "WO" for goods wholly obtained or produced in the territory of the '
        'exporting Party; "CTH" or "RVC 40%" for goods satisfying Rule 4.1 of Annex 3; '
        'for goods satisfying the Product Specific Rules, "CTC", "WO-AK" (wholly '
        "obtained or produced in the territory of any Party), the regional value content "
        'to be met, e.g. "RVC 45%", the combination rule, e.g. "CTH + RVC 40%", or '
        '"Specific Processes".',
        "4. EACH ARTICLE MUST QUALIFY: all the goods in a consignment must qualify "
        "separately in their own right.",
        "5. DESCRIPTION OF GOODS: sufficiently detailed to identify the goods; the HS number "
        "is that of the importing country.",
        "6. FOB value in Box 9 only when the RVC criterion is used.",
        "7. FOR OFFICIAL USE: the Customs Authority of the importing Party must indicate "
        "(\u221a) in the relevant boxes in column 4 whether or not preferential tariff is "
        "accorded.",
        "8. THIRD COUNTRY INVOICING, EXHIBITION, BACK-TO-BACK CO: tick the relevant box in "
        "Box 13; the invoicing company, the exhibition or the original certificate is "
        "given in Box 7.",
    ),
)
