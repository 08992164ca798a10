"""Units and countries as people read them on a form: "1,200 pieces", "350.5 kg", "VIET NAM".

Units come from UN/ECE Recommendation 20 (``reference/data/unece-rec20-units.csv``): the
symbol Rec 20 gives for SI and other usual units (kg, t, l, m³), else the unit's name, in the
plural when the quantity is not one. A code outside the table is printed as it is.
"""

from __future__ import annotations

from decimal import Decimal

from originlink.domain.codelists import country_name, units

#: Rec 20 symbols of the units met on certificates (Rec 20 Annex II/III "Symbol" column).
UNIT_SYMBOLS: dict[str, str] = {
    "KGM": "kg", "GRM": "g", "MGM": "mg", "MC": "µg", "CGM": "cg", "DG": "dg", "DJ": "dag",
    "HGM": "hg", "DTN": "dt", "TNE": "t", "KTN": "kt", "CTM": "ct", "LBR": "lb", "ONZ": "oz",
    "MTQ": "m³", "DMQ": "dm³", "CMQ": "cm³", "MMQ": "mm³", "LTR": "l", "MLT": "ml",
    "4G": "µl", "CLT": "cl", "DLT": "dl", "A44": "dal", "HLT": "hl", "K6": "kl", "MAL": "Ml",
    "MTR": "m", "MMT": "mm", "4H": "µm", "CMT": "cm", "DMT": "dm", "KMT": "km", "INH": "in",
    "FOT": "ft", "YRD": "yd", "MTK": "m²", "MMK": "mm²", "CMK": "cm²", "DMK": "dm²",
    "ARE": "a", "DAA": "daa", "HAR": "ha", "KMK": "km²", "INK": "in²", "FTK": "ft²",
    "YDK": "yd²", "JOU": "J", "KJO": "kJ", "3B": "MJ", "GV": "GJ", "WHR": "W·h",
    "KWH": "kW·h", "MWH": "MW·h", "GWH": "GW·h", "SEC": "s", "MIN": "min", "HUR": "h",
    "DAY": "d", "KWT": "kW", "MAW": "MW",
}  # fmt: skip
#: Plural of Rec 20 names as printed ("number of articles" → "articles").
_PLURALS = {
    "one": "units",
    "number of articles": "articles",
    "number of pairs": "pairs",
    "number of packs": "packs",
    "number of cells": "cells",
    "dozen": "dozen",
    "gross": "gross",
    "each": "each",
    "hundred": "hundred",
    "thousand": "thousand",
    "million": "million",
    "milliard": "milliard",
    "dozen piece": "dozen pieces",
    "dozen pair": "dozen pairs",
    "dozen pack": "dozen packs",
}
#: Short names forms use where ISO 3166's is long or inverted ("Korea, Republic of").
FORM_COUNTRY_NAMES: dict[str, str] = {
    "KR": "Republic of Korea",
    "KP": "Democratic People's Republic of Korea",
    "LA": "Lao PDR",
    "TW": "Taiwan",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "IR": "Iran",
    "RU": "Russia",
    "TZ": "Tanzania",
    "MD": "Moldova",
    "SY": "Syria",
    "GB": "United Kingdom",
    "US": "United States",
    "CZ": "Czech Republic",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VA": "Holy See",
}


def unit_words(code: str, value: Decimal | None = None) -> str:
    """``kg`` for KGM, ``pieces`` for H87 (``piece`` for exactly one), the code if unknown."""
    symbol = UNIT_SYMBOLS.get(code)
    if symbol is not None:
        return symbol
    unit = units().get(code)
    if unit is None:
        return code
    name = unit.name.split(" [")[0]
    if value is not None and value == 1:
        return name
    if name in _PLURALS:
        return _PLURALS[name]
    head, sep, rest = name.partition(" (")
    plural = head if head.endswith("s") else head + "s"
    return f"{plural}{sep}{rest}"


def country_words(code: str) -> str:
    """The country's name as forms print it, in capitals (``VIET NAM``, ``LAO PDR``)."""
    return FORM_COUNTRY_NAMES.get(code, country_name(code)).upper()
