"""Goods items → edi3 consignment items and trade line items (§6, §11.2 "Grouping").

edi3 puts the producer and the origin criterion on the consignment item, so goods items are
grouped by (consignment item, producer, criterion); every line of a group gets the group's
values back on import. A line carries one invoice; the reader rebuilds the invoice list in order
of first use, which this module predicts to report exactly what changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from originlink.domain.dataset import Certificate, GoodsItem, Producer
from originlink.domain.dataset.types import decimal_to_json
from originlink.formats._common import cpath
from originlink.formats.edi3 import uris
from originlink.formats.edi3.common import dotted_hs
from originlink.formats.edi3.parties import trade_party
from originlink.formats.loss import LossReport

_LINE_ONLY = (
    "quantity",
    "gross_weight",
    "net_weight",
    "fob_value",
    "packages",
    "hs_edition",
    "hs_extension_scheme",
    "origin_declaration",
)


def criterion_text(item: GoodsItem) -> str | None:
    criterion = item.origin_criterion
    if criterion is None:
        return None
    if criterion.code:
        percent = criterion.value_content_percent
        return criterion.code + (f" {decimal_to_json(percent)}%" if percent is not None else "")
    return criterion.text


def consignment_item_uri(value: str) -> str:
    return value if uris.is_absolute_uri(value) else uris.kind_uri("consignment-item", value)


def _group_key(item: GoodsItem, producers: dict[str, Producer]) -> str:
    ci = item.consignment_item
    producer = item.producer_ref if item.producer_ref in producers else None
    criterion = item.origin_criterion.model_dump(mode="json") if item.origin_criterion else None
    return json.dumps(
        [ci.id if ci else None, ci.information if ci else None, producer, criterion], sort_keys=True
    )


def write_consignment_items(
    cert: Certificate,
    producers: dict[str, Producer],
    report: LossReport,
    date_time: Callable[[Any, str], str],
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    reported: set[str] = set()
    invoices = {
        i.sequence: i for i in (cert.references.invoices if cert.references else None) or ()
    }
    for index, item in enumerate(cert.goods_items):
        path = cpath("goods_items", index)
        key = _group_key(item, producers)
        if key not in groups:
            group: dict[str, Any] = {}
            ci = item.consignment_item
            if ci and ci.id:
                group["iD"] = consignment_item_uri(ci.id)
            if ci and ci.information:
                group["information"] = ci.information
            text = criterion_text(item)
            if text:
                group["crossBorderRegulatoryProcedure"] = {"originCriteriaText": text}
            if item.producer_ref in producers:
                producer = producers[item.producer_ref]
                position = (cert.parties.producers or []).index(producer)
                first_use = item.producer_ref not in reported
                reported.add(item.producer_ref)
                group["manufacturer"] = trade_party(
                    producer,
                    cpath("parties", "producers", position),
                    report if first_use else LossReport(),
                )
            group["tradeLineItems"] = []
            groups[key] = group
        if item.origin_criterion is not None:
            report.degraded(
                path + ".origin_criterion",
                "one text per consignment item (percentage folded in)",
                criterion_text(item),
            )
        for member in _LINE_ONLY:
            value = getattr(item, member)
            if value is not None:
                report.dropped(f"{path}.{member}", "no edi3 member for trade line items", value)
        if item.hs_code != item.hs_digits:
            report.degraded(path + ".hs_code", "written dotted; read back as digits", item.hs_code)
        line: dict[str, Any] = {"sequenceNumber": item.sequence_number}
        sequences = item.invoice_sequences or []
        invoice = invoices.get(sequences[0]) if sequences else None
        if invoice is not None:
            reference: dict[str, Any] = {"iD": uris.kind_uri("invoice", invoice.number)}
            if invoice.issue_date:
                reference["formattedIssueDateTime"] = date_time(
                    invoice.issue_date, cpath("references", "invoices")
                )
            if invoice.uri:
                reference["attachedBinaryFile"] = {"uRI": invoice.uri}
            line["invoiceReference"] = reference
        line["tradeProduct"] = product(item)
        groups[key]["tradeLineItems"].append(line)
    report_invoices(cert, report)
    return list(groups.values())


def product(item: GoodsItem) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if item.product_identifier:
        out["iD"], _ = uris.identifier_uri(item.product_identifier)
    out["description"] = item.description
    tariff: dict[str, Any] = {"classCode": dotted_hs(item.hs_digits)}
    if item.hs_description:
        tariff["className"] = item.hs_description
    out["harmonisedTariffCode"] = tariff
    if item.origin_country:
        out["originCountry"] = {"code": item.origin_country}
    return out


def report_invoices(cert: Certificate, report: LossReport) -> None:
    """Predict the invoice list the reader rebuilds (first use, one per line) and report."""
    invoices = list((cert.references.invoices if cert.references else None) or [])
    by_sequence = {i.sequence: i for i in invoices}
    rebuilt: list[tuple[str, Any, Any]] = []
    used: set[int] = set()
    for index, item in enumerate(cert.goods_items):
        sequences = item.invoice_sequences or []
        for later in sequences[1:]:
            report.dropped(
                cpath("goods_items", index, "invoice_sequences"),
                "edi3 links one invoice per line",
                later,
            )
        first = by_sequence.get(sequences[0]) if sequences else None
        if first is None:
            continue
        used.add(first.sequence)
        key = (first.number, first.issue_date, first.uri)
        if key not in rebuilt:
            rebuilt.append(key)
        if rebuilt.index(key) + 1 != first.sequence or len(sequences) > 1:
            report.degraded(
                cpath("goods_items", index, "invoice_sequences"),
                "invoices are renumbered in order of first use",
                sequences,
            )
    for index, invoice in enumerate(invoices):
        if invoice.sequence not in used:
            report.dropped(
                cpath("references", "invoices", index), "not linked to a goods item", invoice.number
            )
        if invoice.issued_by_invoicing_operator:
            report.dropped(
                cpath("references", "invoices", index, "issued_by_invoicing_operator"),
                "no edi3 member",
                True,
            )
    original = [((i.number, i.issue_date, i.uri), i.sequence) for i in invoices]
    predicted = [(key, n + 1) for n, key in enumerate(rebuilt)]
    if invoices and original != predicted:
        report.degraded(
            cpath("references", "invoices"),
            "rebuilt from the lines in order of first use",
            len(invoices),
        )
