"""Code lists (``dataset.md`` §13): countries, currencies, HS 2022, UN/ECE Rec 19/20/21.

Countries and currencies come from pycountry (ISO 3166-1 and ISO 4217); the minor units of
currencies, which pycountry does not carry, are listed here from ISO 4217 List One. The HS 2022
table and the UN/ECE recommendations are bundled data files under ``originlink/reference/data``
with their sources in their header lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pycountry

from originlink.reference import data_text

# ISO 4217 List One: currencies whose minor unit is not 2. "N.A." (precious metals, funds,
# testing codes) have no minor unit and are listed as None.
_MINOR_UNIT_EXCEPTIONS: dict[str, int | None] = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
    **dict.fromkeys("CLF UYW".split(), 4),
    **dict.fromkeys("XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split(), None),
}


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → short name (officially assigned codes only)."""
    return {c.alpha_2: c.name for c in pycountry.countries}


def is_country(code: str) -> bool:
    return code in countries()


def country_name(code: str) -> str:
    return countries().get(code, code)


@lru_cache(maxsize=1)
def currencies() -> dict[str, str]:
    """Active ISO 4217 alphabetic code → name."""
    return {c.alpha_3: c.name for c in pycountry.currencies}


def is_currency(code: str) -> bool:
    return code in currencies()


def minor_unit(code: str) -> int | None:
    """Decimal places of the currency's minor unit; None when ISO 4217 gives none (precious
    metals, funds, testing codes) or when ``code`` is not an active currency."""
    if not is_currency(code):
        return None
    return _MINOR_UNIT_EXCEPTIONS.get(code, 2)


def _rows(name: str) -> list[dict[str, str]]:
    text = data_text(name)
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@dataclass(frozen=True, slots=True)
class HsEntry:
    code: str
    description: str
    level: int


@lru_cache(maxsize=1)
def hs2022() -> dict[str, HsEntry]:
    """HS 2022 chapters (2), headings (4) and subheadings (6) by code.

    The table's section ``TOTAL`` rows (``99``, ``9999``, ``999999`` "commodities not specified
    according to kind", a UN Comtrade reporting code) are not part of the WCO nomenclature and
    are left out, so ``999999`` is not a subheading."""
    out: dict[str, HsEntry] = {}
    for row in _rows("hs2022-nomenclature.csv"):
        level = row.get("level", "")
        if row.get("section") == "TOTAL":
            continue
        if level in {"2", "4", "6"}:
            out[row["hscode"]] = HsEntry(row["hscode"], row["description"], int(level))
    return out


def hs_search(text: str, *, limit: int = 10) -> list[HsEntry]:
    """HS 2022 subheadings (6 digits) for what someone is typing: a code prefix (dots and
    spaces ignored: ``8482.10`` finds ``848210``) or words of the description (all of them,
    in any order, case ignored); headings and chapters follow a code prefix too short for a
    subheading. Bounded: at most ``limit`` entries, the text cut at 100 characters."""
    text = text.strip()[:100]
    digits = "".join(ch for ch in text if ch.isdigit())
    table = hs2022()
    if digits and len(digits) == len(text.replace(".", "").replace(" ", "")):
        found = [e for code, e in table.items() if code.startswith(digits[:6])]
        found.sort(key=lambda e: (e.level != 6, e.code))
        return found[:limit]
    words = [w for w in text.lower().split() if len(w) >= 2]
    if not words:
        return []
    found = []
    for entry in table.values():
        description = entry.description.lower()
        if entry.level == 6 and all(w in description for w in words):
            found.append(entry)
            if len(found) >= limit:
                break
    return found


#: HS editions whose tables are loaded (others give a WARNING under DS-18).
LOADED_HS_EDITIONS = frozenset({"HS2022"})


def hs_subheading_exists(six_digits: str, edition: str = "HS2022") -> bool | None:
    """Whether the 6-digit subheading exists; None when that edition's table is not loaded."""
    if edition not in LOADED_HS_EDITIONS:
        return None
    entry = hs2022().get(six_digits)
    return entry is not None and entry.level == 6


@dataclass(frozen=True, slots=True)
class Unit:
    """A UN/ECE Recommendation 20 unit, with the factor to its kind's base unit if known."""

    code: str
    name: str
    kind: str
    factor: Decimal | None
    base: str | None


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    out: dict[str, Unit] = {}
    for row in _rows("unece-rec20-units.csv"):
        factor = row.get("factor") or ""
        out[row["code"]] = Unit(
            code=row["code"],
            name=row["name"],
            kind=row["kind"],
            factor=Decimal(factor) if factor else None,
            base=row.get("base") or None,
        )
    return out


def is_unit(code: str) -> bool:
    return code in units()


def unit_kind(code: str) -> str | None:
    """``mass``, ``volume``, ``length``, ``area``, ``count``, ``energy``, ``time`` or ``other``;
    None for a code not in the table (DS-23: weights need mass units, volumes volume units)."""
    unit = units().get(code)
    return None if unit is None else unit.kind


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``, or None when not convertible.

    Only units the Rec 20 table gives a factor for, and only within one kind (same base unit),
    convert: a pair, a set or a litre of pure alcohol never becomes a count or a volume."""
    table = units()
    src, dst = table.get(from_unit), table.get(to_unit)
    if src is None or dst is None:
        return None
    if from_unit == to_unit:
        return value
    if src.factor is None or dst.factor is None:
        return None
    if src.base is None or src.base != dst.base:
        return None
    return value * src.factor / dst.factor


@lru_cache(maxsize=1)
def package_types() -> dict[str, str]:
    """UN/ECE Recommendation 21 package type code → name."""
    return {row["code"]: row["name"] for row in _rows("unece-rec21-packages.csv")}


def is_package_type(code: str) -> bool:
    return code in package_types()


@lru_cache(maxsize=1)
def transport_modes() -> dict[str, str]:
    """UN/ECE Recommendation 19 transport mode code → name."""
    return {row["code"]: row["name"] for row in _rows("unece-rec19-transport-modes.csv")}
