"""The message envelope of ``processes.md`` §4 / ``dataset.md`` §2, and the typed payloads.

A message travels as ``{"envelope": {...}, "payload": "<base64 of the payload bytes>"}``: the
routing header stays apart from the payload (a hub routes on the header alone and never needs to
parse the payload), ``payload_digest`` binds the two, and the sending gateway's JWS in
``envelope.signature`` covers the header (RFC 8785 form, without ``signature``) and thereby the
payload digest.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field

from originlink.domain.checkpoints import AuditCheckpoint
from originlink.domain.dataset.types import (
    Bool,
    CertificateNumber,
    CountryCode,
    DateTime,
    StrictModel,
    Uuid,
)
from originlink.domain.safejson import compact_json

SCHEMA_VERSION: Literal["1.0"] = "1.0"


class MessageType(StrEnum):
    CO_ISSUED = "co.issued"
    CO_NOTIFICATION = "co.notification"
    CO_STATUS = "co.status"
    RECEIPT = "receipt"
    BUSINESS_RESPONSE = "business.response"
    CO_UTILISATION = "co.utilisation"
    VERIFICATION_REQUEST = "verification.request"
    VERIFICATION_ACK = "verification.ack"
    VERIFICATION_RESPONSE = "verification.response"
    TRUSTLIST_UPDATE = "trustlist.update"


#: Messages about one CO: the envelope names the document and the agreement.
CO_MESSAGES = frozenset(
    {
        MessageType.CO_ISSUED,
        MessageType.CO_NOTIFICATION,
        MessageType.CO_STATUS,
        MessageType.CO_UTILISATION,
        MessageType.VERIFICATION_REQUEST,
        MessageType.VERIFICATION_ACK,
        MessageType.VERIFICATION_RESPONSE,
    }
)
#: Messages that answer another one (``correlation_id`` required).
ANSWERS = frozenset(
    {
        MessageType.RECEIPT,
        MessageType.BUSINESS_RESPONSE,
        MessageType.VERIFICATION_ACK,
        MessageType.VERIFICATION_RESPONSE,
    }
)


class PayloadFormat(StrEnum):
    CANONICAL = "canonical"
    UBL = "ubl"
    UNCEFACT = "uncefact"
    ALADI_COD = "aladi-cod"


class DocumentRef(StrictModel):
    type: Literal["861"] = "861"
    issuing_country: CountryCode
    number: CertificateNumber
    status: str = Field(pattern=r"^[A-Z_]{3,24}$")


ParticipantId = str


class Envelope(StrictModel):
    message_id: Uuid
    message_type: MessageType
    function_code: Literal["9", "5", "1", "4", "7"] | None = None
    sender: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
    recipient: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
    agreement: str | None = Field(default=None, max_length=20)
    document: DocumentRef | None = None
    correlation_id: Uuid | None = None
    created_at: DateTime
    schema_version: Literal["1.0"] = SCHEMA_VERSION
    test: Bool | None = None
    payload_format: PayloadFormat
    payload_digest: str = Field(pattern=r"^[A-Za-z0-9_\-]{43}$")
    #: The sender's latest signed checkpoint of its audit chain: the receiver keeps the latest
    #: it got from each partner, so the sender cannot rewrite its log unnoticed before it.
    checkpoint: AuditCheckpoint | None = None
    signature: str | None = Field(default=None, max_length=16384)

    def signed_part(self) -> dict[str, Any]:
        """What the gateway signature covers: the header without ``signature``."""
        data = self.model_dump(mode="json", exclude_none=True)
        data.pop("signature", None)
        return data

    def stored_json(self) -> str:
        """The envelope as kept in the outbox and inbox: compact JSON, absent members left out."""
        return compact_json(self.model_dump(mode="json", exclude_none=True)).decode()


class ReceiptOutcome(StrEnum):
    DELIVERED = "DELIVERED"
    DELIVERED_WITH_WARNINGS = "DELIVERED_WITH_WARNINGS"
    NOT_READABLE = "NOT_READABLE"
    DUPLICATE = "DUPLICATE"


class BusinessOutcome(StrEnum):
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


def function_code_for(message_type: MessageType, status: str | None) -> str | None:
    """UN/EDIFACT 1225 (WCO ID 017) derived from the message type and the document status."""
    if message_type is MessageType.CO_ISSUED:
        return "9"
    if message_type is MessageType.CO_STATUS:
        return {"CANCELLED": "1", "REPLACED": "5"}.get(status or "", "4")
    return None
