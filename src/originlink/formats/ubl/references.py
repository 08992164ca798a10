"""References and attachments → ``$A/cac:SupportingDocumentReference`` (§7, §10).

Kinds are told apart as the dataset says: invoices by ``cbc:DocumentTypeCode`` 380, related
certificates by 861 with the relation in ``cbc:DocumentType``, attachments by
``cbc:DocumentType`` = ``attachment``; any other reference is an additional document (which
carries ``cbc:DocumentType`` = ``additional_document`` only when its code is 380 or 861).
"""

from __future__ import annotations

from lxml import etree

from originlink.domain.dataset import Attachment, Certificate
from originlink.formats._common import cpath
from originlink.formats.loss import LossReport
from originlink.formats.ubl.names import cac, cbc, sub
from originlink.formats.ubl.parties import write_party

INVOICE = "380"
CERTIFICATE = "861"
ATTACHMENT = "attachment"
ADDITIONAL = "additional_document"
SHA256_METHOD = "http://www.w3.org/2001/04/xmlenc#sha256"


def write_references(app: etree._Element, cert: Certificate, report: LossReport) -> None:
    refs = cert.references
    operator = cert.parties.invoicing_operator
    operator_written = False
    for index, invoice in enumerate((refs.invoices if refs else None) or ()):
        if invoice.sequence != index + 1:
            report.degraded(
                cpath("references", "invoices", index, "sequence"),
                "UBL keeps only the order of the invoice references",
                invoice.sequence,
            )
        element = sub(app, cac("SupportingDocumentReference"))
        sub(element, cbc("ID"), invoice.number)
        if invoice.issue_date:
            sub(element, cbc("IssueDate"), invoice.issue_date.isoformat())
        sub(element, cbc("DocumentTypeCode"), INVOICE)
        if invoice.uri:
            sub(
                sub(sub(element, cac("Attachment")), cac("ExternalReference")),
                cbc("URI"),
                invoice.uri,
            )
        if invoice.issued_by_invoicing_operator and operator is not None:
            write_party(element, cac("IssuerParty"), operator)
            operator_written = True
    if operator is not None and not operator_written:
        report.dropped(
            cpath("parties", "invoicing_operator"),
            "UBL holds it only as the issuer of an invoice marked issued_by_invoicing_operator",
            operator.name,
        )
    for related in (refs.related_certificates if refs else None) or ():
        element = sub(app, cac("SupportingDocumentReference"))
        sub(element, cbc("ID"), related.number)
        sub(element, cbc("IssueDate"), related.issue_date.isoformat())
        sub(element, cbc("DocumentTypeCode"), CERTIFICATE)
        sub(element, cbc("DocumentType"), related.relation.value)
        issuer = sub(element, cac("IssuerParty"))
        if related.issuing_authority_name:
            sub(sub(issuer, cac("PartyName")), cbc("Name"), related.issuing_authority_name)
        sub(
            sub(sub(issuer, cac("PostalAddress")), cac("Country")),
            cbc("IdentificationCode"),
            related.issuing_country,
        )
    for document in (refs.additional_documents if refs else None) or ():
        element = sub(app, cac("SupportingDocumentReference"))
        sub(element, cbc("ID"), document.number)
        if document.issue_date:
            sub(element, cbc("IssueDate"), document.issue_date.isoformat())
        sub(element, cbc("DocumentTypeCode"), document.type_code)
        if document.type_code in (INVOICE, CERTIFICATE):
            sub(element, cbc("DocumentType"), ADDITIONAL)
        if document.uri:
            sub(
                sub(sub(element, cac("Attachment")), cac("ExternalReference")),
                cbc("URI"),
                document.uri,
            )
    for attachment in cert.attachments or ():
        write_attachment(app, attachment)


def write_attachment(app: etree._Element, attachment: Attachment) -> None:
    element = sub(app, cac("SupportingDocumentReference"))
    sub(element, cbc("ID"), attachment.attachment_id)
    sub(element, cbc("DocumentType"), ATTACHMENT)
    sub(element, cbc("DocumentDescription"), attachment.purpose.value)
    holder = sub(element, cac("Attachment"))
    if attachment.content_base64 is not None:
        sub(
            holder,
            cbc("EmbeddedDocumentBinaryObject"),
            attachment.content_base64,
            mimeCode=attachment.mime_type,
            encodingCode="Base64",
            filename=attachment.filename,
        )
    external = sub(holder, cac("ExternalReference"))
    if attachment.uri:
        sub(external, cbc("URI"), attachment.uri)
    sub(external, cbc("DocumentHash"), attachment.sha256)
    sub(external, cbc("HashAlgorithmMethod"), SHA256_METHOD)
    sub(external, cbc("MimeCode"), attachment.mime_type)
    if attachment.filename:
        sub(external, cbc("FileName"), attachment.filename)
