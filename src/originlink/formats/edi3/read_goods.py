"""edi3 consignment items and trade line items → canonical goods items, producers, invoices."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from originlink.domain.errors import InputError
from originlink.formats._common import clean_text, cpath
from originlink.formats._producers import producer_id
from originlink.formats.edi3 import uris

if TYPE_CHECKING:
    from originlink.formats.edi3.reader import _Reader

_ITEM = frozenset(
    {"iD", "information", "crossBorderRegulatoryProcedure", "manufacturer", "tradeLineItems"}
)
_LINE = frozenset({"sequenceNumber", "invoiceReference", "tradeProduct"})


def read_goods(reader: _Reader, items: list[Any], parties: dict[str, Any]) -> None:
    from originlink.formats.edi3.reader import as_date

    js, report = reader.js, reader.report
    producers: list[dict[str, Any]] = []
    invoices: list[dict[str, Any]] = []
    lines: list[tuple[int, dict[str, Any]]] = []
    for group_index, group in enumerate(items):
        gpath = f"$.supplyChainConsignment.includedConsignmentItems[{group_index}]"
        if not isinstance(group, dict):
            raise InputError(f"{gpath} is not a JSON object")
        js.unknown(group, _ITEM, gpath)
        shared: dict[str, Any] = {}
        consignment_item: dict[str, Any] = {}
        uri = js.text(group, "iD", gpath)
        if uri:
            consignment_item["id"] = uris.parse_kind("consignment-item", uri)[0]
        information = clean_text(
            js.text(group, "information", gpath),
            2048,
            gpath + ".information",
            report,
            multiline=True,
        )
        if information:
            consignment_item["information"] = information
        if consignment_item:
            shared["consignment_item"] = consignment_item
        procedure = js.obj(group, "crossBorderRegulatoryProcedure", gpath)
        text = js.text(procedure, "originCriteriaText", gpath)
        manufacturer = reader.party(
            js.obj(group, "manufacturer", gpath),
            gpath + ".manufacturer",
            cpath("parties", "producers"),
        )
        if manufacturer is not None:
            if manufacturer not in producers:
                producers.append(manufacturer)
            shared["producer_ref"] = producer_id(producers.index(manufacturer) + 1)
        for line_index, line in enumerate(js.get(group, "tradeLineItems", list, gpath) or []):
            lpath = f"{gpath}.tradeLineItems[{line_index}]"
            if not isinstance(line, dict):
                raise InputError(f"{lpath} is not a JSON object")
            js.unknown(line, _LINE, lpath)
            item: dict[str, Any] = dict(shared)
            number = js.get(line, "sequenceNumber", (int, float), lpath)
            if number is None or number != int(number):
                number = len(lines) + 1
                report.derived(
                    lpath + ".sequenceNumber", "absent or not whole; position used", number
                )
            item["sequence_number"] = int(number)
            if text:
                item["origin_criterion"] = reader.criterion(
                    text, cpath("goods_items", len(lines), "origin_criterion")
                )
            read_product(reader, js.obj(line, "tradeProduct", lpath), lpath, item)
            reference = js.obj(line, "invoiceReference", lpath)
            invoice_uri = js.text(reference, "iD", lpath + ".invoiceReference")
            if invoice_uri:
                invoice: dict[str, Any] = {"number": uris.parse_kind("invoice", invoice_uri)[0]}
                issued = js.text(reference, "formattedIssueDateTime", lpath)
                if issued:
                    invoice["issue_date"] = as_date(issued)
                file = js.obj(reference, "attachedBinaryFile", lpath)
                if js.text(file, "uRI", lpath):
                    invoice["uri"] = js.text(file, "uRI", lpath)
                item["invoice_sequences"] = invoice
            lines.append((item["sequence_number"], item))
    reader.cert["goods_items"] = [item for _, item in sorted(lines, key=lambda pair: pair[0])]
    for item in reader.cert["goods_items"]:
        invoice = item.pop("invoice_sequences", None)
        if invoice is not None:
            if invoice not in invoices:
                invoices.append(invoice)
            item["invoice_sequences"] = [invoices.index(invoice) + 1]
    if producers:
        parties["producers"] = [
            {**p, "party_id": producer_id(n + 1)} for n, p in enumerate(producers)
        ]
    if invoices:
        reader.cert["references"] = {
            "invoices": [{"sequence": n + 1, **i} for n, i in enumerate(invoices)]
        }


def read_product(reader: _Reader, node: dict[str, Any], lpath: str, item: dict[str, Any]) -> None:
    js, report = reader.js, reader.report
    path = lpath + ".tradeProduct"
    uri = js.text(node, "iD", path)
    if uri:
        scheme, value, known = uris.parse_identifier(uri)
        if not known:
            report.degraded(path + ".iD", "unknown URI prefix; the whole URI is kept", uri)
        item["product_identifier"] = {"scheme": scheme, "value": value}
    description = clean_text(
        js.text(node, "description", path), 2048, path + ".description", report, multiline=True
    )
    if description:
        item["description"] = description
    tariff = js.obj(node, "harmonisedTariffCode", path)
    code = js.text(tariff, "classCode", path)
    if code:
        item["hs_code"] = "".join(ch for ch in code if ch.isdigit()) or code
    name = clean_text(js.text(tariff, "className", path), 512, path + ".className", report)
    if name:
        item["hs_description"] = name
    origin = js.obj(node, "originCountry", path)
    if js.text(origin, "code", path):
        item["origin_country"] = js.text(origin, "code", path)
    if "name" in origin:
        report.dropped(path + ".originCountry.name", "derivable from the code", origin["name"])
