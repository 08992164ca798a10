"""The choices forms offer, from the node's reference data: agreements and their origin
criteria (the agreement profiles), countries (ISO 3166), currencies (ISO 4217), transport modes
(UN/ECE Rec 19), units by name (Rec 20) and package types (Rec 21)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from originlink.domain.codelists import (
    countries,
    currencies,
    package_types,
    transport_modes,
    units,
)
from originlink.domain.dataset.enums import ProducerStatement
from originlink.services.context import Node

Options = list[tuple[str, str]]


@dataclass(frozen=True)
class FormChoices:
    agreements: Options
    criteria: Options
    countries: Options
    currencies: Options
    transport_modes: Options
    units: Options
    package_types: Options
    producer_statements: Options


def agreements(node: Node) -> Options:
    """The agreements this node works under (all bundled ones when it names none)."""
    codes = node.identity.agreements or tuple(node.profiles.codes())
    out = []
    for code in codes:
        profile = node.profiles.get(code)
        out.append((code, f"{code} — {profile.name}" if profile else code))
    return out


def criteria(node: Node, agreement: str | None) -> Options:
    """The origin criteria the agreement's profile lists (none when it uses none)."""
    profile = node.profiles.get(agreement) if agreement else None
    rule = profile.rules.criteria if profile is not None else None
    if rule is None:
        return []
    return [(c.code, f"{c.code} — {c.description}") for c in rule.codes]


def form_code(node: Node, agreement: str | None) -> str | None:
    profile = node.profiles.get(agreement) if agreement else None
    return profile.form_codes[0] if profile is not None else None


def fob_currency(node: Node, agreement: str | None) -> str:
    profile = node.profiles.get(agreement) if agreement else None
    return (profile.fob_currency if profile is not None else None) or "USD"


@lru_cache(maxsize=1)
def _static() -> tuple[Options, Options, Options, Options, Options, Options]:
    return (
        sorted(((c, f"{n} ({c})") for c, n in countries().items()), key=lambda o: o[1]),
        sorted(((c, f"{c} — {n}") for c, n in currencies().items())),
        sorted(((c, f"{c} — {n}") for c, n in transport_modes().items())),
        sorted(((u.code, f"{u.name} ({u.code})") for u in units().values()), key=lambda o: o[1]),
        sorted(((c, f"{n} ({c})") for c, n in package_types().items()), key=lambda o: o[1]),
        [(s.value, s.value.replace("_", " ").capitalize()) for s in ProducerStatement],
    )


def form_choices(node: Node, agreement: str | None) -> FormChoices:
    country_list, currency_list, modes, unit_list, packages, statements = _static()
    return FormChoices(
        agreements=agreements(node),
        criteria=criteria(node, agreement),
        countries=country_list,
        currencies=currency_list,
        transport_modes=modes,
        units=unit_list,
        package_types=packages,
        producer_statements=statements,
    )
