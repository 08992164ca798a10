"""Which format a document is in, from its content: the XML root and namespace, the JSON members.

``detect_format`` is what ``--from auto`` (the default of ``convert`` and ``validate``) and the
web upload use. It refuses, naming what it saw, anything OriginLink does not read.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from originlink.domain.errors import InputError
from originlink.domain.safejson import loads_bounded
from originlink.formats.openattestation import shapes
from originlink.formats.xml_safety import parse_xml, qname_text

UBL_ROOT = (
    "urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2",
    "CertificateOfOrigin",
)
COD_ROOT = ("http://www.w3.org/2001/12/soap-envelope", "Envelope")


def detect_format(data: bytes) -> str:
    """``canonical``, ``ubl``, ``uncefact``, ``aladi-cod``, ``openattestation`` or ``igl``."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return _xml_format(data)
    if start in (b"{", b"["):
        return _json_format(loads_bounded(data, what="the document"))
    raise InputError("the document is neither XML nor JSON (it starts with neither '<' nor '{')")


def _xml_format(data: bytes) -> str:
    root = etree.QName(parse_xml(data, what="the XML document"))
    found = (root.namespace, root.localname)
    if found == UBL_ROOT:
        return "ubl"
    if found == COD_ROOT:
        return "aladi-cod"
    raise InputError(
        f"the XML root element {qname_text(root.text)} is not one OriginLink reads "
        f"(UBL: {UBL_ROOT[1]} in {UBL_ROOT[0]}; ALADI COD: {COD_ROOT[1]} in {COD_ROOT[0]})"
    )


def _json_format(raw: Any) -> str:
    if not isinstance(raw, dict):
        raise InputError("the JSON document is not an object; no CO format is an array or value")
    if isinstance(raw.get("certificate"), dict):
        return "canonical"
    if isinstance(raw.get("certificateOfOrigin"), dict):
        return "igl"
    if shapes.kind(raw) is not None:
        return "openattestation"
    if shapes.co_form(raw) == "edi3" or "iD" in raw:
        return "uncefact"
    members = ", ".join(sorted(raw)[:12]) or "none"
    raise InputError(
        f"the JSON document (members: {members}) is in no format OriginLink reads: canonical "
        "has 'certificate', edi3 'iD' and 'supplyChainConsignment', the IGL form "
        "'certificateOfOrigin', OpenAttestation 'data' with 'signature' or 'credentialSubject'"
    )
