"""Building blocks for claim and verification tests: declarations, and received COs stored on a
single customs node the way the exchange stores them."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Finding, Level
from originlink.services.context import Node
from originlink.services.importing.receiving import store_received
from originlink.store.repos.certificates import CertificateRecord
from tests.conftest import load_example

EXAMPLE = "valid/rcep-sg-jp-minimal.json"


def declaration(
    decl_id: str,
    quantity: str,
    *,
    number: str = "RCEP-SG-2025-000123",
    item: int = 1,
    hs_code: str = "8482.10",
    unit: str = "H87",
    importer: str = "Example Trading KK",
    day: str = "2025-03-04",
    agreement: str | None = "RCEP",
    lines: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": decl_id,
        "importer": {"name": importer},
        "date": day,
        "certificate": {"issuing_country": "SG", "number": number},
        "lines": lines
        or [
            {
                "line_number": 1,
                "co_item": item,
                "hs_code": hs_code,
                "quantity": {"value": quantity, "unit_code": unit},
                "customs_value": {"value": "1000.00", "currency_code": "USD"},
            }
        ],
    }
    if agreement is not None:
        data["agreement"] = agreement
    return data


def line(number: int, item: int, quantity: str, unit: str = "H87", hs: str = "848210") -> dict:
    return {
        "line_number": number,
        "co_item": item,
        "hs_code": hs,
        "quantity": {"value": quantity, "unit_code": unit},
        "customs_value": {"value": "10.00", "currency_code": "USD"},
    }


def co_document(
    *,
    number: str = "RCEP-SG-2025-000123",
    example: str = EXAMPLE,
    extra_items: list[dict[str, Any]] | None = None,
    validity_end: date | None = None,
    importer: str | None = None,
) -> dict[str, Any]:
    doc = copy.deepcopy(load_example(example))
    cert = doc["certificate"]
    cert["certificate_number"] = number
    cert["importing_country"] = "JP"
    for extra in extra_items or []:
        cert["goods_items"].append(extra)
    if validity_end is not None:
        cert["validity_end_date"] = validity_end.isoformat()
    if importer is not None:
        cert["parties"]["importer"]["name"] = importer
    return doc


def receive(
    node: Node,
    raw: dict[str, Any] | None = None,
    *,
    sender: str | None = None,
    signature_broken: bool = False,
) -> CertificateRecord:
    """Store a received CO as the exchange does (RECEIVED, or REJECTED with a finding)."""
    raw = raw or co_document()
    findings = (
        [
            Finding(
                Level.SEVERE,
                "signatures.issuing_authority",
                "SIG_INTEGRITY",
                "the signature does not match",
                area="signature",
            )
        ]
        if signature_broken
        else []
    )
    with node.store.transaction() as tx:
        record = store_received(
            tx,
            node,
            CODocument.model_validate(raw),
            findings,
            sender=sender or "SG-CUSTOMS",
            raw=raw,
        )
    assert record is not None
    return record


def kg_item(sequence: int = 2, kilograms: str = "500", hs: str = "721049") -> dict[str, Any]:
    return {
        "sequence_number": sequence,
        "description": "Galvanised steel sheet",
        "hs_code": hs,
        "origin_country": "SG",
        "origin_criterion": {"code": "RVC", "value_content_percent": "45"},
        "net_weight": {"value": kilograms, "unit_code": "KGM"},
        "fob_value": {"value": "900.00", "currency_code": "USD"},
    }
