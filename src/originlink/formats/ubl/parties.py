"""UBL ``PartyType`` ↔ the canonical party (``dataset.md`` §4.1): both directions, lossless."""

from __future__ import annotations

from typing import Any

from lxml import etree

from originlink.domain.dataset import Party
from originlink.formats._common import clean_text
from originlink.formats.loss import LossReport
from originlink.formats.ubl.names import cac, cbc, sub
from originlink.formats.xml_source import Source


def write_party(parent: etree._Element, tag: str, party: Party) -> etree._Element:
    element = sub(parent, tag)
    fill_party(element, party)
    return element


def fill_party(element: etree._Element, party: Party) -> None:
    """Children of a ``PartyType`` element, in the schema's order."""
    if party.contact and party.contact.website:
        sub(element, cbc("WebsiteURI"), party.contact.website)
    for identifier in party.identifiers or ():
        ident = sub(element, cac("PartyIdentification"))
        sub(ident, cbc("ID"), identifier.value, schemeID=identifier.scheme)
    sub(sub(element, cac("PartyName")), cbc("Name"), party.name)
    address = party.address
    postal = sub(element, cac("PostalAddress"))
    for tag, value in (
        ("CitySubdivisionName", address.locality),
        ("CityName", address.city),
        ("PostalZone", address.postcode),
        ("CountrySubentity", address.subdivision),
    ):
        if value is not None:
            sub(postal, cbc(tag), value)
    for line in address.lines or ():
        sub(sub(postal, cac("AddressLine")), cbc("Line"), line)
    sub(sub(postal, cac("Country")), cbc("IdentificationCode"), address.country_code)
    contact = party.contact
    if contact and (contact.telephone or contact.fax or contact.email):
        element_contact = sub(element, cac("Contact"))
        for tag, value in (
            ("Telephone", contact.telephone),
            ("Telefax", contact.fax),
            ("ElectronicMail", contact.email),
        ):
            if value is not None:
                sub(element_contact, cbc(tag), value)


def read_party(
    src: Source, element: etree._Element | None, path: str, report: LossReport
) -> dict[str, Any] | None:
    """A canonical party (JSON data) from a ``PartyType`` element; None when absent."""
    if element is None:
        return None
    identifiers = []
    for ident in src.all(element, cac("PartyIdentification")):
        id_element = src.one(ident, cbc("ID"))
        id_text = (id_element.text or "").strip() if id_element is not None else ""
        if id_element is not None and id_text:
            scheme = id_element.get("schemeID") or "UNKNOWN"
            identifiers.append({"scheme": scheme, "value": id_text})
    for tag, scheme in (("PartyTaxScheme", "TAX"), ("PartyLegalEntity", "REG")):
        for holder in src.all(element, cac(tag)):
            company = src.text(holder, cbc("CompanyID"))
            if company:
                identifiers.append({"scheme": scheme, "value": company})
            src.one(holder, cac("TaxScheme"))
    names = src.all(element, cac("PartyName"))
    name = src.text(names[0], cbc("Name")) if names else None
    postal = src.one(element, cac("PostalAddress"))
    lines: list[str] = []
    for tag in ("StreetName", "AdditionalStreetName", "BuildingNumber"):
        value = src.text(postal, cbc(tag))
        if value:
            lines.append(value)
    for line_holder in src.all(postal, cac("AddressLine")):
        value = src.text(line_holder, cbc("Line"))
        if value:
            lines.append(value)
    address: dict[str, Any] = {}
    if lines:
        address["lines"] = [clean_text(v, 256, f"{path}.address.lines", report) for v in lines[:4]]
        if len(lines) > 4:
            report.degraded(f"{path}.address.lines", "more than 4 address lines", lines[4:])
    for key, tag, limit in (
        ("locality", "CitySubdivisionName", 256),
        ("city", "CityName", 256),
        ("postcode", "PostalZone", 17),
        ("subdivision", "CountrySubentity", 256),
    ):
        value = clean_text(src.text(postal, cbc(tag)), limit, f"{path}.address.{key}", report)
        if value:
            address[key] = value
    country = src.text(postal, cac("Country"), cbc("IdentificationCode"))
    if country:
        address["country_code"] = country
    party: dict[str, Any] = {"address": address}
    if name:
        party["name"] = clean_text(name, 256, f"{path}.name", report)
    if identifiers:
        party["identifiers"] = identifiers
    contact: dict[str, Any] = {}
    website = src.text(element, cbc("WebsiteURI"))
    if website:
        contact["website"] = website
    contact_element = src.one(element, cac("Contact"))
    for key, tag in (("telephone", "Telephone"), ("fax", "Telefax"), ("email", "ElectronicMail")):
        value = src.text(contact_element, cbc(tag))
        if value:
            contact[key] = (
                clean_text(value, 50, f"{path}.contact.{key}", report)
                if (key != "email")
                else value
            )
    if contact:
        party["contact"] = contact
    return party
