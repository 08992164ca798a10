"""``cac:GoodsItem`` → canonical goods items (§6); invoice links are resolved afterwards."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from originlink.formats._common import clean_text, cpath
from originlink.formats.loss import LossReport
from originlink.formats.ubl.goods import HS_LIST_ID
from originlink.formats.ubl.names import NOT_STATED, cac, cbc
from originlink.formats.ubl.parties import read_party
from originlink.formats.xml_source import Source

HS_EDITIONS = frozenset({"HS2007", "HS2012", "HS2017", "HS2022"})


def decimal_text(text: str | None) -> str | None:
    """An ``xsd:decimal`` (``.5``, ``+3``) in the canonical plain form (``0.5``, ``3``)."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return format(value, "f") if value.is_finite() else text


def read_measure(
    src: Source, parent: etree._Element, tag: str, path: str, report: LossReport
) -> dict[str, Any] | None:
    element = src.one(parent, tag)
    if element is None or not (element.text or "").strip():
        return None
    unit = element.get("unitCode")
    if not unit:
        unit = "H87"
        report.derived(path + ".unit_code", "no @unitCode; read as H87 (piece)", unit)
    return {"value": decimal_text((element.text or "").strip()), "unit_code": unit}


class GoodsReader:
    """Reads goods items; keeps producers and invoice links for the document reader."""

    def __init__(self, src: Source, report: LossReport) -> None:
        self.src = src
        self.report = report
        self.producers: list[dict[str, Any]] = []
        self.invoice_links: list[list[tuple[str, str | None]]] = []

    def read(self, shipment: etree._Element | None) -> list[dict[str, Any]]:
        return [
            self.read_item(i, g) for i, g in enumerate(self.src.all(shipment, cac("GoodsItem")))
        ]

    def read_item(self, index: int, goods: etree._Element) -> dict[str, Any]:
        src, report = self.src, self.report
        path = cpath("goods_items", index)
        sequence_text = src.text(goods, cbc("SequenceNumberID"))
        id_text = src.text(goods, cbc("ID"))
        text = sequence_text or id_text
        if text and text.isdigit():
            sequence = int(text)
        else:
            sequence = index + 1
            report.derived(
                path + ".sequence_number", "no numeric sequence; position used", sequence
            )
        item: dict[str, Any] = {"sequence_number": sequence}
        descriptions = src.all(goods, cbc("Description"))
        if descriptions:
            value = clean_text(
                descriptions[0].text, 2048, path + ".description", report, multiline=True
            )
            if value:
                item["description"] = value
            for extra in descriptions[1:]:
                report.dropped(
                    path + ".description", "only the first description is kept", extra.text
                )
        fob = src.one(goods, cbc("FreeOnBoardValueAmount"))
        if fob is not None and (fob.text or "").strip():
            item["fob_value"] = {
                "value": decimal_text((fob.text or "").strip()),
                "currency_code": fob.get("currencyID"),
            }
        for key, tag in (
            ("gross_weight", "GrossWeightMeasure"),
            ("net_weight", "NetWeightMeasure"),
            ("quantity", "Quantity"),
        ):
            measure = read_measure(src, goods, cbc(tag), f"{path}.{key}", report)
            if measure:
                item[key] = measure
        criterion_element = src.one(goods, cbc("PreferenceCriterionCode"))
        if criterion_element is not None:
            criterion: dict[str, Any] = {}
            code = (criterion_element.text or "").strip()
            if code:
                criterion["code"] = code
            name = clean_text(
                criterion_element.get("name"),
                1024,
                path + ".origin_criterion.text",
                report,
                multiline=True,
            )
            if name:
                criterion["text"] = name
            if criterion:
                item["origin_criterion"] = criterion
        self.read_item_details(src.one(goods, cac("Item")), item, path)
        package = src.one(goods, cac("ContainingPackage"))
        if package is not None:
            packages: dict[str, Any] = {}
            count = src.text(package, cbc("Quantity"))
            if count:
                packages["count"] = int(Decimal(count)) if decimal_text(count) == count else count
            type_code = src.text(package, cbc("PackagingTypeCode"))
            if type_code:
                packages["type_code"] = type_code
            if packages:
                item["packages"] = packages
        links: list[tuple[str, str | None]] = []
        for reference in goods.findall(cac("AdditionalDocumentReference")):
            kind = reference.findtext(cbc("DocumentTypeCode"))
            if kind not in ("380", "862"):
                continue
            src.mark(reference)
            number = (reference.findtext(cbc("ID")) or "").strip()
            issued = (reference.findtext(cbc("IssueDate")) or "").strip() or None
            if kind == "380":
                links.append((number, issued))
                continue
            declaration: dict[str, Any] = {}
            if number and number != NOT_STATED:
                declaration["number"] = number
            if issued:
                declaration["date"] = issued
            if declaration:
                item["origin_declaration"] = declaration
        self.invoice_links.append(links)
        return item

    def read_item_details(
        self, element: etree._Element | None, item: dict[str, Any], path: str
    ) -> None:
        src, report = self.src, self.report
        if element is None:
            return
        ident = src.one(element, cac("StandardItemIdentification"), cbc("ID"))
        if ident is not None and (ident.text or "").strip():
            item["product_identifier"] = {
                "scheme": ident.get("schemeID") or "UNKNOWN",
                "value": (ident.text or "").strip(),
            }
        origin = src.text(element, cac("OriginCountry"), cbc("IdentificationCode"))
        if origin:
            item["origin_country"] = origin
        classification = src.one(
            element, cac("CommodityClassification"), cbc("ItemClassificationCode")
        )
        if classification is not None and (classification.text or "").strip():
            item["hs_code"] = (classification.text or "").strip()
            scheme = classification.get("listID")
            if scheme and scheme != HS_LIST_ID:
                item["hs_extension_scheme"] = scheme
            edition = classification.get("listVersionID")
            if edition in HS_EDITIONS:
                item["hs_edition"] = edition
            elif edition:
                report.dropped(path + ".hs_edition", "not a known HS edition", edition)
            name = clean_text(classification.get("name"), 512, path + ".hs_description", report)
            if name:
                item["hs_description"] = name
        manufacturers = src.all(element, cac("ManufacturerParty"))
        if manufacturers:
            party = read_party(src, manufacturers[0], cpath("parties", "producers"), report)
            if party is not None:
                if party not in self.producers:
                    self.producers.append(party)
                item["producer_ref"] = f"P{self.producers.index(party) + 1}"
            for extra in manufacturers[1:]:
                report.dropped(
                    path + ".producer_ref",
                    "only the first manufacturer is kept",
                    extra.findtext(f"{cac('PartyName')}/{cbc('Name')}"),
                )
