"""Telling OpenAttestation documents and the CO forms inside them apart, from their members.

Used by the reader and by format detection; pure functions of parsed JSON.
"""

from __future__ import annotations

from typing import Any

from originlink.formats.openattestation.salt import is_salted

#: Members that make an object an edi3-shaped CO (the edi3 schema's, as TradeTrust uses them).
EDI3_MARKERS = frozenset(
    {
        "supplyChainConsignment",
        "isPreferential",
        "freeTradeAgreement",
        "firstSignatoryAuthentication",
    }
)
#: Members of TradeTrust's ``SIMPLE_COO`` form.
SIMPLE_COO_MARKERS = frozenset(
    {"cooId", "exporterDetails", "importerDetails", "descriptionOfGoods"}
)
V2_SCHEMAS = ("https://schema.openattestation.com/2.0/", "open-attestation/2.0")
V3_SCHEMAS = ("https://schema.openattestation.com/3.0/", "open-attestation/3.0")
VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"


def _version(raw: dict[str, Any]) -> str:
    version = raw.get("version")
    return version if isinstance(version, str) else ""


def kind(raw: dict[str, Any]) -> str | None:
    """``v2-wrapped``, ``v2-raw``, ``v3`` (OpenAttestation or any W3C credential), or None."""
    if isinstance(raw.get("data"), dict) and (
        isinstance(raw.get("signature"), dict) or _version(raw).startswith(V2_SCHEMAS)
    ):
        return "v2-wrapped"
    if isinstance(raw.get("credentialSubject"), dict) and (
        _version(raw).startswith(V3_SCHEMAS)
        or "openAttestationMetadata" in raw
        or VC_CONTEXT in (raw.get("@context") or ())
    ):
        return "v3"
    if isinstance(raw.get("data"), dict) and len(raw) == 1:
        return "v2-raw"  # the TradeTrust document creator's data file
    if co_form(raw) == "simple-coo" or (("$template" in raw or "issuers" in raw) and co_form(raw)):
        return "v2-raw"
    return None


def co_form(content: dict[str, Any]) -> str | None:
    """``edi3`` or ``simple-coo`` when ``content`` is a CO of that form."""
    if len(SIMPLE_COO_MARKERS & set(content)) >= 2:
        return "simple-coo"
    if EDI3_MARKERS & set(content):
        return "edi3"
    return None


def find_co(content: dict[str, Any], depth: int = 2) -> tuple[str, tuple[str, ...]] | None:
    """The CO's form and the member path to it: ``content`` itself or an object inside."""
    form = co_form(content)
    if form is not None:
        return form, ()
    if depth == 0:
        return None
    for key, value in content.items():
        if isinstance(value, dict):
            found = find_co(value, depth - 1)
            if found is not None:
                return found[0], (key, *found[1])
    return None


def salted(content: Any) -> bool:
    """True when the values look salted (a wrapped version 2 ``data``)."""
    if isinstance(content, dict):
        return any(salted(v) for v in content.values())
    if isinstance(content, list):
        return any(salted(v) for v in content)
    return is_salted(content)
