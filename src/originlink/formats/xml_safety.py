"""Parsing XML from outside without trusting it.

A partner's UBL or COD file is hostile until proven otherwise. :func:`parse_xml` therefore:

* bounds the size *before* parsing (:class:`InputTooLarge`);
* accepts UTF-8 only (ALADI requires it, UBL instances use it), so the raw-byte checks below
  cannot be dodged by a UTF-16 or EBCDIC encoding;
* refuses any document type declaration outright: no internal subset means no entity to expand
  (billion laughs), no external subset or external entity means nothing to fetch (XXE);
* parses with lxml set to resolve no entities, load no DTD, touch no network and keep libxml2's
  default depth and text-node limits (``huge_tree=False``);
* refuses XInclude elements (lxml never processes them unless asked, but a document that
  carries them is not one of ours);
* checks the root element's namespace and name;
* turns every failure into one :class:`InputError` with line and column.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from originlink.domain.errors import InputError, InputTooLarge

#: Default bound on an XML document (a CO with a few hundred goods items is far below it).
DEFAULT_MAX_XML_BYTES = 8 * 1024 * 1024
#: Default bound on the number of elements: a CO of 999 goods items written in UBL has about
#: 60,000; past this bound a document is refused before any reader walks it.
DEFAULT_MAX_XML_ELEMENTS = 200_000

XINCLUDE_NAMESPACES = frozenset(
    {"http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude"}
)

_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)[\"']")
_UTF8_NAMES = frozenset({"utf-8", "utf8"})
_LXML_POSITION = re.compile(r",\s*line \d+, column \d+$")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=True,
        remove_comments=True,
        remove_pis=True,
    )


def _check_encoding(data: bytes, what: str) -> bytes:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")):
        raise InputError(f"{what} is not UTF-8 (UTF-16 XML is not accepted)")
    declared = _XML_DECLARATION.match(data)
    if declared and declared.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        encoding = declared.group(1).decode("ascii")
        raise InputError(f"{what} declares encoding {encoding!r}; only UTF-8 is accepted")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not UTF-8 (byte {exc.start} cannot be decoded)") from None
    return data


def _position(data: bytes, needle: bytes) -> str:
    offset = data.find(needle)
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return f"line {line}, column {column}"


def qname_text(tag: str) -> str:
    """``{ns}local`` as a readable ``local (ns)``."""
    qname = etree.QName(tag)
    return f"{qname.localname} ({qname.namespace})" if qname.namespace else qname.localname


def parse_xml(
    data: bytes,
    *,
    what: str = "input",
    root: tuple[str | None, str] | None = None,
    max_bytes: int = DEFAULT_MAX_XML_BYTES,
    max_elements: int = DEFAULT_MAX_XML_ELEMENTS,
) -> etree._Element:
    """Parse untrusted XML; ``root`` is the expected ``(namespace, local name)``. Every check
    after parsing is one pass over the nodes, stopped at ``max_elements``."""
    if len(data) > max_bytes:
        raise InputTooLarge(f"{what} is {len(data):,} bytes; the limit is {max_bytes:,} bytes")
    if not data.strip():
        raise InputError(f"{what} is empty")
    data = _check_encoding(data, what)
    for marker, why in (
        (b"<!DOCTYPE", "a document type declaration (DTDs and entities are refused)"),
        (b"<!ENTITY", "an entity declaration (entities are refused)"),
    ):
        if marker in data:
            raise InputError(f"{what} contains {why} at {_position(data, marker)}")
    try:
        tree = etree.fromstring(data, parser=_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        message = _LXML_POSITION.sub("", (exc.msg or str(exc)).strip())
        raise InputError(
            f"{what} is not well-formed XML: {message} (line {line}, column {column})"
        ) from None
    info: Any = tree.docinfo
    if info.doctype or info.internalDTD is not None:
        raise InputError(f"{what} has a document type declaration; DTDs are refused")
    element = tree.getroot()
    count = 0
    for node in element.iter():
        count += 1
        if count > max_elements:
            raise InputTooLarge(
                f"{what} has more than {max_elements:,} XML nodes; the limit is {max_elements:,}"
            )
        if not isinstance(node.tag, str):
            if isinstance(node, etree._Entity):
                raise InputError(f"{what} contains an entity reference at line {node.sourceline}")
            continue
        if etree.QName(node).namespace in XINCLUDE_NAMESPACES:
            raise InputError(
                f"{what} contains an XInclude element at line {node.sourceline}; "
                "XInclude is refused"
            )
    if root is not None:
        namespace, local = root
        found = etree.QName(element)
        if found.namespace != namespace or found.localname != local:
            expected = f"{local} ({namespace})" if namespace else local
            raise InputError(
                f"{what}: the root element is {qname_text(element.tag)}; expected {expected}"
            )
    return element
