"""edi3 ``iD`` values: every one is declared ``format: uri`` (``dataset.md`` §11.2, §13.14).

Reference data: the URI prefix of each identifier scheme, from the public edi3 / TradeTrust
samples (``abr.gov.au:abn:``, ``unece.un.org:locode:``, ``gs1.org:gtin:``, ``gs1.org:sscc:``;
``gs1.org:gln:`` by analogy with the other GS1 keys). Values are percent-encoded so that any
canonical identifier gives a valid absolute URI.

* An identifier whose scheme has no registered prefix is written as
  ``urn:originlink:id:<scheme>:<value>`` and reported ``DEGRADED`` (other receivers see an
  OriginLink URN, not their scheme); OriginLink reads it back exactly.
* Identifiers that are not party or product identifiers (certificate, consignment, journey,
  means, package, invoice, consignment item) use ``urn:originlink:<kind>:<value>``; the
  certificate uses ``<issuer-domain>:coo:<number>`` when the issuing authority has a web site.
* On import a known prefix is stripped; an unknown one keeps the whole URI as the value
  (``DEGRADED``).
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from originlink.domain.dataset import Identifier

#: Identifier scheme (gateway registry code) → edi3 URI prefix.
SCHEME_PREFIXES: dict[str, str] = {
    "AU:ABN": "abr.gov.au:abn:",
    "GS1:GLN": "gs1.org:gln:",
    "GS1:GTIN": "gs1.org:gtin:",
    "GS1:SSCC": "gs1.org:sscc:",
}
LOCODE_PREFIX = "unece.un.org:locode:"
URN = "urn:originlink:"
ID_URN = URN + "id:"
#: Scheme given to an imported identifier whose URI prefix is unknown: its value is the whole
#: URI, written back unchanged.
UNKNOWN_SCHEME = "URI"
#: Scheme of an issuer's internet domain, the ``<domain>`` of ``<domain>:coo:<number>``.
DNS_SCHEME = "DNS"

_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+")
_HOST_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*")
_COO = re.compile(r".*:coo:([^:]+)")


def _enc(value: str) -> str:
    return quote(value, safe="")


def is_absolute_uri(value: str) -> bool:
    return bool(_URI.fullmatch(value))


def identifier_uri(identifier: Identifier) -> tuple[str, bool]:
    """``(uri, registered)`` for a party or product identifier."""
    prefix = SCHEME_PREFIXES.get(identifier.scheme)
    if prefix is not None:
        return prefix + _enc(identifier.value), True
    if identifier.scheme == UNKNOWN_SCHEME and is_absolute_uri(identifier.value):
        return identifier.value, True
    return f"{ID_URN}{_enc(identifier.scheme)}:{_enc(identifier.value)}", False


def parse_identifier(uri: str) -> tuple[str, str, bool]:
    """``(scheme, value, known)``; an unknown form keeps the whole URI as the value."""
    for scheme, prefix in SCHEME_PREFIXES.items():
        if uri.startswith(prefix) and len(uri) > len(prefix):
            return scheme, unquote(uri[len(prefix) :]), True
    if uri.startswith(ID_URN):
        scheme, _, value = uri[len(ID_URN) :].partition(":")
        if scheme and value:
            return unquote(scheme), unquote(value), True
    return UNKNOWN_SCHEME, uri, False


def kind_uri(kind: str, value: str) -> str:
    return f"{URN}{kind}:{_enc(value)}"


def parse_kind(kind: str, uri: str) -> tuple[str, bool]:
    prefix = f"{URN}{kind}:"
    if uri.startswith(prefix) and len(uri) > len(prefix):
        return unquote(uri[len(prefix) :]), True
    return uri, False


def locode_uri(locode: str) -> str:
    return LOCODE_PREFIX + locode


def parse_locode(uri: str) -> tuple[str, bool]:
    if uri.startswith(LOCODE_PREFIX):
        return unquote(uri[len(LOCODE_PREFIX) :]), True
    return uri, False


def certificate_domain(uri: str) -> str | None:
    """The issuer's domain of ``<domain>:coo:<number>`` (None for any other form)."""
    domain, sep, _ = uri.partition(":coo:")
    if sep and _HOST_SCHEME.fullmatch(domain) and "." in domain:
        return domain
    return None


def certificate_uri(number: str, website: str | None, domain: str | None = None) -> str:
    """``<issuer-domain>:coo:<number>`` (the issuer's DNS identifier, else its web site's
    host), or the OriginLink URN when no domain is known."""
    if domain and _HOST_SCHEME.fullmatch(domain):
        return f"{domain}:coo:{_enc(number)}"
    host = urlsplit(website).hostname if website else None
    if host and _HOST_SCHEME.fullmatch(host):
        return f"{host}:coo:{_enc(number)}"
    return kind_uri("coo", number)


def parse_certificate(uri: str) -> tuple[str, bool]:
    value, known = parse_kind("coo", uri)
    if known:
        return value, True
    match = _COO.fullmatch(uri)
    if match:
        return unquote(match.group(1)), True
    return uri, False
