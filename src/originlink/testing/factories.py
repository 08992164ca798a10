"""Application contents with dates around "now", for demos, benchmarks and tests that run on
the real clock (the bundled examples have fixed 2025 dates)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


def fresh_application(
    now: datetime,
    *,
    exporting: str = "SG",
    importing: str = "JP",
    agreement: str = "RCEP",
    items: int = 1,
    quantity: int = 1200,
    reference: str = "PO-1",
) -> dict[str, Any]:
    """An RCEP application (no issuer-owned members) shipped tomorrow, declared an hour ago."""
    today = now.date()
    goods = [
        {
            "sequence_number": n,
            "description": f"Ball bearings, type {n}, {10 * n} cartons",
            "hs_code": "848210",
            "hs_edition": "HS2022",
            "origin_country": exporting,
            "origin_criterion": {"code": "RVC", "value_content_percent": "45"},
            "quantity": {"value": str(quantity * n), "unit_code": "H87"},
            "gross_weight": {"value": f"{350 * n}.5", "unit_code": "KGM"},
            "fob_value": {"value": f"{18250 * n}.00", "currency_code": "USD"},
            "packages": {"count": 10 * n, "type_code": "CT"},
            "invoice_sequences": [1],
        }
        for n in range(1, items + 1)
    ]
    return {
        "certificate": {
            "form_code": "FORM_RCEP" if agreement == "RCEP" else "FORM",
            "is_preferential": True,
            "agreement": {"code": agreement},
            "issuing_country": exporting,
            "exporting_country": exporting,
            "importing_country": importing,
            "application_reference": reference,
            "parties": {
                "exporter": {
                    "name": "Example Precision Pte Ltd",
                    "identifiers": [{"scheme": "SG:UEN", "value": "201912345K"}],
                    "address": {
                        "lines": ["1 Example Way"],
                        "city": "Singapore",
                        "country_code": exporting,
                    },
                },
                "producer_statement": "SAME_AS_EXPORTER",
                "importer": {
                    "name": "Example Trading KK",
                    "address": {"city": "Osaka", "country_code": importing},
                },
            },
            "transport": {
                "mode_code": "1",
                "departure_datetime": (today + timedelta(days=1)).isoformat(),
                "loading_location": {"locode": "SGSIN", "name": "Singapore"},
            },
            "goods_items": goods,
            "references": {
                "invoices": [
                    {"sequence": 1, "number": f"INV-{reference}", "issue_date": today.isoformat()}
                ]
            },
            "declarations": {
                "exporter": {"date": (now - timedelta(hours=1)).replace(microsecond=0).isoformat()}
            },
        }
    }
