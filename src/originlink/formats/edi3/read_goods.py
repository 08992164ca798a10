"""edi3 consignment items and trade line items → canonical goods items, producers, invoices.

Lines get their consignment item's producer and origin criterion; the invoice list is rebuilt
in order of first use. The packages TradeTrust and the IGL trade portal put on a trade line
(``transportPackages``, outside the edi3 schema) become the item's measures: their number is
the item's package count and the sum of their gross weights its gross weight (both ``DERIVED``);
the packages themselves are kept as shipment packages with their ids and volumes.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from originlink.domain.dataset.types import decimal_to_json
from originlink.domain.findings import Level
from originlink.formats._common import clean_text, cpath
from originlink.formats._producers import producer_id
from originlink.formats.edi3 import uris
from originlink.formats.edi3.access import ReadState
from originlink.formats.edi3.read_parts import package, party, put
from originlink.formats.loss import LossReport
from originlink.formats.reading import pointer

ITEM = frozenset(
    {"iD", "information", "crossBorderRegulatoryProcedure", "manufacturer", "tradeLineItems"}
)
LINE = frozenset({"sequenceNumber", "invoiceReference", "tradeProduct", "transportPackages"})
_CRITERION = re.compile(
    r"(?P<code>[A-Za-z0-9][A-Za-z0-9_:.\-]{0,34})(?:\s+(?P<pct>[0-9]{1,3}"
    r"(?:\.[0-9]{1,2})?)\s*%)?"
)


def as_date(value: str) -> str:
    """The calendar date of an edi3 date-time in its own offset (``2020-06-02T14:30:00Z``)."""
    return value[:10] if re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) else value


def criterion(state: ReadState, text: str, path: str) -> dict[str, Any]:
    """A profile's code (with its percentage) when the text is one, else the text itself."""
    match = _CRITERION.fullmatch(text.strip())
    criteria = state.profile.rules.criteria if state.profile else None
    if match and criteria is not None and criteria.find(match.group("code")) is not None:
        out: dict[str, Any] = {"code": match.group("code")}
        if match.group("pct"):
            out["value_content_percent"] = match.group("pct")
        return out
    state.draft.loss.degraded(path, "not a criterion code of the profile; kept as text", text)
    return {"text": clean_text(text, 1024, path, LossReport(), multiline=True)}


def read_goods(
    state: ReadState, consignment: dict[str, Any], path: str, parties: dict[str, Any]
) -> list[dict[str, Any]]:
    """Goods items (in sequence order) and the packages found on their lines."""
    js, report = state.js, state.draft.loss
    producers: list[dict[str, Any]] = []
    invoices: list[dict[str, Any]] = []
    lines: list[tuple[int, dict[str, Any], str]] = []
    line_packages: list[dict[str, Any]] = []
    for gpath, group in js.items(consignment, "includedConsignmentItems", path):
        js.unknown(group, ITEM, gpath)
        shared: dict[str, Any] = {}
        consignment_item: dict[str, Any] = {}
        uri = js.text(group, "iD", gpath)
        if uri:
            consignment_item["id"] = uris.parse_kind("consignment-item", uri)[0]
        put(
            consignment_item,
            "information",
            clean_text(
                js.text(group, "information", gpath),
                2048,
                gpath + ".information",
                report,
                multiline=True,
            ),
        )
        put(shared, "consignment_item", consignment_item)
        procedure = js.obj(group, "crossBorderRegulatoryProcedure", gpath)
        text = js.text(procedure, "originCriteriaText", gpath + ".crossBorderRegulatoryProcedure")
        manufacturer = party(
            state,
            js.obj(group, "manufacturer", gpath),
            js.path(gpath, group, "manufacturer"),
            cpath("parties", "producers"),
        )
        if manufacturer is not None:
            if manufacturer not in producers:
                producers.append(manufacturer)
            shared["producer_ref"] = producer_id(producers.index(manufacturer) + 1)
        for lpath, line in js.items(group, "tradeLineItems", gpath):
            js.unknown(line, LINE, lpath)
            item: dict[str, Any] = dict(shared)
            number = js.get(line, "sequenceNumber", (int, float), lpath)
            if number is None or number != int(number):
                number = len(lines) + 1
                report.derived(
                    lpath + ".sequenceNumber", "absent or not whole; position used", number
                )
            item["sequence_number"] = int(number)
            index = len(lines)
            if text:
                item["origin_criterion"] = criterion(
                    state, text, cpath("goods_items", index, "origin_criterion")
                )
            read_product(state, js.obj(line, "tradeProduct", lpath), lpath, item, index)
            invoice = read_invoice(state, line, lpath)
            if invoice is not None:
                item["invoice_sequences"] = invoice
            line_packages += line_measures(state, line, lpath, item, index)
            lines.append((item["sequence_number"], item, lpath))
    ordered = sorted(lines, key=lambda entry: entry[0])
    goods = []
    for index, (_, item, lpath) in enumerate(ordered):
        state.source(cpath("goods_items", index), lpath)
        invoice = item.pop("invoice_sequences", None)
        if invoice is not None:
            if invoice not in invoices:
                invoices.append(invoice)
            item["invoice_sequences"] = [invoices.index(invoice) + 1]
        goods.append(item)
    if producers:
        parties["producers"] = [
            {**p, "party_id": producer_id(n + 1)} for n, p in enumerate(producers)
        ]
    if invoices:
        state.cert["references"] = {
            "invoices": [{"sequence": n + 1, **i} for n, i in enumerate(invoices)]
        }
    state.cert["goods_items"] = goods
    return line_packages


def read_invoice(state: ReadState, line: dict[str, Any], lpath: str) -> dict[str, Any] | None:
    js = state.js
    reference = js.obj(line, "invoiceReference", lpath)
    rpath = js.path(lpath, line, "invoiceReference")
    uri = js.text(reference, "iD", rpath)
    if not uri:
        return None
    invoice: dict[str, Any] = {"number": uris.parse_kind("invoice", uri)[0]}
    issued = js.text(reference, "formattedIssueDateTime", rpath)
    if issued:
        invoice["issue_date"] = as_date(issued)
    file = js.obj(reference, "attachedBinaryFile", rpath)
    put(invoice, "uri", js.text(file, "uRI", js.path(rpath, reference, "attachedBinaryFile")))
    return invoice


def read_product(
    state: ReadState, node: dict[str, Any], lpath: str, item: dict[str, Any], index: int
) -> None:
    js, report = state.js, state.draft.loss
    path = lpath + ".tradeProduct"
    uri = js.text(node, "iD", path)
    if uri:
        scheme, value, known = uris.parse_identifier(uri)
        if not known:
            report.degraded(path + ".iD", "unknown URI prefix; the whole URI is kept", uri)
        item["product_identifier"] = {"scheme": scheme, "value": value}
    put(
        item,
        "description",
        clean_text(
            js.text(node, "description", path), 2048, path + ".description", report, multiline=True
        ),
    )
    tariff = js.obj(node, "harmonisedTariffCode", path)
    tpath = path + ".harmonisedTariffCode"
    code = js.text(tariff, "classCode", tpath)
    if code:
        item["hs_code"] = "".join(ch for ch in code if ch.isdigit()) or code
    put(item, "hs_description", clean_text(js.text(tariff, "className", tpath), 512, tpath, report))
    origin = js.obj(node, "originCountry", path)
    put(item, "origin_country", js.text(origin, "code", path + ".originCountry"))
    if "name" in origin:
        report.dropped(path + ".originCountry.name", "derivable from the code", origin["name"])
    for key, what in (("description", "a description"), ("hs_code", "an HS code")):
        if key not in item:
            member = "description" if key == "description" else "harmonisedTariffCode.classCode"
            js.missing(path, member, f"the goods item has no {what}", cpath("goods_items", index))


def line_measures(
    state: ReadState, line: dict[str, Any], lpath: str, item: dict[str, Any], index: int
) -> list[dict[str, Any]]:
    """The line's packages: their count and summed gross weight become the item's measures."""
    js, report = state.js, state.draft.loss
    found = [
        (where, package(state, node, where))
        for where, node in js.items(line, "transportPackages", lpath)
    ]
    if not found:
        return []
    path = cpath("goods_items", index)
    packages = [p for _, p in found]
    item["packages"] = {"count": len(packages)}
    report.derived(
        path + ".packages.count", "the number of the line's transport packages", len(packages)
    )
    weights = [p.get("gross_weight") for p in packages]
    units = {w["unit_code"] for w in weights if w}
    if all(weights) and len(units) == 1:
        total = sum((Decimal(w["value"]) for w in weights if w), Decimal(0))
        item["gross_weight"] = {"value": decimal_to_json(total), "unit_code": units.pop()}
        report.derived(
            path + ".gross_weight",
            f"the sum of the gross weights of the line's {len(packages)} transport packages",
            [w["value"] for w in weights if w],
        )
    else:
        why = "some have none" if not all(weights) else f"units differ ({', '.join(units)})"
        state.draft.note(
            Level.WARNING,
            "READ-VALUE",
            path + ".gross_weight",
            f"The gross weights of the line's packages are not summed: {why}.",
            pointer(js.path(lpath, line, "transportPackages")),
        )
    return packages


def tie_shipment_packages(state: ReadState, packages: list[dict[str, Any]]) -> None:
    """Shipment packages belong to the only goods item there is: its count and gross weight."""
    goods = state.cert.get("goods_items") or []
    if len(goods) != 1 or not packages or "packages" in goods[0]:
        return
    item, path = goods[0], cpath("goods_items", 0)
    item["packages"] = {"count": len(packages)}
    state.draft.loss.derived(
        path + ".packages.count",
        "the shipment's packages, all of the only goods item",
        len(packages),
    )
    weights = [p.get("gross_weight") for p in packages]
    units = {w["unit_code"] for w in weights if w}
    if "gross_weight" not in item and all(weights) and len(units) == 1:
        total = sum((Decimal(w["value"]) for w in weights if w), Decimal(0))
        item["gross_weight"] = {"value": decimal_to_json(total), "unit_code": units.pop()}
        state.draft.loss.derived(
            path + ".gross_weight", "the sum of the shipment packages' gross weights", len(weights)
        )
