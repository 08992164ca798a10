"""The certificate and the CO document (``dataset.md`` §1, §3, §8–§10).

A CO document is ``{"certificate": {...}, "signatures": {...}}``. The issuing authority signs
the whole ``certificate`` object; the optional exporter signature covers it without the
issuer-owned fields and without ``status``, ``uuid`` and ``version`` (see
:data:`ISSUER_OWNED_PATHS` and :func:`exporter_signed_view`).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, JsonValue

from originlink.domain.dataset.enums import AttachmentPurpose, SignatureFormat, Status
from originlink.domain.dataset.goods import GoodsItem
from originlink.domain.dataset.parties import Parties
from originlink.domain.dataset.references import References
from originlink.domain.dataset.transport import Transport
from originlink.domain.dataset.types import (
    AbsoluteUri,
    Base64Text,
    Bool,
    CertificateNumber,
    Code,
    CountryCode,
    Date,
    DateTime,
    HttpsUri,
    Id35,
    Locode,
    MediaType,
    NonNegativeInt,
    PositiveInt,
    Sha256Hex,
    StrictModel,
    Text256,
    Text512,
    Text2048,
    Uuid,
)


class AgreementRef(StrictModel):
    code: Code
    name: Text512 | None = None


class IssuePlace(StrictModel):
    locode: Locode | None = None
    name: Text256 | None = None


class Flags(StrictModel):
    """The tick boxes of the forms (§8). Absent means false."""

    issued_retroactively: Bool | None = None
    certified_true_copy: Bool | None = None
    true_copy_issue_date: Date | None = None
    back_to_back: Bool | None = None
    third_party_invoicing: Bool | None = None
    exhibition: Bool | None = None
    accumulation: Bool | None = None
    partial_cumulation: Bool | None = None
    de_minimis: Bool | None = None

    def is_set(self, name: str) -> bool:
        return getattr(self, name) is True


class ExporterDeclaration(StrictModel):
    statement: Text2048 | None = None
    place: Text256 | None = None
    date: DateTime | None = None
    signatory_name: Text256 | None = None
    signatory_job_title: Text256 | None = None


class Certification(StrictModel):
    datetime: DateTime | None = None
    statement: Text2048 | None = None
    control_code: Id35 | None = None
    verification_url: HttpsUri | None = None


class Declarations(StrictModel):
    exporter: ExporterDeclaration | None = None
    certification: Certification | None = None


class Attachment(StrictModel):
    attachment_id: Id35
    purpose: AttachmentPurpose
    filename: Text256 | None = None
    mime_type: MediaType
    content_base64: Base64Text | None = None
    uri: AbsoluteUri | None = None
    size_bytes: NonNegativeInt | None = None
    sha256: Sha256Hex


class Certificate(StrictModel):
    """The ``certificate`` member: every group of §3–§10."""

    certificate_number: CertificateNumber | None = None
    uuid: Uuid | None = None
    version: PositiveInt
    form_code: Code
    title: Text256 | None = None
    is_preferential: Bool
    agreement: AgreementRef | None = None
    status: Status
    issue_datetime: DateTime | None = None
    issue_place: IssuePlace | None = None
    issuing_country: CountryCode
    exporting_country: CountryCode
    importing_country: CountryCode
    validity_end_date: Date | None = None
    application_reference: Id35 | None = None
    remarks: list[Text2048] | None = Field(default=None, min_length=1)
    official_remarks: list[Text2048] | None = Field(default=None, min_length=1)
    extensions: dict[str, JsonValue] | None = None
    parties: Parties
    transport: Transport | None = None
    goods_items: list[GoodsItem]
    references: References | None = None
    flags: Flags | None = None
    declarations: Declarations | None = None
    attachments: list[Attachment] | None = Field(default=None, min_length=1)

    @property
    def agreement_code(self) -> str | None:
        return self.agreement.code if self.agreement else None

    def flag(self, name: str) -> bool:
        return self.flags is not None and self.flags.is_set(name)


class SignatureBlock(StrictModel):
    format: SignatureFormat
    value: str = Field(min_length=1, max_length=65536)


class Signatures(StrictModel):
    issuing_authority: SignatureBlock | None = None
    exporter: SignatureBlock | None = None


class CODocument(StrictModel):
    """A stored or transmitted CO: the certificate and its signatures (§1)."""

    certificate: Certificate
    signatures: Signatures | None = None

    def to_json_dict(self) -> dict[str, Any]:
        """The document as JSON-ready data: absent members omitted, decimals as strings."""
        return self.model_dump(mode="json", exclude_none=True)


def certificate_json(certificate: Certificate) -> dict[str, Any]:
    """The certificate as JSON-ready data, the exact object the issuing authority signs."""
    return certificate.model_dump(mode="json", exclude_none=True)


#: Issuer-owned members (DS-05), as paths relative to ``certificate``.
ISSUER_OWNED_PATHS: tuple[tuple[str, ...], ...] = (
    ("certificate_number",),
    ("issue_datetime",),
    ("issue_place",),
    ("validity_end_date",),
    ("official_remarks",),
    ("parties", "certifying_official"),
    ("flags", "true_copy_issue_date"),
    ("declarations", "certification"),
)

#: Members the gateway sets; neither part of an application's content nor of the exporter's
#: signature.
GATEWAY_OWNED_PATHS: tuple[tuple[str, ...], ...] = (("status",), ("uuid",), ("version",))


def exporter_signed_view(certificate_data: dict[str, Any]) -> dict[str, Any]:
    """The part of a certificate the exporter's declaration signature covers (§1 Ownership)."""
    import copy

    view = copy.deepcopy(certificate_data)
    for path in (*ISSUER_OWNED_PATHS, *GATEWAY_OWNED_PATHS):
        node: Any = view
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
            if node is None:
                break
        if isinstance(node, dict):
            node.pop(path[-1], None)
            # an emptied group is dropped too: absent, not empty
    for group in ("parties", "flags", "declarations"):
        if isinstance(view.get(group), dict) and not view[group]:
            del view[group]
    return view
