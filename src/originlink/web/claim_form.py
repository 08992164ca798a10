"""The preference-claim form's fields to the declaration the claims service reads.

Only a change of shape: the rows of the lines table become ``lines`` (a row left blank is not a
line; the others are numbered in order), every value stays the string typed, and the service
(:func:`originlink.services.importing.claims.submit_declaration`) checks and decides it all.
Labels of the decision's reason codes are here too, for the decision page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from originlink.services.importing.received_view import ReceivedView
from originlink.web.navigation import N_

#: The most rows the form offers and reads.
MAX_ROWS = 60
LINE_FIELDS = ("co_item", "hs_code", "quantity", "unit_code", "value", "currency")

REASON_LABELS = {
    "CO_NOT_FOUND": N_("no such certificate was received or could be pulled"),
    "CO_CANCELLED": N_("the certificate was cancelled"),
    "CO_REPLACED": N_("the certificate was replaced"),
    "CO_EXPIRED": N_("the certificate had expired"),
    "CO_REJECTED": N_("the certificate was rejected on receipt"),
    "SIGNATURE_INVALID": N_("the certificate's signature is not valid"),
    "AGREEMENT_MISMATCH": N_("the agreement differs from the certificate's"),
    "IMPORTER_MISMATCH": N_("the importer differs from the certificate's"),
    "ITEM_NOT_ON_CO": N_("the certificate has no such item"),
    "HS_MISMATCH": N_("the HS code differs from the item's"),
    "QUANTITY_EXCEEDED": N_("more than what remains of the item (over-claim)"),
    "ORIGIN_NOT_CONFIRMED": N_("verification did not confirm the origin"),
    "UNIT_NOT_CONVERTIBLE": N_("the unit cannot be converted to the item's"),
    "CO_NOT_RECEIVED": N_("the certificate has not arrived yet"),
    "CO_UNDER_VERIFICATION": N_("the certificate is under verification"),
    "QUANTITY_NOT_ON_CO": N_("the item states no quantity to draw on"),
    "RELEASE_UNDER_GUARANTEE": N_("release under guarantee"),
    "ALL_CHECKS_PASSED": N_("all checks passed"),
}


def declaration_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The declaration document of the posted form."""
    lines: list[dict[str, Any]] = []
    for row in range(1, MAX_ROWS + 1):
        cells = {name: form.get(f"line-{row}-{name}", "").strip() for name in LINE_FIELDS}
        if not any(cells.values()):
            continue
        item: Any = int(cells["co_item"]) if cells["co_item"].isdigit() else cells["co_item"]
        lines.append(
            {
                "line_number": len(lines) + 1,
                "co_item": item,
                "hs_code": cells["hs_code"],
                "quantity": {"value": cells["quantity"], "unit_code": cells["unit_code"].upper()},
                "customs_value": {
                    "value": cells["value"],
                    "currency_code": cells["currency"].upper(),
                },
            }
        )
    data: dict[str, Any] = {
        "id": form.get("id", "").strip(),
        "importer": {"name": form.get("importer", "").strip()},
        "date": form.get("date", "").strip(),
        "certificate": {
            "issuing_country": form.get("issuing_country", "").strip().upper(),
            "number": form.get("number", "").strip(),
        },
        "lines": lines,
    }
    agreement = form.get("agreement", "").strip().upper()
    if agreement:
        data["agreement"] = agreement
    return data


def form_from_certificate(view: ReceivedView, today: str) -> dict[str, str]:
    """A new claim's form filled from a received CO: its reference, importer, agreement, and a
    row per item (HS code and unit; quantity and value left to the officer)."""
    cert = view.document.certificate
    values = {
        "issuing_country": view.record.issuing_country,
        "number": view.record.number,
        "agreement": view.record.agreement or "",
        "importer": view.record.importer_name or "",
        "date": today,
    }
    units = {row["item"]: row["unit_code"] or "" for row in view.items}
    for row, goods in enumerate(cert.goods_items[: MAX_ROWS - 1], start=1):
        values[f"line-{row}-co_item"] = str(goods.sequence_number)
        values[f"line-{row}-hs_code"] = goods.hs_digits[:6]
        values[f"line-{row}-unit_code"] = units.get(goods.sequence_number, "")
    return values


def row_count(values: Mapping[str, str]) -> int:
    """Rows to show: every filled row and one blank one."""
    filled = [
        row
        for row in range(1, MAX_ROWS + 1)
        if any(values.get(f"line-{row}-{name}") for name in LINE_FIELDS)
    ]
    return min(MAX_ROWS, (max(filled) if filled else 0) + 1)
