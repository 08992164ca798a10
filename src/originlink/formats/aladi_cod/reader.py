"""ALADI COD → canonical CO (``dataset.md`` §11.3, §12.6).

``CODVer``, ``CODSubmitterType``, ``InvoiceQty`` and ``GoodsQty`` are checked, then dropped.
Dates have no offset and are read in the issuing country's time zone from the profile. The
source file is kept unchanged as a ``source_document`` attachment; ``ds:Signature`` elements
stay only inside it. **XMLDSig verification of ALADI signatures is not performed** here: the
loss report says so for every signature found, so no one mistakes an import for a verified COD.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from lxml import etree

from originlink.domain.dataset.types import datetime_to_json
from originlink.domain.errors import InputError
from originlink.domain.profiles import ProfileRegistry
from originlink.formats._common import (
    clean_text,
    cpath,
    in_zone,
    require_zone,
)
from originlink.formats.aladi_cod import codes
from originlink.formats.aladi_cod.read_goods import read_goods
from originlink.formats.loss import LossReport
from originlink.formats.reading import Draft
from originlink.formats.ubl.read_goods import decimal_text
from originlink.formats.xml_safety import parse_xml
from originlink.formats.xml_source import Source, report_unused, xpath_of

SOURCE_ATTACHMENT_ID = "source-cod"
#: Canonical fields a COD has no element for (the official is only in the signer's certificate).
UNCARRIED = frozenset({cpath("parties", "certifying_official")})


def read(
    data: bytes,
    *,
    profiles: ProfileRegistry,
    what: str = "ALADI COD",
) -> Draft:
    """Read a COD; what the dataset refuses is judged by :func:`settle`."""
    root = parse_xml(data, what=what, root=(codes.SOAP_NS, "Envelope"))
    report = LossReport()
    src = Source(root)
    document = _Reader(src, report, profiles, what).read()
    document["certificate"]["attachments"] = [source_attachment(data)]
    report.derived(
        cpath("attachments", 0),
        "the source COD kept unchanged as source_document",
        SOURCE_ATTACHMENT_ID,
    )
    report_unused(src, report, "no canonical field for this COD element")
    return Draft("aladi-cod", document, report, uncarried=UNCARRIED)


def source_attachment(data: bytes) -> dict[str, Any]:
    return {
        "attachment_id": SOURCE_ATTACHMENT_ID,
        "purpose": "source_document",
        "filename": "source-cod.xml",
        "mime_type": "application/xml",
        "content_base64": base64.b64encode(data).decode("ascii"),
        "size_bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


class _Reader:
    def __init__(
        self, src: Source, report: LossReport, profiles: ProfileRegistry, what: str
    ) -> None:
        self.src, self.report, self.profiles, self.what = src, report, profiles, what
        self.cert: dict[str, Any] = {}

    def need(self, parent: etree._Element | None, *steps: str) -> etree._Element:
        element = self.src.one(parent, *steps)
        if element is None:
            raise InputError(f"{self.what}: missing {'/'.join(steps)}")
        return element

    def read(self) -> dict[str, Any]:
        src, cert = self.src, self.cert
        codeh = self.need(self.src.root, codes.soap("CertOrigin"), "CODEH")
        cod = self.need(codeh, "CODExporter", "COD")
        version = src.text(cod, "CODVer")
        if version not in codes.KNOWN_VERSIONS:
            raise InputError(
                f"{self.what}: unknown CODVer {version!r}; known: "
                + ", ".join(sorted(codes.KNOWN_VERSIONS))
            )
        submitter = src.text(cod, "CODSubmitterType")
        if submitter != codes.SUBMITTER:
            raise InputError(f"{self.what}: CODSubmitterType is {submitter!r}, expected EXP")
        acronym = src.text(cod, "Agreement", "AgreementAcronym")
        profile = next((p for p in self.profiles if p.aladi_acronym == acronym), None)
        if profile is None:
            raise InputError(f"{self.what}: no agreement profile has the ALADI acronym {acronym!r}")
        self.profile = profile
        cert["version"] = 1
        cert["is_preferential"] = True
        cert["agreement"] = {"code": profile.code}
        name = src.text(cod, "Agreement", "AgreementName")
        if name and name != profile.name:
            cert["agreement"]["name"] = clean_text(
                name, 512, cpath("agreement", "name"), self.report
            )
        form = next((c for c in cod if isinstance(c.tag, str) and c.tag.startswith("Form")), None)
        if form is None:
            raise InputError(f"{self.what}: no Form<ACR> element in COD")
        src.used.add(form)
        cert["form_code"] = profile.form_codes[0]
        self.report.derived(
            cpath("form_code"), f"from the agreement profile ({form.tag})", cert["form_code"]
        )
        entity = self.need(codeh, "EH")
        issuing = src.text(entity, "EHCountry")
        cert["issuing_country"] = issuing
        self.zone = require_zone(profile, issuing or "", "reading an ALADI COD")
        parties: dict[str, Any] = {"exporter": self.party(form, "Exporter", "exporter")}
        importer = self.party(form, "Importer", "importer")
        cert["exporting_country"] = parties["exporter"]["address"].get("country_code")
        cert["importing_country"] = importer["address"].get("country_code")
        if importer.get("name"):
            parties["importer"] = importer
        parties["issuing_authority"] = self.issuing_entity(entity)
        cert["parties"] = parties
        self.invoices(form)
        cert["goods_items"] = read_goods(self, form)
        self.transport(form)
        self.declaration(form)
        self.certification(codeh)
        self.signatures(codeh)
        return {"certificate": cert}

    def local(self, text: str, path: str) -> str:
        try:
            naive = datetime.fromisoformat(text)
        except ValueError:
            raise InputError(f"{self.what}: {path}: {text!r} is not a date-time") from None
        if naive.tzinfo is not None:
            return datetime_to_json(naive)
        self.report.degraded(path, f"no offset in the COD; read in {self.zone.key}", text)
        return datetime_to_json(in_zone(naive, self.zone))

    def party(self, form: etree._Element, prefix: str, key: str) -> dict[str, Any]:
        src, path = self.src, cpath("parties", key)
        block = src.one(form, prefix)
        address: dict[str, Any] = {"country_code": src.text(block, f"{prefix}Country")}
        party: dict[str, Any] = {"address": address}
        name = clean_text(
            src.text(block, f"{prefix}BusinessName"), 256, path + ".name", self.report
        )
        if name:
            party["name"] = name
        line = clean_text(
            src.text(block, f"{prefix}Address"), 256, path + ".address.lines", self.report
        )
        if line:
            address["lines"] = [line]
        for canonical, element in (("locality", "Locality"), ("city", "City")):
            value = clean_text(
                src.text(block, f"{prefix}{element}"),
                256,
                f"{path}.address.{canonical}",
                self.report,
            )
            if value:
                address[canonical] = value
        contact: dict[str, Any] = {}
        for canonical, element in (
            ("telephone", "Telephone"),
            ("fax", "Fax"),
            ("email", "Email"),
            ("website", "URL"),
        ):
            value = src.text(block, f"{prefix}{element}")
            if value:
                contact[canonical] = value
        if contact:
            party["contact"] = contact
        return party

    def issuing_entity(self, entity: etree._Element) -> dict[str, Any]:
        src = self.src
        party = self.party_like(entity)
        identifier = src.text(entity, "EHId")
        if identifier:
            party["identifiers"] = [{"scheme": codes.EH_SCHEME, "value": identifier}]
        return party

    def party_like(self, entity: etree._Element) -> dict[str, Any]:
        src, path = self.src, cpath("parties", "issuing_authority")
        address: dict[str, Any] = {"country_code": src.text(entity, "EHCountry")}
        party: dict[str, Any] = {
            "name": clean_text(src.text(entity, "EHName"), 256, path + ".name", self.report),
            "address": address,
        }
        line = src.text(entity, "EHAddress")
        if line:
            address["lines"] = [clean_text(line, 256, path + ".address.lines", self.report)]
        for canonical, element in (
            ("locality", "EHLocality"),
            ("city", "EHCity"),
            ("city", "EHCityLocality"),
        ):
            value = src.text(entity, element)
            if value and canonical not in address:
                address[canonical] = clean_text(
                    value, 256, f"{path}.address.{canonical}", self.report
                )
        contact = {
            k: v
            for k, v in (
                ("telephone", src.text(entity, "EHTelephone")),
                ("fax", src.text(entity, "EHFax")),
                ("email", src.text(entity, "EHEmail")),
                ("website", src.text(entity, "EHURL")),
            )
            if v
        }
        if contact:
            party["contact"] = contact
        return party

    def invoices(self, form: etree._Element) -> None:
        src = self.src
        block = src.one(form, "Invoices")
        invoices: list[dict[str, Any]] = []
        for element in src.all(block, "Invoice"):
            invoice: dict[str, Any] = {}
            order = src.text(element, "InvoiceOrderNo")
            invoice["sequence"] = int(order) if order and order.isdigit() else len(invoices) + 1
            invoice["number"] = src.text(element, "InvoiceNo")
            issued = src.text(element, "InvoiceDate")
            if issued:
                invoice["issue_date"] = issued[:10]
            invoices.append(invoice)
        count = src.text(block, "InvoiceQty")
        if count is not None and count != str(len(invoices)):
            raise InputError(
                f"{self.what}: InvoiceQty is {count} but there are {len(invoices)} Invoice elements"
            )
        if invoices:
            self.cert["references"] = {"invoices": invoices}

    def transport(self, form: etree._Element) -> None:
        src = self.src
        transport: dict[str, Any] = {}
        block = src.one(form, "Transport")
        means = src.text(block, "TransportMeans")
        if means:
            mode = codes.MODE_SYNONYMS.get(means.upper())
            if mode is None or codes.MODE_WORDS.get(mode) != means:
                transport["mode_text"] = clean_text(
                    means, 256, cpath("transport", "mode_text"), self.report
                )
            if mode is not None:
                transport["mode_code"] = mode.value
                self.report.derived(
                    cpath("transport", "mode_code"),
                    "from TransportMeans through the synonym table",
                    mode.value,
                )
        loading = src.text(block, "TransportPortOfLoading")
        if loading:
            transport["loading_location"] = {
                "name": clean_text(
                    loading, 256, cpath("transport", "loading_location", "name"), self.report
                )
            }
        unloading = src.text(block, "UnloadingPortName")
        if unloading:
            transport["discharge_location"] = {
                "name": clean_text(
                    unloading, 256, cpath("transport", "discharge_location", "name"), self.report
                )
            }
        if transport:
            self.cert["transport"] = transport

    def declaration(self, form: etree._Element) -> None:
        src = self.src
        block = src.one(form, "Declaration")
        moment = src.text(block, "DeclarationDate")
        if moment:
            self.cert["declarations"] = {
                "exporter": {"date": self.local(moment, cpath("declarations", "exporter", "date"))}
            }
        request = src.text(block, "DeclarationRequestNo")
        if request:
            self.cert["application_reference"] = request

    def certification(self, codeh: etree._Element) -> None:
        src, cert = self.src, self.cert
        block = src.one(codeh, "CertificationEH")
        certification: dict[str, Any] = {}
        control = src.text(block, "CertificateControlCode")
        if control:
            certification["control_code"] = control
        moment = src.text(block, "CertificateDate")
        if moment:
            value = self.local(moment, cpath("declarations", "certification", "datetime"))
            certification["datetime"] = value
            cert["issue_datetime"] = value
        number = src.text(block, "CertificateID")
        if number:
            cert["certificate_number"] = number
        if certification:
            cert.setdefault("declarations", {})["certification"] = certification
        status = "ISSUED" if number else ("SUBMITTED" if "declarations" in cert else "DRAFT")
        cert["status"] = status
        self.report.derived(
            cpath("status"), "a COD has no status: from its certification data", status
        )

    def signatures(self, codeh: etree._Element) -> None:
        found = [*codeh.findall(f"CODExporter/{{{codes.DS_NS}}}Signature")]
        parent = codeh.getparent()
        if parent is not None:
            found += parent.findall(f"{{{codes.DS_NS}}}Signature")
        for signature in found:
            self.src.mark(signature)
            reference = signature.find(f".//{{{codes.DS_NS}}}Reference")
            target = reference.get("URI") if reference is not None else None
            self.report.degraded(
                xpath_of(signature),
                "XMLDSig verification of ALADI signatures "
                "is not performed; the signature is kept only inside the "
                "source_document attachment",
                target,
            )


__all__ = ["SOURCE_ATTACHMENT_ID", "decimal_text", "read"]
