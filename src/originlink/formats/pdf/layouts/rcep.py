"""Form RCEP (RCEP Agreement, Chapter 3 Section B and the form annexed to it), and the neutral
layout used for non-preferential certificates and for agreements without a layout."""

from __future__ import annotations

from originlink.formats.pdf.layouts.base import Box, Column, Layout

_TRANSPORT = (
    ("Departure Date:", "departure"),
    ("Vessel's name/Aircraft flight number, etc.:", "vessel"),
    ("Port of Discharge:", "discharge"),
)

FORM_RCEP = Layout(
    name="form-rcep",
    source=(
        "Form RCEP and its overleaf notes, as annexed to the Operational Certification "
        "Procedures of the RCEP Agreement (specimen: RCEP-FORM in agreements.md, "
        "https://123deta.com/document/q05nxnmg-certificate-of-origin-issued-in.html)"
    ),
    language="en",
    title_lines=(
        "Form RCEP",
        "REGIONAL COMPREHENSIVE ECONOMIC PARTNERSHIP AGREEMENT",
        "CERTIFICATE OF ORIGIN",
    ),
    number_label="Certificate No.",
    issued_in="Issued in {country} (Country)",
    header_note="",
    short_title="Form RCEP",
    boxes=(
        Box(
            "1",
            "Goods Consigned from (Exporter's name, address and country)",
            10,
            10,
            95,
            26,
            content="exporter",
        ),
        Box(
            "2",
            "Goods Consigned to (Importer's/ Consignee's name, address, country)",
            10,
            36,
            95,
            26,
            content="consignee",
        ),
        Box(
            "3",
            "Producer's name, address and country (if known)",
            10,
            62,
            95,
            22,
            content="producer",
        ),
        Box("4", "Means of transport and route (if known)", 10, 84, 95, 30, content="transport"),
        Box("", "", 105, 10, 95, 64, kind="header"),
        Box(
            "5",
            "For Official Use",
            105,
            74,
            95,
            40,
            kind="reserved",
            options=("Preferential Treatment:", "□ Given", "□ Not Given (Please state reason/s)"),
            caption="Signature of Authorised Signatory of the Customs Authority of the "
            "Importing Country",
        ),
        Box("14", "Remarks", 10, 206, 190, 19, content="remarks", markings=True),
        Box(
            "15",
            "Declaration by the exporter or producer",
            10,
            225,
            95,
            48,
            kind="declaration",
            caption="Place and date and signature of authorised signatory",
        ),
        Box(
            "16",
            "Certification",
            105,
            225,
            95,
            48,
            kind="certification",
            caption="Place and date, signature and seal or stamp of Issuing Body",
        ),
        Box("17", "", 10, 273, 190, 11, kind="ticks"),
    ),
    columns=(
        Column("6", "Item number", 9, "number"),
        Column("7", "Marks and numbers on packages", 20, "marks"),
        Column("8", "Number and kind of packages; and description of goods.", 55, "description"),
        Column("9", "HS Code of the goods (6 digit-level)", 17, "hs_code"),
        Column("10", "Origin Conferring Criterion", 19, "criterion"),
        Column("11", "RCEP Country of Origin", 17, "origin"),
        Column(
            "12",
            "Quantity (Gross weight or other measurement), and value (FOB) where RVC is applied",
            30,
            "quantity_fob",
        ),
        Column("13", "Invoice number(s) and date of invoice(s)", 23, "invoice"),
    ),
    items_top=114,
    items_bottom=206,
    declaration=(
        "The undersigned hereby declares that the above details and statements are correct "
        "and that the goods covered in this Certificate comply with the requirements "
        "specified for these goods in the Regional Comprehensive Economic Partnership "
        "Agreement. These goods are exported to: {exported_to} (importing country)"
    ),
    certification=(
        "On the basis of control carried out, it is hereby certified that the information "
        "herein is correct and that the goods described comply with the origin requirements "
        "specified in the Regional Comprehensive Economic Partnership Agreement."
    ),
    ticks=(
        ("back_to_back", "Back-to-back Certificate of Origin"),
        ("third_party_invoicing", "Third-party invoicing"),
        ("issued_retroactively", "ISSUED RETROACTIVELY"),
    ),
    transport_prompts=_TRANSPORT,
    overleaf=(
        "CONDITIONS: To be eligible for the preferential tariff treatment under the Regional "
        "Comprehensive Economic Partnership Agreement (the Agreement), goods should: (a) fall "
        "within a description of goods eligible for concessions in the importing Party; (b) "
        "comply with the rules of origin in Chapter 3 (Rules of Origin) of the Agreement; and "
        "(c) comply with Article 3.15 (Direct Consignment) of Chapter 3.",
        "1. Box 1: the exporter's full legal name, address and country.",
        "2. Box 2: the importer's or consignee's full legal name, address and country.",
        "3. Box 3: the producer's name, address and country, if known. For several producers "
        'state "SEE BOX 8" and give each producer in Box 8; if the producer wishes its '
        'details kept confidential, "CONFIDENTIAL" or "NOT AVAILABLE" may be stated.',
        "4. Box 4: means of transport and route, if known: departure date, transport vehicle "
        "number and port of discharge.",
        "5. Boxes 6-8: item number, marks and numbers on packages, number and kind of "
        "packages and a description of each good sufficient to identify it; Box 9: the HS "
        "code of each good at the 6-digit level.",
        "6. Box 10: the origin conferring criterion of each good: WO (wholly obtained or "
        "produced, Article 3.2(a)); PE (produced exclusively from originating materials, "
        "Article 3.2(b)); CTC, RVC or CR (product-specific rules: change in tariff "
        "classification, regional value content, chemical reaction); ACU (accumulation, "
        "Article 3.4); DMI (de minimis, Article 3.7).",
        "7. Box 11: the RCEP country of origin determined under Article 2.6 (Tariff "
        "Differentials); where it cannot be determined, the Party with the highest customs "
        'duty followed by "*" (Article 2.6.6(a)) or "**" (Article 2.6.6(b)).',
        "8. Box 12: the quantity of each good (gross weight or other measurement) and, where "
        "the RVC criterion is applied, its FOB value.",
        "9. Box 13: the number(s) and date(s) of the invoice(s) issued for the importation.",
        "10. Third-party invoicing: tick the box in Box 17 and give the name and country of "
        "the invoicing company in Box 14.",
        "11. Back-to-back Certificate of Origin: tick the box in Box 17 and give in Box 14 the "
        "original proof's reference number, date of issue, issuing country, the RCEP country "
        "of origin of the first exporting Party and the approved exporter's code, if any.",
        '12. Issued retroactively (Article 3.17.8): tick the "ISSUED RETROACTIVELY" box in Box 17.',
        '13. Certified true copy (Article 3.17.9): the words "CERTIFIED TRUE COPY" and the '
        "date of issue of the copy are given in Box 14.",
        "Box 5 is for the customs authority of the importing Party.",
    ),
)

#: For non-preferential certificates and agreements that have no layout of their own.
GENERIC = Layout(
    name="generic",
    source="OriginLink's neutral certificate of origin (boxes of the common CO data set)",
    language="en",
    title_lines=("CERTIFICATE OF ORIGIN", "{agreement}"),
    number_label="Certificate No.",
    issued_in="Issued in {country}",
    header_note="",
    short_title="Certificate of Origin",
    boxes=(
        Box("1", "Exporter (name, address, country)", 10, 10, 95, 28, content="exporter"),
        Box("2", "Consignee (name, address, country)", 10, 38, 95, 28, content="consignee"),
        Box("3", "Producer (name, address, country), if known", 10, 66, 95, 20, content="producer"),
        Box("4", "Means of transport and route", 10, 86, 95, 28, content="transport"),
        Box("", "", 105, 10, 95, 56, kind="header"),
        Box("5", "Remarks", 105, 66, 95, 48, content="remarks", markings=True),
        Box(
            "13",
            "Declaration by the exporter",
            10,
            218,
            95,
            66,
            kind="declaration",
            caption="Place and date, signature of authorised signatory",
        ),
        Box(
            "14",
            "Certification",
            105,
            218,
            95,
            66,
            kind="certification",
            caption="Place and date, signature and stamp of the certifying body",
        ),
    ),
    columns=(
        Column("6", "Item number", 10, "number"),
        Column("7", "Marks and numbers", 22, "marks"),
        Column("8", "Number and kind of packages; description of goods", 70, "description"),
        Column("9", "HS code", 18, "hs_code"),
        Column("10", "Country of origin", 20, "origin"),
        Column("11", "Quantity", 26, "quantity_fob"),
        Column("12", "Invoice number and date", 24, "invoice"),
    ),
    items_top=114,
    items_bottom=218,
    declaration=(
        "The undersigned hereby declares that the above details and statements are correct "
        "and that all the goods originate in {produced_in}."
    ),
    certification=(
        "It is hereby certified, on the basis of control carried out, that the declaration "
        "by the exporter is correct."
    ),
    transport_prompts=(
        ("Departure date:", "departure"),
        ("Vessel/aircraft/vehicle:", "vessel"),
        ("Port of loading:", "loading"),
        ("Port of discharge:", "discharge"),
    ),
    overleaf=(),
)
