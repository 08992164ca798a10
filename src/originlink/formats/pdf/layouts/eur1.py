"""Movement certificate EUR.1 (the specimen annexed to PEM-style origin protocols, here the
UK-Albania one): boxes 1-12 on the face, the verification boxes 13-14 and the notes on the
back."""

from __future__ import annotations

from originlink.formats.pdf.layouts.base import Box, Column, Layout

EUR1 = Layout(
    name="eur1",
    source=(
        "Movement certificate EUR.1 specimen annexed to the UK-Albania origin protocol "
        "(UK-AL Arts 16-19: boxes 2, 7, 11; repo trade-tariff/ott-prototype, "
        "app/data/roo/uk/articles/albania/origin_processes.md), the PEM-convention EUR.1 form"
    ),
    language="en",
    title_lines=("MOVEMENT CERTIFICATE",),
    number_label="EUR.1 No",
    issued_in="",
    header_note="See notes overleaf before completing this form.",
    short_title="Movement certificate EUR.1",
    boxes=(
        Box("1", "Exporter (Name, full address, country)", 10, 10, 95, 34, content="exporter"),
        Box("", "", 105, 10, 95, 22, kind="header"),
        Box(
            "2",
            "Certificate used in preferential trade between",
            105,
            32,
            95,
            22,
            content="trade_between",
            options=("(insert appropriate countries, groups of countries or territories)",),
        ),
        Box(
            "3",
            "Consignee (Name, full address, country) (Optional)",
            10,
            44,
            95,
            34,
            content="consignee",
        ),
        Box(
            "4",
            "Country, group of countries or territory in which the products are "
            "considered as originating",
            105,
            54,
            47.5,
            24,
            content="origin_countries",
        ),
        Box(
            "5",
            "Country, group of countries or territory of destination",
            152.5,
            54,
            47.5,
            24,
            content="destination",
        ),
        Box("6", "Transport details (Optional)", 10, 78, 95, 28, content="transport"),
        Box("7", "Remarks", 105, 78, 95, 28, content="remarks", markings=True),
        Box(
            "11",
            "CUSTOMS ENDORSEMENT",
            10,
            210,
            95,
            66,
            kind="certification",
            caption="(Signature)                                   Stamp",
        ),
        Box(
            "12",
            "DECLARATION BY THE EXPORTER",
            105,
            210,
            95,
            66,
            kind="declaration",
            caption="Place and date .......... (Signature)",
        ),
    ),
    columns=(
        Column(
            "8",
            "Item number; Marks and numbers; Number and kind of packages (1); Description of goods",
            120,
            "eur1_goods",
        ),
        Column("9", "Gross mass (kg) or other measure (litres, m³, etc.)", 35, "gross_mass"),
        Column("10", "Invoices (Optional)", 35, "invoice"),
    ),
    items_top=106,
    items_bottom=210,
    declaration=(
        "I, the undersigned, declare that the goods described above meet the conditions "
        "required for the issue of this certificate."
    ),
    certification=(
        "Declaration certified\n"
        "Export document (2): Form ........ No ........\n"
        "Customs office: {authority}\n"
        "Issuing country or territory: {issuing_country}\n"
        "Date: {date}"
    ),
    footnotes=(
        '(1) If goods are not packed, indicate number of articles or state "in bulk" as '
        "appropriate.",
        "(2) Complete only where the regulations of the exporting country or territory require.",
    ),
    overleaf_title="NOTES",
    overleaf=(
        "1. Certificates must not contain erasures or words written over one another. Any "
        "alterations must be made by deleting the incorrect particulars and adding any "
        "necessary corrections. Any such alteration must be initialled by the person who "
        "completed the certificate and endorsed by the customs authorities of the issuing "
        "country or territory.",
        "2. No spaces must be left between the items entered on the certificate and each "
        "item must be preceded by an item number. A horizontal line must be drawn "
        "immediately below the last item. Any unused space must be struck through in such a "
        "manner as to make any later additions impossible.",
        "3. Goods must be described in accordance with commercial practice and with "
        "sufficient detail to enable them to be identified.",
    ),
    reverse=(
        Box(
            "13",
            "REQUEST FOR VERIFICATION, to",
            10,
            22,
            95,
            80,
            kind="reserved",
            options=(
                "Verification of the authenticity and accuracy of this certificate is requested.",
            ),
            caption="(Place and date)        Stamp        (Signature)",
        ),
        Box(
            "14",
            "RESULT OF VERIFICATION",
            105,
            22,
            95,
            80,
            kind="reserved",
            options=(
                "Verification carried out shows that this certificate (1)",
                "□ was issued by the customs office indicated and that the information "
                "contained therein is accurate.",
                "□ does not meet the requirements as to authenticity and accuracy (see remarks "
                "appended).",
                "(1) Insert X in the appropriate box.",
            ),
            caption="(Place and date)        Stamp        (Signature)",
        ),
    ),
)
