"""The fourteen-box certificates of China's bilateral agreements: the CKFTA form (China-Korea
FTA) and the ChAFTA form (China-Australia FTA, Annex 3-A). Both cap the items at 20, put
remarks in Box 5 and carry their instructions overleaf; only ChAFTA's has a box "For official
use only", and neither has tick boxes."""

from __future__ import annotations

from originlink.formats.pdf.layouts.base import Box, Column, Layout

_TRANSPORT = (
    ("Departure Date:", "departure"),
    ("Vessel/Flight/Train/Vehicle No.:", "vessel"),
    ("Port of loading:", "loading"),
    ("Port of discharge:", "discharge"),
)

CKFTA = Layout(
    name="ckfta",
    source=(
        "Certificate of Origin, Form for China-Korea FTA, with its Overleaf Instruction "
        "(CKFTA-WTI Art 3.15; form copy https://m.jinchutou.com/shtml/"
        "30d52b254d341e9858af6128b8765022.html; filling guide "
        "https://en.aichiyou.com/news/987.html)"
    ),
    language="en",
    title_lines=("CERTIFICATE OF ORIGIN", "Form for China-Korea FTA"),
    number_label="Certificate No.:",
    issued_in="Issued in {country}",
    header_note="(see Overleaf Instruction)",
    short_title="Form for China-Korea FTA",
    boxes=(
        Box("1", "Exporter's name and address, country:", 10, 10, 95, 28, content="exporter"),
        Box("2", "Producer's name and address, country:", 10, 38, 95, 24, content="producer"),
        Box("3", "Consignee's name and address, country:", 10, 62, 95, 26, content="consignee"),
        Box(
            "4",
            "Means of transport and route (as far as known):",
            10,
            88,
            95,
            32,
            content="transport",
        ),
        Box("", "", 105, 10, 95, 78, kind="header"),
        Box("5", "Remarks:", 105, 88, 95, 32, content="remarks", markings=True),
        Box(
            "13",
            "Declaration by the exporter:",
            10,
            222,
            95,
            62,
            kind="declaration",
            caption="Place and date, signature of authorized signatory",
        ),
        Box(
            "14",
            "Certification:",
            105,
            222,
            95,
            62,
            kind="certification",
            caption="Place and date, signature and stamp of authorized body",
        ),
    ),
    columns=(
        Column("6", "Item number (Max 20)", 12, "number"),
        Column("7", "Marks and Numbers on packages", 24, "marks"),
        Column("8", "Number and kind of packages; description of goods", 62, "description"),
        Column("9", "HS code (Six-digit code)", 18, "hs_code"),
        Column("10", "Origin criterion", 18, "criterion"),
        Column(
            "11",
            "Gross weight, quantity (Quantity Unit) or other measures (liters, m³, etc.)",
            30,
            "quantity",
        ),
        Column("12", "Number and date of invoice", 26, "invoice"),
    ),
    items_top=120,
    items_bottom=222,
    declaration=(
        "The undersigned hereby declares that the above details and statement are correct, "
        "that all the goods were produced in {produced_in} (Country) and that they comply "
        "with the origin requirements specified in the FTA for the goods exported to "
        "{exported_to} (Importing country)"
    ),
    certification=(
        "On the basis of control carried out, it is hereby certified that the information "
        "herein is correct and that the goods described comply with the origin requirements "
        "specified in the China-Korea FTA."
    ),
    transport_prompts=_TRANSPORT,
    max_items=20,
    overleaf_title="Overleaf Instruction",
    overleaf=(
        "Certificate No.: serial number of the Certificate of Origin assigned by the "
        "authorized body.",
        "Box 1: the full legal name and address (including country) of the exporter in "
        "either China or Korea.",
        "Box 2: the full legal name and address (including country) of the producer. If "
        "goods from more than one producer are included, list the additional producers. If "
        'the exporter or the producer wishes this information kept confidential, "AVAILABLE '
        'UPON REQUEST" is acceptable; if the producer and the exporter are the same, '
        '"SAME".',
        "Box 3: the full legal name and address (including country) of the consignee in "
        "Korea or China.",
        "Box 4: the means of transport and route, if known: departure date, "
        "vessel/flight/train/vehicle number, port of loading and port of discharge.",
        "Box 5: remarks, e.g. the customer's order number or letter of credit number; where "
        "the invoice is issued by a non-Party operator, its name, address and country.",
        "Box 6: the item number; a certificate covers no more than 20 items.",
        "Box 7: the marks and numbers on packages. Box 8: the number and kind of packages "
        "and a full description of each good, detailed enough to identify it and to relate "
        "it to the invoice and its HS code.",
        "Box 9: the HS code of each good at the six-digit level. Box 10: the origin "
        "criterion each good meets under Chapter 3 (Rules of Origin).",
        "Box 11: the gross weight, quantity (with its unit) or other measures of each good.",
        "Box 12: the number and date of the invoice.",
        "Box 13: completed, signed and dated by the exporter. Box 14: completed, dated, "
        "signed and stamped by the authorized body.",
    ),
)

CHAFTA = Layout(
    name="chafta",
    source=(
        "ChAFTA Annex 3-A (Certificate of Origin) with its Overleaf Instruction, "
        "https://edit.wti.org/document/show/38a7cb45-d9ef-482e-b4ff-c8b0a9ba9648?page=3"
    ),
    language="en",
    title_lines=("CERTIFICATE OF ORIGIN", "Form for China-Australia Free Trade Agreement"),
    number_label="Certificate No.:",
    issued_in="Issued in: {country}",
    header_note="",
    short_title="Form for China-Australia Free Trade Agreement",
    boxes=(
        Box("1", "Exporter's name, address and country:", 10, 10, 95, 28, content="exporter"),
        Box("2", "Producer's name and address (if known):", 10, 38, 95, 24, content="producer"),
        Box(
            "3",
            "Importer's name, address and country (if known):",
            10,
            62,
            95,
            26,
            content="consignee",
        ),
        Box("4", "Means of transport and route (if known)", 10, 88, 95, 32, content="transport"),
        Box("", "", 105, 10, 95, 52, kind="header"),
        Box("", "For official use only:", 105, 62, 95, 26, kind="reserved"),
        Box("5", "Remarks:", 105, 88, 95, 32, content="remarks", markings=True),
        Box(
            "13",
            "Declaration by the exporter or producer",
            10,
            222,
            95,
            62,
            kind="declaration",
            caption="Place, date and signature of authorised person.",
        ),
        Box(
            "14",
            "Certification",
            105,
            222,
            95,
            62,
            kind="certification",
            caption="Place, date, and signature and stamp of the Authorised Body",
        ),
    ),
    columns=(
        Column("6", "Item number (max. 20)", 12, "number"),
        Column("7", "Marks and numbers on packages (optional)", 24, "marks"),
        Column("8", "Number and kind of packages; description of goods", 62, "description"),
        Column("9", "HS code (6-digit code)", 18, "hs_code"),
        Column("10", "Origin criterion", 18, "criterion"),
        Column(
            "11",
            "Gross or net weight or other quantity (e.g. Quantity Unit, litres, m3.)",
            30,
            "quantity",
        ),
        Column("12", "Invoice number and date", 26, "invoice"),
    ),
    items_top=120,
    items_bottom=222,
    declaration=(
        "The undersigned hereby declares that the above-stated information is correct and "
        "that the goods exported to {exported_to} (importing Party) comply with the origin "
        "requirements specified in the China-Australia Free Trade Agreement."
    ),
    certification=(
        "On the basis of the control carried out, it is hereby certified that the "
        "information herein is correct and that the described goods comply with the origin "
        "requirements of the China-Australia Free Trade Agreement."
    ),
    transport_prompts=_TRANSPORT,
    max_items=20,
    overleaf_title="Overleaf Instruction",
    overleaf=(
        "Box 1: State the full legal name and address of the exporter in Australia or China.",
        "Box 2: State the full legal name and address (including country) of the producer, "
        "if known. If more than one producer's good is included in the certificate, list "
        "the additional producers, including names and addresses (including country). If "
        "the exporter or the producer wish the information to be confidential, it is "
        'acceptable to state "Available to the competent authority or authorised body upon '
        'request". If the producer and the exporter are the same, please complete the box '
        'with "SAME". If the producer is unknown, it is acceptable to state "UNKNOWN".',
        "Box 3: State the full legal name and address (including country) of the importer, "
        "if known.",
        "Box 4: Complete the means of transport and route, if known: departure date, "
        "transport vehicle number, port of loading and port of discharge.",
        "Box 5: Remarks, e.g. where the invoice is issued by an operator in a non-Party, the "
        "name of that operator and the invoice or order number.",
        "Box 6: The item number; the certificate covers no more than 20 items.",
        "Box 7 (optional): marks and numbers on packages. Box 8: the number and kind of "
        "packages and a description of each good, detailed enough to identify it.",
        "Box 9: the HS code of each good at the 6-digit level. Box 10: the origin criterion "
        'each good meets: "WO" (wholly obtained or produced), "WP" (produced entirely '
        'from originating materials) or "PSR" (product-specific rule).',
        "Box 11: the gross or net weight or other quantity of each good. Box 12: the "
        "invoice number and date.",
        "Box 13: signed and dated by the exporter or producer. Box 14: completed, signed "
        "and stamped by the authorised body, with its telephone, fax and address.",
        'The box "For official use only" is for the customs of the importing Party.',
    ),
)
