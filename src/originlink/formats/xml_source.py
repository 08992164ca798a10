"""Reading an XML instance (UBL, ALADI COD) while remembering which elements were used.

The reader maps the elements it knows; :meth:`Source.unused` then names every element nobody
read (a foreign endorsement, a hazardous-goods flag ...) so the loss report can list it as
``DROPPED`` with its XPath instead of silently ignoring it (``dataset.md`` §12.2).
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from originlink.formats.xml_safety import qname_text

#: Namespace → prefix used when naming elements in loss reports.
KNOWN_PREFIXES = {
    "urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2": "",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2": "ext",
    "http://www.w3.org/2001/12/soap-envelope": "ns1",
    "http://www.w3.org/2000/09/xmldsig#": "ds",
}


def short(tag: str) -> str:
    """``{ns}Local`` as ``cac:Local`` (unknown namespaces spelled out)."""
    qname = etree.QName(tag)
    if not qname.namespace:
        return qname.localname
    prefix = KNOWN_PREFIXES.get(qname.namespace)
    if prefix is None:
        return qname_text(tag)
    return f"{prefix}:{qname.localname}" if prefix else qname.localname


class Source:
    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.used: set[etree._Element] = {root}

    def mark(self, element: etree._Element) -> None:
        """Mark ``element`` and all it contains as read."""
        self.used.update(element.iter())

    def one(self, parent: etree._Element | None, *steps: str) -> etree._Element | None:
        """The first element down the path of tags ``steps`` (each step marked as read)."""
        node = parent
        for tag in steps:
            if node is None:
                return None
            node = node.find(tag)
            if node is not None:
                self.used.add(node)
        return node

    def all(self, parent: etree._Element | None, tag: str) -> list[etree._Element]:
        if parent is None:
            return []
        found = parent.findall(tag)
        self.used.update(found)
        return found

    def text(self, parent: etree._Element | None, *steps: str) -> str | None:
        element = self.one(parent, *steps)
        if element is None:
            return None
        text = (element.text or "").strip()
        return text or None

    def unused(self) -> Iterator[etree._Element]:
        """The top-most elements that nothing read."""
        stack = [self.root]
        while stack:
            node = stack.pop()
            for child in reversed(node):
                if not isinstance(child.tag, str):
                    continue
                if child in self.used:
                    stack.append(child)
                else:
                    yield child


def xpath_of(element: etree._Element) -> str:
    """A readable XPath such as ``/CertificateOfOrigin/cac:Signature[2]/cbc:ID``."""
    parts: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        name = short(node.tag)
        parent = node.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == node.tag]
            if len(same) > 1:
                name += f"[{same.index(node) + 1}]"
        parts.append(name)
        node = parent
    return "/" + "/".join(reversed(parts))
