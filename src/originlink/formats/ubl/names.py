"""UBL 2.4 namespaces and the small element builders the writer uses."""

from __future__ import annotations

from typing import Any

from lxml import etree

from originlink.domain.errors import InputError

DOC = "urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
EXT = "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2"
NSMAP = {None: DOC, "cac": CAC, "cbc": CBC, "ext": EXT}
PREFIXES = {DOC: "", CAC: "cac", CBC: "cbc", EXT: "ext"}

#: ``cbc:CustomizationID`` of OriginLink UBL: the dataset version the payload follows.
CUSTOMIZATION_ID = "urn:originlink:co:dataset:1.0"
UBL_VERSION = "2.4"
#: ``cbc:ID`` written where UBL requires an identifier and the CO has none to give.
NOT_STATED = "NOT-STATED"

#: Canonical signature format ↔ ``@mimeCode`` of the embedded signature object.
SIGNATURE_MIME = {
    "jws": "application/jose",
    "xmldsig": "application/xml",
    "multihash": "application/octet-stream",
    "image": "text/uri-list",
}


def cac(local: str) -> str:
    return f"{{{CAC}}}{local}"


def cbc(local: str) -> str:
    return f"{{{CBC}}}{local}"


def ext(local: str) -> str:
    return f"{{{EXT}}}{local}"


def sub(parent: etree._Element, tag: str, text: Any = None, **attrs: Any) -> etree._Element:
    """A child element; ``text`` and attribute values are written as their text."""
    element = etree.SubElement(parent, tag)
    try:
        if text is not None:
            element.text = str(text)
        for name, value in attrs.items():
            if value is not None:
                element.set(name, str(value))
    except ValueError:
        raise InputError(
            f"{short(tag)}: the value contains characters XML cannot carry: {str(text)[:40]!r}"
        ) from None
    return element


def short(tag: str) -> str:
    """``{ns}Local`` as ``cac:Local``."""
    qname = etree.QName(tag)
    prefix = PREFIXES.get(qname.namespace or "")
    return f"{prefix}:{qname.localname}" if prefix else qname.localname
