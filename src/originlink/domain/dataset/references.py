"""References (``dataset.md`` §7): invoices, related certificates, other documents."""

from __future__ import annotations

from pydantic import Field

from originlink.domain.dataset.enums import Relation
from originlink.domain.dataset.types import (
    AbsoluteUri,
    Bool,
    CertificateNumber,
    CountryCode,
    Date,
    DocumentTypeCode,
    Id35,
    PositiveInt,
    StrictModel,
    Text256,
)


class InvoiceReference(StrictModel):
    sequence: PositiveInt
    number: Id35
    issue_date: Date | None = None
    issued_by_invoicing_operator: Bool | None = None
    uri: AbsoluteUri | None = None


class RelatedCertificate(StrictModel):
    relation: Relation
    number: CertificateNumber
    issue_date: Date
    issuing_country: CountryCode
    issuing_authority_name: Text256 | None = None
    origin_country: CountryCode | None = None


class AdditionalDocument(StrictModel):
    type_code: DocumentTypeCode
    number: Id35
    issue_date: Date | None = None
    uri: AbsoluteUri | None = None


class References(StrictModel):
    invoices: list[InvoiceReference] | None = Field(default=None, min_length=1)
    related_certificates: list[RelatedCertificate] | None = Field(default=None, min_length=1)
    additional_documents: list[AdditionalDocument] | None = Field(default=None, min_length=1)

    def related(self, relation: Relation) -> list[RelatedCertificate]:
        return [r for r in self.related_certificates or () if r.relation is relation]
