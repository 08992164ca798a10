"""Goods items → ``cac:GoodsItem`` (``dataset.md`` §6), in the schema's element order."""

from __future__ import annotations

from lxml import etree

from originlink.domain.dataset import Certificate, GoodsItem, Producer
from originlink.domain.dataset.types import decimal_to_json
from originlink.formats._common import cpath
from originlink.formats.loss import LossReport
from originlink.formats.ubl.names import NOT_STATED, cac, cbc, sub
from originlink.formats.ubl.parties import write_party

#: ``@listID`` of a 6-digit HS code with no national extension.
HS_LIST_ID = "HS"


def write_goods_item(
    shipment: etree._Element,
    cert: Certificate,
    index: int,
    item: GoodsItem,
    producers: dict[str, Producer],
    report: LossReport,
) -> None:
    goods = sub(shipment, cac("GoodsItem"))
    sub(goods, cbc("ID"), item.sequence_number)
    sub(goods, cbc("SequenceNumberID"), item.sequence_number)
    sub(goods, cbc("Description"), item.description)
    if item.fob_value:
        sub(
            goods,
            cbc("FreeOnBoardValueAmount"),
            decimal_to_json(item.fob_value.value),
            currencyID=item.fob_value.currency_code,
        )
    for tag, measure in (
        ("GrossWeightMeasure", item.gross_weight),
        ("NetWeightMeasure", item.net_weight),
        ("Quantity", item.quantity),
    ):
        if measure is not None:
            sub(goods, cbc(tag), decimal_to_json(measure.value), unitCode=measure.unit_code)
    criterion = item.origin_criterion
    if criterion and (criterion.code or criterion.text):
        sub(goods, cbc("PreferenceCriterionCode"), criterion.code or "", name=criterion.text)
    write_item(goods, item, producers)
    if item.packages and (item.packages.count or item.packages.type_code):
        package = sub(goods, cac("ContainingPackage"))
        if item.packages.count:
            sub(package, cbc("Quantity"), item.packages.count)
        if item.packages.type_code:
            sub(package, cbc("PackagingTypeCode"), item.packages.type_code)
    all_invoices = (cert.references.invoices if cert.references else None) or []
    invoices = {i.sequence: i for i in all_invoices}
    keys = [(i.number, i.issue_date) for i in all_invoices]
    if any(
        keys.count((invoices[s].number, invoices[s].issue_date)) > 1
        for s in item.invoice_sequences or ()
        if s in invoices
    ):
        report.degraded(
            cpath("goods_items", index, "invoice_sequences"),
            "UBL links an item to an invoice by number and date, which several invoices share",
        )
    for position, sequence in enumerate(item.invoice_sequences or ()):
        invoice = invoices.get(sequence)
        if invoice is None:
            report.dropped(
                cpath("goods_items", index, "invoice_sequences", position),
                "refers to no invoice",
                sequence,
            )
            continue
        reference = sub(goods, cac("AdditionalDocumentReference"))
        sub(reference, cbc("ID"), invoice.number)
        if invoice.issue_date:
            sub(reference, cbc("IssueDate"), invoice.issue_date.isoformat())
        sub(reference, cbc("DocumentTypeCode"), "380")
    declaration = item.origin_declaration
    if declaration and (declaration.number or declaration.date):
        reference = sub(goods, cac("AdditionalDocumentReference"))
        if declaration.number is None:
            report.synthesised(
                f"cac:GoodsItem[{index + 1}]/cac:AdditionalDocumentReference/cbc:ID",
                "mandatory in UBL; the origin declaration has a date but no number",
                NOT_STATED,
            )
        sub(reference, cbc("ID"), declaration.number or NOT_STATED)
        if declaration.date:
            sub(reference, cbc("IssueDate"), declaration.date.isoformat())
        sub(reference, cbc("DocumentTypeCode"), "862")


def write_item(goods: etree._Element, item: GoodsItem, producers: dict[str, Producer]) -> None:
    element = sub(goods, cac("Item"))
    if item.product_identifier:
        ident = sub(element, cac("StandardItemIdentification"))
        sub(
            ident, cbc("ID"), item.product_identifier.value, schemeID=item.product_identifier.scheme
        )
    if item.origin_country:
        sub(sub(element, cac("OriginCountry")), cbc("IdentificationCode"), item.origin_country)
    classification = sub(element, cac("CommodityClassification"))
    sub(
        classification,
        cbc("ItemClassificationCode"),
        item.hs_code,
        listID=item.hs_extension_scheme or HS_LIST_ID,
        listVersionID=item.hs_edition.value if item.hs_edition else None,
        name=item.hs_description,
    )
    if item.producer_ref and item.producer_ref in producers:
        producer = producers[item.producer_ref]
        write_party(element, cac("ManufacturerParty"), producer)
