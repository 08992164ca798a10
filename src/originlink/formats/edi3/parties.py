"""Canonical parties as edi3 ``TradeParty`` objects (shared by the writer and the goods)."""

from __future__ import annotations

import json
from typing import Any

from originlink.domain.dataset import Party
from originlink.formats.edi3 import uris
from originlink.formats.loss import LossReport


def trade_party(
    party: Party, path: str, report: LossReport, *, skip: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A canonical party as an edi3 ``TradeParty`` (one identifier, two address lines).
    Identifiers of a scheme in ``skip`` are carried elsewhere (the issuer's DNS domain is in
    the CO's ``iD``)."""
    out: dict[str, Any] = {}
    written = 0
    for index, identifier in enumerate(party.identifiers or ()):
        if identifier.scheme in skip:
            continue
        written += 1
        if written == 1:
            out["iD"], registered = uris.identifier_uri(identifier)
            if not registered:
                report.degraded(
                    f"{path}.identifiers[{index}]",
                    f"no edi3 URI prefix is registered for scheme {identifier.scheme}",
                    out["iD"],
                )
        else:
            report.dropped(
                f"{path}.identifiers[{index}]", "edi3 carries one identifier", identifier.value
            )
    out["name"] = party.name
    address = party.address
    postal: dict[str, Any] = {}
    lines = list(address.lines or ())
    if lines:
        postal["line1"] = lines[0]
    rest = lines[1:] + ([address.locality] if address.locality else [])
    if rest:
        postal["line2"] = ", ".join(rest)
    if len(lines) > 2 or address.locality:
        report.degraded(
            f"{path}.address.lines",
            "edi3 has two address lines; the rest (and the locality) are joined into line2",
            lines,
        )
    if address.locality:
        report.degraded(f"{path}.address.locality", "appended to line2", address.locality)
    for key, value in (
        ("cityName", address.city),
        ("postcode", address.postcode),
        ("countrySubDivisionName", address.subdivision),
    ):
        if value:
            postal[key] = value
    postal["countryCode"] = address.country_code
    out["postalAddress"] = postal
    if party.contact:
        report.dropped(
            f"{path}.contact",
            "edi3 has no contact data",
            party.contact.model_dump(mode="json", exclude_none=True),
        )
    return out


def carried_party(party: Party) -> Any:
    """What edi3 keeps of a party (two producers alike in this are merged on import)."""
    return json.dumps(trade_party(party, "", LossReport()), sort_keys=True)
