"""Canonical CO → OASIS UBL 2.4 ``CertificateOfOrigin`` (``dataset.md`` §3–§11.1, §12.1).

Elements are written in the order of the XSD sequences. Where UBL requires an element the CO has
no value for, the writer synthesises it (§11.1) and reports it ``SYNTHESISED``; the reader
recognises those values and does not turn them into canonical fields.
"""

from __future__ import annotations

import base64
from typing import Any

from lxml import etree

from originlink.domain.dataset import CODocument, SignatureBlock
from originlink.domain.dataset.types import datetime_to_json, decimal_to_json
from originlink.formats._common import cpath
from originlink.formats.loss import Conversion, LossReport
from originlink.formats.ubl import extension
from originlink.formats.ubl.goods import write_goods_item
from originlink.formats.ubl.names import (
    CUSTOMIZATION_ID,
    NOT_STATED,
    NSMAP,
    SIGNATURE_MIME,
    UBL_VERSION,
    cac,
    cbc,
    ext,
    sub,
)
from originlink.formats.ubl.parties import fill_party, write_party
from originlink.formats.ubl.references import write_references
from originlink.formats.ubl.transport import write_consignment, write_stage

A = "cac:CertificateOfOriginApplication"
IE = "cac:IssuerEndorsement"


def split_datetime(value: Any) -> tuple[str, str]:
    """``cbc:IssueDate`` (the date in the value's own offset) and ``cbc:IssueTime``."""
    day, clock = datetime_to_json(value).split("T")
    return day, clock


def write(doc: CODocument, *, originlink_extension: bool = True) -> Conversion[bytes]:
    report = LossReport()
    root = _Writer(doc, report, originlink_extension).build()
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Conversion(data, report)


class _Writer:
    def __init__(self, doc: CODocument, report: LossReport, with_extension: bool) -> None:
        self.doc = doc
        self.cert = doc.certificate
        self.report = report
        self.with_extension = with_extension
        self.number = self.cert.certificate_number

    def fallback_id(self, target: str, what: str) -> str:
        """The certificate number where UBL needs an id the CO does not have (§11.1)."""
        value = self.number or NOT_STATED
        self.report.synthesised(target, f"mandatory in UBL; {what} absent", value)
        return value

    def build(self) -> etree._Element:
        cert = self.cert
        root = etree.Element(f"{{{NSMAP[None]}}}CertificateOfOrigin", nsmap=NSMAP)  # type: ignore[arg-type]
        self.write_extension(root)
        sub(root, cbc("UBLVersionID"), UBL_VERSION)
        sub(root, cbc("CustomizationID"), CUSTOMIZATION_ID)
        if self.number:
            sub(root, cbc("ID"), self.number)
        else:
            sub(root, cbc("ID"), NOT_STATED)
            self.report.synthesised("cbc:ID", "mandatory in UBL; no certificate number yet")
        if cert.uuid:
            sub(root, cbc("UUID"), cert.uuid)
        if cert.issue_datetime:
            day, clock = split_datetime(cert.issue_datetime)
            sub(root, cbc("IssueDate"), day)
            sub(root, cbc("IssueTime"), clock)
        if cert.title:
            sub(root, cbc("Description"), cert.title)
        sub(root, cbc("VersionID"), cert.version)
        write_party(root, cac("ExporterParty"), cert.parties.exporter)
        if cert.parties.importer:
            write_party(root, cac("ImporterParty"), cert.parties.importer)
        self.write_application(sub(root, cac("CertificateOfOriginApplication")))
        self.write_endorsement(sub(root, cac("IssuerEndorsement")))
        return root

    def write_extension(self, root: etree._Element) -> None:
        members = extension.extract(self.doc.to_json_dict()["certificate"])
        if not self.with_extension:
            for path, value in extension.present_dagger_members(
                self.doc.to_json_dict()["certificate"]
            ):
                self.report_dagger(path, value)
            return
        holder = sub(sub(root, ext("UBLExtensions")), ext("UBLExtension"))
        sub(holder, ext("ExtensionURI"), extension.EXTENSION_URI)
        content = sub(holder, ext("ExtensionContent"))
        element = etree.SubElement(
            content, extension.CONTENT_TAG, nsmap={"ol": extension.EXTENSION_URI}
        )
        element.text = extension.content_json(members)

    def report_dagger(self, path: tuple[str | int, ...], value: Any) -> None:
        where = cpath(*path)
        if path == ("declarations", "certification", "datetime"):
            if self.cert.issue_datetime is not None and value == datetime_to_json(
                self.cert.issue_datetime
            ):
                return
            self.report.degraded(where, "UBL keeps only cbc:IssueDate/cbc:IssueTime", value)
            return
        self.report.dropped(where, "no UBL element (‡; no OriginLink extension)", value)

    def write_application(self, app: etree._Element) -> None:
        cert, parties = self.cert, self.cert.parties
        if cert.application_reference:
            if cert.application_reference == self.number:
                self.report.degraded(
                    cpath("application_reference"),
                    "equals the certificate number; a reader takes it for the synthesised copy",
                    cert.application_reference,
                )
            reference = cert.application_reference
            sub(app, cbc("ReferenceID"), reference)
            sub(app, cbc("CertificateType"), cert.form_code)
            sub(app, cbc("OriginalJobID"), reference)
        else:
            sub(
                app,
                cbc("ReferenceID"),
                self.fallback_id(f"{A}/cbc:ReferenceID", "application_reference"),
            )
            sub(app, cbc("CertificateType"), cert.form_code)
            sub(
                app,
                cbc("OriginalJobID"),
                self.fallback_id(f"{A}/cbc:OriginalJobID", "application_reference"),
            )
        for remark in cert.remarks or ():
            sub(app, cbc("Remarks"), remark)
        self.write_shipment(sub(app, cac("Shipment")))
        self.write_exporter_endorser(app)
        if parties.applicant:
            if parties.applicant == parties.exporter:
                self.report.degraded(
                    cpath("parties", "applicant"),
                    "same as the exporter; a reader takes it for the synthesised copy",
                )
            write_party(app, cac("PreparationParty"), parties.applicant)
        else:
            write_party(app, cac("PreparationParty"), parties.exporter)
            self.report.synthesised(
                f"{A}/cac:PreparationParty", "mandatory in UBL; the exporter is written"
            )
        write_party(app, cac("IssuerParty"), parties.issuing_authority)
        write_party(app, cac("ExporterParty"), parties.exporter)
        if parties.importer:
            write_party(app, cac("ImporterParty"), parties.importer)
        sub(sub(app, cac("IssuingCountry")), cbc("IdentificationCode"), cert.issuing_country)
        write_references(app, cert, self.report)
        declaration = cert.declarations.exporter if cert.declarations else None
        signature = self.doc.signatures.exporter if self.doc.signatures else None
        statement = declaration.statement if declaration else None
        if statement or signature:
            self.write_signature(app, f"{A}/cac:Signature", "exporter", statement, signature)

    def write_shipment(self, shipment: etree._Element) -> None:
        transport = self.cert.transport
        if transport and transport.information:
            sub(shipment, cbc("Information"), transport.information)
        write_consignment(shipment, self.cert, self.fallback_id, self.report)
        producers = self.producers()
        for index, item in enumerate(self.cert.goods_items):
            write_goods_item(shipment, self.cert, index, item, producers, self.report)
        if transport:
            write_stage(shipment, transport, self.report)
            for package in transport.packages or ():
                unit = sub(shipment, cac("TransportHandlingUnit"))
                if package.package_id:
                    sub(unit, cbc("ID"), package.package_id)
                for attribute, measure in (
                    ("gross_weight", package.gross_weight),
                    ("gross_volume", package.gross_volume),
                ):
                    if measure is not None:
                        dimension = sub(unit, cac("MeasurementDimension"))
                        sub(dimension, cbc("AttributeID"), attribute)
                        sub(
                            dimension,
                            cbc("Measure"),
                            decimal_to_json(measure.value),
                            unitCode=measure.unit_code,
                        )
        sub(
            sub(shipment, cac("ExportCountry")),
            cbc("IdentificationCode"),
            self.cert.exporting_country,
        )

    def producers(self) -> dict[str, Any]:
        from originlink.formats._producers import plan_producers

        return plan_producers(
            self.cert,
            self.report,
            lambda p: p.model_dump(mode="json", exclude_none=True, exclude={"party_id"}),
        )

    def write_exporter_endorser(self, app: etree._Element) -> None:
        parties = self.cert.parties
        declaration = self.cert.declarations.exporter if self.cert.declarations else None
        endorser = sub(app, cac("EndorserParty"))
        sub(endorser, cbc("RoleCode"), "exporter")
        sub(endorser, cbc("SequenceNumeric"), 1)
        fill_party(sub(endorser, cac("Party")), parties.exporter)
        contact = sub(endorser, cac("SignatoryContact"))
        name = declaration.signatory_name if declaration else None
        if name is None:
            name = parties.exporter.name
            self.report.synthesised(
                f"{A}/cac:EndorserParty/cac:SignatoryContact/cbc:Name",
                "mandatory in UBL; no exporter signatory: the exporter's name is written",
                name,
            )
        elif name == parties.exporter.name:
            self.report.degraded(
                cpath("declarations", "exporter", "signatory_name"),
                "equals the exporter's name; a reader takes it for the synthesised value",
            )
        sub(contact, cbc("Name"), name)
        if declaration and declaration.signatory_job_title:
            sub(contact, cbc("JobTitle"), declaration.signatory_job_title)

    def write_endorsement(self, endorsement: etree._Element) -> None:
        cert = self.cert
        certification = cert.declarations.certification if cert.declarations else None
        control = certification.control_code if certification else None
        if control:
            if control == self.number:
                self.report.degraded(
                    cpath("declarations", "certification", "control_code"),
                    "equals the certificate number; a reader takes it for the synthesised copy",
                )
            sub(endorsement, cbc("DocumentID"), control)
        else:
            sub(
                endorsement,
                cbc("DocumentID"),
                self.fallback_id(f"{IE}/cbc:DocumentID", "control_code"),
            )
        sub(endorsement, cbc("ApprovalStatus"), cert.status.value)
        self.report.degraded(
            cpath("status"), "free text in cbc:ApprovalStatus, not a coded list", cert.status.value
        )
        for remark in cert.official_remarks or ():
            sub(endorsement, cbc("Remarks"), remark)
        endorser = sub(endorsement, cac("EndorserParty"))
        sub(endorser, cbc("RoleCode"), "issuer")
        sub(endorser, cbc("SequenceNumeric"), 1)
        fill_party(sub(endorser, cac("Party")), cert.parties.issuing_authority)
        contact = sub(endorser, cac("SignatoryContact"))
        official = cert.parties.certifying_official
        if official is None:
            name = cert.parties.issuing_authority.name
            sub(contact, cbc("Name"), name)
            self.report.synthesised(
                f"{IE}/cac:EndorserParty/cac:SignatoryContact/cbc:Name",
                "mandatory in UBL; no certifying official: the authority's name is written",
                name,
            )
        else:
            if official.name == cert.parties.issuing_authority.name and not (
                official.job_title or official.email
            ):
                self.report.degraded(
                    cpath("parties", "certifying_official"),
                    "named like the authority; a reader takes it for the synthesised value",
                )
            sub(contact, cbc("Name"), official.name)
            if official.job_title:
                sub(contact, cbc("JobTitle"), official.job_title)
            if official.email:
                sub(contact, cbc("ElectronicMail"), official.email)
        statement = certification.statement if certification else None
        signature = self.doc.signatures.issuing_authority if self.doc.signatures else None
        if statement or signature:
            self.write_signature(
                endorsement, f"{IE}/cac:Signature", "issuing_authority", statement, signature
            )

    def write_signature(
        self,
        parent: etree._Element,
        target: str,
        role: str,
        statement: str | None,
        signature: SignatureBlock | None,
    ) -> None:
        element = sub(parent, cac("Signature"))
        sub(element, cbc("ID"), f"{role}-signature")
        self.report.synthesised(f"{target}/cbc:ID", "mandatory in UBL", f"{role}-signature")
        if statement:
            sub(element, cbc("Note"), statement)
        if signature is None:
            return
        attachment = sub(element, cac("DigitalSignatureAttachment"))
        encoded = base64.b64encode(signature.value.encode("utf-8")).decode("ascii")
        mime = SIGNATURE_MIME[signature.format.value]
        sub(
            attachment,
            cbc("EmbeddedDocumentBinaryObject"),
            encoded,
            mimeCode=mime,
            encodingCode="Base64",
            format=signature.format.value,
        )
        self.report.synthesised(
            f"{target}/cac:DigitalSignatureAttachment/cbc:EmbeddedDocumentBinaryObject/@mimeCode",
            "mandatory in UBL",
            mime,
        )
        self.report.degraded(
            f"signatures.{role}",
            "written as an opaque value; it does not verify over the UBL bytes (§9)",
        )
