"""Goods item measures and origin rules as the COD writes them (``dataset.md`` §11.3)."""

from __future__ import annotations

from lxml import etree

from originlink.domain.dataset import GoodsItem
from originlink.domain.dataset.types import decimal_to_json
from originlink.formats.aladi_cod import codes
from originlink.formats.loss import LossReport
from originlink.formats.ubl.names import sub


def write_weight(goods: etree._Element, item: GoodsItem, path: str, report: LossReport) -> None:
    """``GoodsItemWeightAmount``: the quantity, else the net weight, else the gross weight."""
    chosen = next(
        (
            (k, m)
            for k in ("quantity", "net_weight", "gross_weight")
            if (m := getattr(item, k)) is not None
        ),
        None,
    )
    if chosen is None:
        return
    key, measure = chosen
    for other in ("quantity", "net_weight", "gross_weight"):
        if other != key and getattr(item, other) is not None:
            report.dropped(
                f"{path}.{other}",
                f"GoodsItemWeightAmount holds the {key}",
                getattr(item, other),
            )
    if key != "quantity":
        report.degraded(
            f"{path}.{key}", "written in GoodsItemWeightAmount, read back as the quantity"
        )
        report.degraded(
            f"{path}.quantity",
            f"a reader takes the {key} for the quantity",
            decimal_to_json(measure.value),
        )
    unit = codes.REC20_TO_UNITS.get(measure.unit_code)
    if unit is None:
        unit = measure.unit_code
        report.degraded(
            f"{path}.{key}.unit_code",
            "no ALADI unit code in the table; the Rec 20 code is written",
            unit,
        )
    elif unit == "UN":
        report.derived(
            f"{path}.{key}.unit_code",
            "H87 written as ALADI UN (mapping to be confirmed, dataset §13.3)",
            unit,
        )
    sub(goods, "GoodsItemWeightAmount", decimal_to_json(measure.value))
    sub(goods, "GoodsItemMeasureUnit", unit)


def rules_text(item: GoodsItem, path: str, report: LossReport) -> str | None:
    """``GoodsItemOriginRules``: the criterion code (and percentage) and its text."""
    criterion = item.origin_criterion
    if criterion is None:
        return None
    report.degraded(path + ".origin_criterion", "one free text in GoodsItemOriginRules")
    head = criterion.code or ""
    if criterion.code and criterion.value_content_percent is not None:
        head += f" {decimal_to_json(criterion.value_content_percent)}%"
    if head and criterion.text:
        return f"{head} — {criterion.text}"
    return head or criterion.text
