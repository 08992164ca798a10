"""edi3 code mappings shared by writer and reader: lifecycle status, measures, HS codes."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from originlink.domain.dataset import Measure, Status
from originlink.domain.dataset.types import decimal_to_json

#: Canonical status → edi3 lifecycle value (§11.2). CANCELLED and REPLACED are outside it.
STATUS_TO_EDI3: dict[Status, str] = {
    Status.DRAFT: "draft",
    Status.SUBMITTED: "submitted",
    Status.NOT_ISSUED: "not-issued",
    Status.ISSUED: "issued",
    Status.EXPIRED: "expired",
    Status.CANCELLED: "cancelled",
    Status.REPLACED: "replaced",
}
OUTSIDE_LIFECYCLE = frozenset({Status.CANCELLED, Status.REPLACED})
STATUS_FROM_EDI3: dict[str, Status] = {v: k for k, v in STATUS_TO_EDI3.items()}
#: Importing-side values: verification and use at import, not the issuer's status.
IMPORTING_SIDE = frozenset({"disputed", "verified", "acquitted", "rejected"})

#: Unit symbols seen in edi3 samples → UN/ECE Rec 20 codes.
UNIT_SYMBOLS: dict[str, str] = {
    "kg": "KGM",
    "kgs": "KGM",
    "g": "GRM",
    "t": "TNE",
    "m3": "MTQ",
    "l": "LTR",
    "lb": "LBR",
}
_MEASURE = re.compile(r"\s*(-?[0-9]+(?:\.[0-9]+)?)\s*([A-Za-z0-9]{1,4})\s*")
_REC20 = re.compile(r"[A-Z0-9]{2,3}")


def measure_text(measure: Measure) -> str:
    return f"{decimal_to_json(measure.value)} {measure.unit_code}"


def parse_measure(text: str) -> tuple[dict[str, str] | None, bool]:
    """``({value, unit_code} or None, normalised)`` from ``"450 KGM"`` or ``"450 kg"``."""
    match = _MEASURE.fullmatch(text)
    if not match:
        return None, False
    number, unit = match.groups()
    try:
        Decimal(number)
    except InvalidOperation:  # pragma: no cover - the pattern rules this out
        return None, False
    if _REC20.fullmatch(unit):
        return {"value": number, "unit_code": unit}, False
    code = UNIT_SYMBOLS.get(unit.lower())
    if code is None:
        return None, False
    return {"value": number, "unit_code": code}, True


def dotted_hs(digits: str) -> str:
    """``848210`` → ``8482.10``; ``87042210`` → ``8704.22.10``."""
    head, rest = digits[:4], digits[4:]
    pairs = [rest[i : i + 2] for i in range(0, len(rest), 2)]
    return ".".join([head, *pairs]) if pairs else head
