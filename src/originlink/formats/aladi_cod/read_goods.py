"""``GoodsList/Goods`` of a COD → canonical goods items (§6, §11.3)."""

from __future__ import annotations

import re
from typing import Any, Protocol

from lxml import etree

from originlink.domain.errors import InputError
from originlink.domain.profiles import AgreementProfile
from originlink.formats._common import clean_text, cpath
from originlink.formats.aladi_cod import codes
from originlink.formats.loss import LossReport
from originlink.formats.ubl.read_goods import decimal_text
from originlink.formats.xml_source import Source

_RULE = re.compile(
    r"(?P<code>[A-Za-z0-9][A-Za-z0-9_:.\-]{0,34})(?:\s+(?P<pct>[0-9]{1,3}"
    r"(?:\.[0-9]{1,2})?)%)?(?:\s+—\s+(?P<text>.+))?",
    re.S,
)


class GoodsReader(Protocol):
    """What reading the goods needs from the COD reader."""

    src: Source
    report: LossReport
    profile: AgreementProfile
    what: str


def read_goods(reader: GoodsReader, form: etree._Element) -> list[dict[str, Any]]:
    src, report, profile = reader.src, reader.report, reader.profile
    block = src.one(form, "GoodsList")
    items: list[dict[str, Any]] = []
    elements = src.all(block, "Goods")
    count = src.text(block, "GoodsQty")
    if count is not None and count != str(len(elements)):
        raise InputError(
            f"{reader.what}: GoodsQty is {count} but there are {len(elements)} Goods elements"
        )
    for index, goods in enumerate(elements):
        path = cpath("goods_items", index)
        order = src.text(goods, "GoodsOrderNo")
        item: dict[str, Any] = {
            "sequence_number": int(order) if order and order.isdigit() else index + 1
        }
        code = src.text(goods, "GoodsItemCode")
        if code:
            item["hs_code"] = "".join(ch for ch in code if ch.isdigit()) or code
            if len(item["hs_code"]) > 6:
                item["hs_extension_scheme"] = "NALADISA"
                report.derived(path + ".hs_extension_scheme", "COD codes are NALADI/SA", "NALADISA")
        description = src.text(goods, "GoodsItemName") or src.text(goods, "GoodsDescription")
        text = clean_text(description, 2048, path + ".description", report, multiline=True)
        if text:
            item["description"] = text
        amount = src.text(goods, "GoodsItemWeightAmount")
        unit = src.text(goods, "GoodsItemMeasureUnit")
        if amount:
            item["quantity"] = {
                "value": decimal_text(amount),
                "unit_code": rec20_unit(unit, path + ".quantity.unit_code", reader),
            }
        fob = src.text(goods, "GoodsItemFOB") or src.text(goods, "GoodsItemValue")
        if fob:
            if profile.fob_currency is None:
                report.dropped(
                    path + ".fob_value", f"profile {profile.code} names no FOB currency", fob
                )
            else:
                item["fob_value"] = {
                    "value": decimal_text(fob),
                    "currency_code": profile.fob_currency,
                }
                report.derived(
                    path + ".fob_value.currency_code",
                    "the agreement profile's FOB currency",
                    profile.fob_currency,
                )
        rules = src.text(goods, "GoodsItemOriginRules")
        if rules:
            item["origin_criterion"] = parse_rules(
                rules, profile, path + ".origin_criterion", report
            )
        invoice = src.text(goods, "GoodsInvoiceOrderNo")
        if invoice and invoice.isdigit():
            item["invoice_sequences"] = [int(invoice)]
        declaration = {
            k: v
            for k, v in (
                ("number", src.text(goods, "GoodsDeclarationNumber")),
                ("date", (src.text(goods, "GoodsDeclarationDate") or "")[:10] or None),
            )
            if v
        }
        if declaration:
            item["origin_declaration"] = declaration
        items.append(item)
    return items


def rec20_unit(unit: str | None, path: str, reader: GoodsReader) -> str:
    if unit is None:
        reader.report.derived(path, "no GoodsItemMeasureUnit; read as H87 (piece)", "H87")
        return "H87"
    mapped = codes.UNITS_TO_REC20.get(unit)
    if mapped is not None:
        if unit == "UN":
            reader.report.derived(
                path, "ALADI UN read as H87 (mapping to be confirmed, dataset §13.3)", mapped
            )
        return mapped
    reader.report.degraded(path, "ALADI unit code not in the table; kept unchanged", unit)
    return unit


def parse_rules(
    text: str, profile: AgreementProfile, path: str, report: LossReport
) -> dict[str, Any]:
    """``GoodsItemOriginRules``: a code of the profile (with an optional percentage and text)
    when the text starts with one, else free text (``DEGRADED``)."""
    criteria = profile.rules.criteria
    match = _RULE.fullmatch(text.strip())
    if match and criteria is not None and criteria.find(match.group("code")) is not None:
        out: dict[str, Any] = {"code": match.group("code")}
        if match.group("pct"):
            out["value_content_percent"] = match.group("pct")
        if match.group("text"):
            out["text"] = clean_text(
                match.group("text"), 1024, path + ".text", report, multiline=True
            )
        return out
    report.degraded(path, "not a criterion code of the profile; kept as text", text)
    return {"text": clean_text(text, 1024, path + ".text", LossReport(), multiline=True)}
