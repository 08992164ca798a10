"""Closed code lists of the gateway itself (``dataset.md`` §1, §4, §7, §10, §13.8)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Canonical CO status (§13.8)."""

    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    NOT_ISSUED = "NOT_ISSUED"
    ISSUED = "ISSUED"
    CANCELLED = "CANCELLED"
    REPLACED = "REPLACED"
    EXPIRED = "EXPIRED"


class ProducerStatement(StrEnum):
    SAME_AS_EXPORTER = "SAME_AS_EXPORTER"
    AVAILABLE_ON_REQUEST = "AVAILABLE_ON_REQUEST"
    CONFIDENTIAL = "CONFIDENTIAL"
    NOT_AVAILABLE = "NOT_AVAILABLE"
    SEE_ITEMS = "SEE_ITEMS"


class Relation(StrEnum):
    REPLACES = "replaces"
    BACK_TO_BACK_OF = "back_to_back_of"
    TRUE_COPY_OF = "true_copy_of"
    RELATED = "related"


class AttachmentPurpose(StrEnum):
    RENDERED_CERTIFICATE = "rendered_certificate"
    SOURCE_DOCUMENT = "source_document"
    INVOICE = "invoice"
    SUPPORTING_DOCUMENT = "supporting_document"
    OTHER = "other"


class SignatureFormat(StrEnum):
    JWS = "jws"
    XMLDSIG = "xmldsig"
    MULTIHASH = "multihash"
    IMAGE = "image"


class TransportMode(StrEnum):
    """UN/ECE Recommendation 19."""

    NOT_SPECIFIED = "0"
    MARITIME = "1"
    RAIL = "2"
    ROAD = "3"
    AIR = "4"
    MAIL = "5"
    MULTIMODAL = "6"
    FIXED_INSTALLATION = "7"
    INLAND_WATER = "8"
    NOT_APPLICABLE = "9"


class HsEdition(StrEnum):
    HS2007 = "HS2007"
    HS2012 = "HS2012"
    HS2017 = "HS2017"
    HS2022 = "HS2022"


#: Statuses an application may have (before issuance).
APPLICATION_STATUSES = frozenset({Status.DRAFT, Status.SUBMITTED, Status.NOT_ISSUED})
