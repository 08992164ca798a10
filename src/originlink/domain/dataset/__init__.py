"""The canonical e-CO dataset (``dataset.md``) as pydantic v2 models.

Import from here: ``from originlink.domain.dataset import CODocument, Certificate``.
"""

from originlink.domain.dataset.certificate import (
    GATEWAY_OWNED_PATHS,
    ISSUER_OWNED_PATHS,
    AgreementRef,
    Attachment,
    Certificate,
    Certification,
    CODocument,
    Declarations,
    ExporterDeclaration,
    Flags,
    IssuePlace,
    SignatureBlock,
    Signatures,
    certificate_json,
    exporter_signed_view,
)
from originlink.domain.dataset.enums import (
    APPLICATION_STATUSES,
    AttachmentPurpose,
    HsEdition,
    ProducerStatement,
    Relation,
    SignatureFormat,
    Status,
    TransportMode,
)
from originlink.domain.dataset.flags import CO_FLAGS, FLAG_NAMES, CoFlag
from originlink.domain.dataset.goods import (
    ConsignmentItem,
    GoodsItem,
    OriginCriterion,
    OriginDeclaration,
    Packages,
)
from originlink.domain.dataset.measures import Amount, Measure
from originlink.domain.dataset.parties import (
    Address,
    CertifyingOfficial,
    Contact,
    Identifier,
    Parties,
    Party,
    Producer,
)
from originlink.domain.dataset.references import (
    AdditionalDocument,
    InvoiceReference,
    References,
    RelatedCertificate,
)
from originlink.domain.dataset.transport import Location, Transport, TransportPackage

__all__ = [
    "APPLICATION_STATUSES",
    "CO_FLAGS",
    "FLAG_NAMES",
    "GATEWAY_OWNED_PATHS",
    "ISSUER_OWNED_PATHS",
    "AdditionalDocument",
    "Address",
    "AgreementRef",
    "Amount",
    "Attachment",
    "AttachmentPurpose",
    "CODocument",
    "Certificate",
    "Certification",
    "CertifyingOfficial",
    "CoFlag",
    "ConsignmentItem",
    "Contact",
    "Declarations",
    "ExporterDeclaration",
    "Flags",
    "GoodsItem",
    "HsEdition",
    "Identifier",
    "InvoiceReference",
    "IssuePlace",
    "Location",
    "Measure",
    "OriginCriterion",
    "OriginDeclaration",
    "Packages",
    "Parties",
    "Party",
    "Producer",
    "ProducerStatement",
    "References",
    "RelatedCertificate",
    "Relation",
    "SignatureBlock",
    "SignatureFormat",
    "Signatures",
    "Status",
    "Transport",
    "TransportMode",
    "TransportPackage",
    "certificate_json",
    "exporter_signed_view",
]
