"""Rules on the goods items: numbering, classification, measures, money, packages.

DS-01 (at least one item), DS-02 (item numbers 1..n), DS-17/DS-18/DS-19 (HS code, subheading,
edition), DS-23 (quantities and weights in Rec 20 units of the right kind), DS-24 (currencies and
amounts), DS-27 (package counts and Rec 21 package types).
"""

from __future__ import annotations

from collections.abc import Iterator

from originlink.domain import codelists
from originlink.domain.dataset import Measure
from originlink.domain.dataset.types import decimal_places, decimal_to_json
from originlink.domain.findings import Finding, join_path
from originlink.domain.validation.rules.base import Rule, Subject, info, severe, warning

_ITEMS = ("certificate", "goods_items")

#: Rec 20 unit kinds a weight and a volume must have (DS-23).
MASS = "mass"
VOLUME = "volume"


def ds01_at_least_one_item(s: Subject) -> Iterator[Finding]:
    if not s.cert.goods_items:
        yield severe(
            "DS-01", join_path(*_ITEMS), "The CO lists no goods; at least one item is needed."
        )


def ds02_item_numbers(s: Subject) -> Iterator[Finding]:
    """Item numbers run 1, 2, 3 ... in array order (claims refer to them)."""
    for i, item in enumerate(s.cert.goods_items):
        if item.sequence_number != i + 1:
            yield severe(
                "DS-02",
                join_path(*_ITEMS, i, "sequence_number"),
                f"Item {i + 1} in the list is numbered {item.sequence_number}; items are "
                "numbered 1, 2, 3 ... in order, without gaps or repeats.",
                expected=i + 1,
                found=item.sequence_number,
            )


def _edition(s: Subject, given: str | None) -> str:
    """As given, else the profile's, else HS 2022 (DS-19 reports the assumption)."""
    if given is not None:
        return given
    if s.profile is not None:
        return s.profile.hs_edition
    return "HS2022"


def ds17_hs_code_digits(s: Subject) -> Iterator[Finding]:
    for i, item in enumerate(s.cert.goods_items):
        path = join_path(*_ITEMS, i, "hs_code")
        digits = item.hs_digits
        if not 6 <= len(digits) <= 12:
            yield severe(
                "DS-17",
                path,
                f"HS code '{item.hs_code}' has {len(digits)} digits; an HS code has 6 to 12 "
                "digits (the 6-digit subheading plus any national digits).",
                digits=len(digits),
            )
        elif digits != item.hs_code:
            yield info(
                "DS-17",
                path,
                f"HS code '{item.hs_code}' is read as {digits} (dots and spaces removed).",
                normalised=digits,
            )


def ds18_hs_subheading_exists(s: Subject) -> Iterator[Finding]:
    for i, item in enumerate(s.cert.goods_items):
        digits = item.hs_digits
        if not 6 <= len(digits) <= 12:
            continue  # DS-17 reports it
        path = join_path(*_ITEMS, i, "hs_code")
        edition = _edition(s, item.hs_edition.value if item.hs_edition else None)
        subheading = digits[:6]
        exists = codelists.hs_subheading_exists(subheading, edition)
        if exists is None:
            yield warning(
                "DS-18",
                path,
                f"Subheading {subheading} was not checked: the {edition} nomenclature is not "
                "loaded on this node.",
                edition=edition,
            )
        elif not exists:
            heading = codelists.hs2022().get(subheading[:4])
            hint = (
                f" (heading {heading.code} exists: {_shorten(heading.description)})"
                if heading is not None
                else f" (heading {subheading[:4]} does not exist either)"
            )
            yield severe(
                "DS-18",
                path,
                f"{subheading} is not a subheading of the {edition} nomenclature{hint}.",
                subheading=subheading,
                edition=edition,
            )
        if len(digits) > 6:
            scheme = item.hs_extension_scheme or "national"
            yield info(
                "DS-18",
                path,
                f"Digits beyond the subheading ({digits[6:]}) were not checked: no {scheme} "
                "tariff table is loaded.",
                extension_scheme=item.hs_extension_scheme,
            )


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(" ,;(") + "..."


def ds19_hs_edition(s: Subject) -> Iterator[Finding]:
    """A given edition is checked structurally; here only the default is reported."""
    for i, item in enumerate(s.cert.goods_items):
        if item.hs_edition is None and s.profile is None:
            yield info(
                "DS-19",
                join_path(*_ITEMS, i, "hs_edition"),
                "No HS edition is given and no agreement profile sets one: HS 2022 is assumed.",
            )


def _measures(s: Subject) -> Iterator[tuple[str, Measure, str | None]]:
    """(path, measure, required unit kind) of every measure in the certificate."""
    for i, item in enumerate(s.cert.goods_items):
        for name, kind in (("quantity", None), ("gross_weight", MASS), ("net_weight", MASS)):
            measure = getattr(item, name)
            if measure is not None:
                yield join_path(*_ITEMS, i, name), measure, kind
    transport = s.cert.transport
    for i, package in enumerate(transport.packages or () if transport else ()):
        base = ("certificate", "transport", "packages", i)
        if package.gross_weight is not None:
            yield join_path(*base, "gross_weight"), package.gross_weight, MASS
        if package.gross_volume is not None:
            yield join_path(*base, "gross_volume"), package.gross_volume, VOLUME


def ds23_measures(s: Subject) -> Iterator[Finding]:
    for i, item in enumerate(s.cert.goods_items):
        if item.quantity is None and item.gross_weight is None and item.net_weight is None:
            yield severe(
                "DS-23",
                join_path(*_ITEMS, i),
                f"Item {item.sequence_number} gives no quantity, gross weight or net weight; "
                "at least one is needed.",
            )
    units = codelists.units()
    for path, measure, kind in _measures(s):
        if measure.value <= 0:
            yield severe(
                "DS-23",
                f"{path}.value",
                f"{decimal_to_json(measure.value)} is not a quantity: it must be greater "
                "than zero.",
            )
        unit = units.get(measure.unit_code)
        if unit is None:
            yield severe(
                "DS-23",
                f"{path}.unit_code",
                f"'{measure.unit_code}' is not a UN/ECE Recommendation 20 unit code.",
                unit_code=measure.unit_code,
            )
        elif kind is not None and unit.kind != kind:
            example = "KGM (kilogram)" if kind == MASS else "MTQ (cubic metre)"
            yield severe(
                "DS-23",
                f"{path}.unit_code",
                f"'{measure.unit_code}' ({unit.name}) is not a {kind} unit; use one such as "
                f"{example}.",
                unit_code=measure.unit_code,
                unit_kind=unit.kind,
                expected_kind=kind,
            )
    for i, item in enumerate(s.cert.goods_items):
        gross, net = item.gross_weight, item.net_weight
        if gross is None or net is None:
            continue
        net_in_gross_unit = codelists.convert(net.value, net.unit_code, gross.unit_code)
        if net_in_gross_unit is not None and net_in_gross_unit > gross.value:
            yield warning(
                "DS-23",
                join_path(*_ITEMS, i, "net_weight"),
                f"Net weight {decimal_to_json(net.value)} {net.unit_code} is more than gross "
                f"weight {decimal_to_json(gross.value)} {gross.unit_code}.",
            )


def ds24_amounts(s: Subject) -> Iterator[Finding]:
    for i, item in enumerate(s.cert.goods_items):
        amount = item.fob_value
        if amount is None:
            continue
        path = join_path(*_ITEMS, i, "fob_value")
        if not codelists.is_currency(amount.currency_code):
            yield severe(
                "DS-24",
                f"{path}.currency_code",
                f"'{amount.currency_code}' is not an active ISO 4217 currency code.",
                currency_code=amount.currency_code,
            )
            continue
        if amount.value < 0:
            yield severe(
                "DS-24",
                f"{path}.value",
                f"An amount cannot be negative ({decimal_to_json(amount.value)}).",
            )
        places = codelists.minor_unit(amount.currency_code)
        if places is not None and decimal_places(amount.value) > places:
            yield severe(
                "DS-24",
                f"{path}.value",
                f"{decimal_to_json(amount.value)} {amount.currency_code} has more decimals than "
                f"the currency allows ({places}).",
                minor_unit=places,
            )


def ds27_packages(s: Subject) -> Iterator[Finding]:
    """The Rec 21 type code (the structural pass reports a count below 1 as DS-27)."""
    known = codelists.package_types()
    for i, item in enumerate(s.cert.goods_items):
        code = item.packages.type_code if item.packages else None
        if code is not None and code not in known:
            yield severe(
                "DS-27",
                join_path(*_ITEMS, i, "packages", "type_code"),
                f"'{code}' is not a UN/ECE Recommendation 21 package type code.",
                type_code=code,
            )


RULES: tuple[Rule, ...] = (
    ds01_at_least_one_item,
    ds02_item_numbers,
    ds17_hs_code_digits,
    ds18_hs_subheading_exists,
    ds19_hs_edition,
    ds23_measures,
    ds24_amounts,
    ds27_packages,
)
