"""Transport, references, attachments and signatures of a UBL instance → canonical data."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from lxml import etree

from originlink.domain.dataset import Relation, SignatureFormat
from originlink.formats._common import clean_text, cpath
from originlink.formats.loss import LossReport
from originlink.formats.ubl.names import NOT_STATED, SIGNATURE_MIME, cac, cbc
from originlink.formats.ubl.parties import read_party
from originlink.formats.ubl.read_goods import decimal_text
from originlink.formats.ubl.references import ADDITIONAL, ATTACHMENT, CERTIFICATE, INVOICE
from originlink.formats.ubl.transport import MEANS_BY_MODE
from originlink.formats.xml_source import Source

_RELATIONS = {r.value for r in Relation}
_MIME_FORMATS = {mime: fmt for fmt, mime in SIGNATURE_MIME.items()}
_FORMATS = {f.value for f in SignatureFormat}


def read_stage(
    src: Source, stage: etree._Element | None, transport: dict[str, Any], report: LossReport
) -> None:
    if stage is None:
        return
    mode = src.one(stage, cbc("TransportModeCode"))
    if mode is not None:
        code = (mode.text or "").strip()
        if code:
            transport["mode_code"] = code
        text = clean_text(mode.get("name"), 256, cpath("transport", "mode_text"), report)
        if text:
            transport["mode_text"] = text
    means = src.one(stage, cac("TransportMeans"))
    journey = src.text(means, cbc("JourneyID"))
    if journey:
        transport["journey_id"] = journey
    for aggregate, id_tag in dict(MEANS_BY_MODE.values()).items():
        holder = src.one(means, cac(aggregate))
        identifier = src.text(holder, cbc(id_tag))
        if identifier and "means_id" not in transport:
            transport["means_id"] = identifier
        if aggregate == "MaritimeTransport":
            name = clean_text(
                src.text(holder, cbc("VesselName")), 256, cpath("transport", "means_name"), report
            )
            if name:
                transport["means_name"] = name
    for key, tag in (
        ("loading_location", "LoadingPortLocation"),
        ("discharge_location", "UnloadingPortLocation"),
    ):
        element = src.one(stage, cac(tag))
        location: dict[str, Any] = {}
        locode = src.text(element, cbc("ID"))
        if locode:
            location["locode"] = locode
        name = clean_text(
            src.text(element, cbc("Name")), 256, cpath("transport", key, "name"), report
        )
        if name:
            location["name"] = name
        if location:
            transport[key] = location
    event = src.one(stage, cac("PlannedDepartureTransportEvent"))
    day = src.text(event, cbc("OccurrenceDate"))
    clock = src.text(event, cbc("OccurrenceTime"))
    if day:
        transport["departure_datetime"] = f"{day}T{clock}" if clock else day


def read_packages(src: Source, shipment: etree._Element | None) -> list[dict[str, Any]]:
    packages = []
    for unit in src.all(shipment, cac("TransportHandlingUnit")):
        package: dict[str, Any] = {}
        package_id = src.text(unit, cbc("ID"))
        if package_id:
            package["package_id"] = package_id
        for dimension in unit.findall(cac("MeasurementDimension")):
            attribute = (dimension.findtext(cbc("AttributeID")) or "").strip()
            measure = dimension.find(cbc("Measure"))
            if attribute in ("gross_weight", "gross_volume") and measure is not None:
                src.mark(dimension)
                package[attribute] = {
                    "value": decimal_text((measure.text or "").strip()),
                    "unit_code": measure.get("unitCode") or "",
                }
        if package:
            packages.append(package)
    return packages


def read_references(src: Source, app: etree._Element, report: LossReport) -> dict[str, Any]:
    """Invoices, related certificates, additional documents, attachments, invoicing operator."""
    out: dict[str, list[dict[str, Any]]] = {
        "invoices": [],
        "related_certificates": [],
        "additional_documents": [],
        "attachments": [],
    }
    operator: dict[str, Any] | None = None
    for element in src.all(app, cac("SupportingDocumentReference")):
        number = src.text(element, cbc("ID")) or NOT_STATED
        issued = src.text(element, cbc("IssueDate"))
        code = src.text(element, cbc("DocumentTypeCode"))
        kind = src.text(element, cbc("DocumentType"))
        uri = src.text(element, cac("Attachment"), cac("ExternalReference"), cbc("URI"))
        if kind == ATTACHMENT:
            out["attachments"].append(read_attachment(src, element, number))
        elif code == CERTIFICATE and kind in _RELATIONS:
            issuer = src.one(element, cac("IssuerParty"))
            related: dict[str, Any] = {
                "relation": kind,
                "number": number,
                "issue_date": issued,
                "issuing_country": src.text(
                    issuer, cac("PostalAddress"), cac("Country"), cbc("IdentificationCode")
                ),
            }
            name = src.text(issuer, cac("PartyName"), cbc("Name"))
            if name:
                related["issuing_authority_name"] = name
            out["related_certificates"].append(related)
        elif code == INVOICE and kind != ADDITIONAL:
            invoice: dict[str, Any] = {"sequence": len(out["invoices"]) + 1, "number": number}
            if issued:
                invoice["issue_date"] = issued
            if uri:
                invoice["uri"] = uri
            issuer = src.one(element, cac("IssuerParty"))
            if issuer is not None:
                invoice["issued_by_invoicing_operator"] = True
                party = read_party(src, issuer, cpath("parties", "invoicing_operator"), report)
                if operator is None:
                    operator = party
                elif party != operator:
                    report.dropped(
                        cpath("parties", "invoicing_operator"),
                        "a second, different invoicing operator",
                        party,
                    )
            out["invoices"].append(invoice)
        else:
            document: dict[str, Any] = {"type_code": code or "", "number": number}
            if issued:
                document["issue_date"] = issued
            if uri:
                document["uri"] = uri
            out["additional_documents"].append(document)
    refs: dict[str, Any] = {k: v for k, v in out.items() if v}
    if operator is not None:
        refs["invoicing_operator"] = operator
    return refs


def read_attachment(src: Source, element: etree._Element, attachment_id: str) -> dict[str, Any]:
    attachment: dict[str, Any] = {
        "attachment_id": attachment_id,
        "purpose": src.text(element, cbc("DocumentDescription")),
    }
    holder = src.one(element, cac("Attachment"))
    embedded = src.one(holder, cbc("EmbeddedDocumentBinaryObject"))
    external = src.one(holder, cac("ExternalReference"))
    for key, tag in (
        ("uri", "URI"),
        ("sha256", "DocumentHash"),
        ("mime_type", "MimeCode"),
        ("filename", "FileName"),
    ):
        value = src.text(external, cbc(tag))
        if value:
            attachment[key] = value
    src.one(external, cbc("HashAlgorithmMethod"))
    if embedded is not None:
        attachment["content_base64"] = "".join((embedded.text or "").split())
        attachment.setdefault("mime_type", embedded.get("mimeCode"))
        if embedded.get("filename"):
            attachment.setdefault("filename", embedded.get("filename"))
    return attachment


def read_signature(
    src: Source, parent: etree._Element | None, role: str, report: LossReport
) -> tuple[str | None, dict[str, str] | None]:
    """``(statement, signature block)`` of the first ``cac:Signature`` under ``parent``."""
    signatures = src.all(parent, cac("Signature"))
    if not signatures:
        return None, None
    element = signatures[0]
    src.one(element, cbc("ID"))
    statement = src.text(element, cbc("Note"))
    embedded = src.one(
        element, cac("DigitalSignatureAttachment"), cbc("EmbeddedDocumentBinaryObject")
    )
    if embedded is None or not (embedded.text or "").strip():
        return statement, None
    try:
        value = base64.b64decode("".join((embedded.text or "").split()), validate=True).decode(
            "utf-8"
        )
    except (binascii.Error, UnicodeDecodeError):
        report.dropped(f"signatures.{role}", "embedded signature is not base64 of UTF-8 text")
        return statement, None
    fmt = embedded.get("format")
    if fmt not in _FORMATS:
        fmt = _MIME_FORMATS.get(embedded.get("mimeCode") or "", "multihash")
    report.degraded(
        f"signatures.{role}",
        "taken over as an opaque value; not verified over the UBL source (§9)",
        fmt,
    )
    return statement, {"format": fmt, "value": value}
