"""Building, signing and checking message envelopes (``processes.md`` §4).

The sending gateway signs the header (its RFC 8785 form without ``signature``) as a detached
JWS with its key from its trust list entry; since the header holds ``payload_digest``, the
signature covers the payload too. A receiver checks, in order: the digest of the payload bytes,
the JWS, that the signing certificate is listed by the participant named as ``sender``, that it
chains to a pinned root, is valid now and not revoked. Each failure has its own code.

One key per participant: a node's key (issuing authority or customs) also signs its messages;
the check requires the key to be listed by the sender, whatever its role there.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from originlink.domain.checkpoints import AuditCheckpoint
from originlink.domain.errors import TrustError
from originlink.domain.messages import (
    DocumentRef,
    Envelope,
    MessageType,
    PayloadFormat,
    function_code_for,
)
from originlink.exchange.wire import WireMessage, payload_digest
from originlink.trust.canonical import canonical_bytes
from originlink.trust.jws import sign_detached as jws_sign
from originlink.trust.jws import verify_detached
from originlink.trust.signer import Signer
from originlink.trust.trustlist import ListedSigner, TrustStore

ENVELOPE_JWS_TYPE = "originlink-envelope+jws"


def build_message(
    *,
    message_type: MessageType,
    sender: str,
    recipient: str,
    payload: bytes,
    now: datetime,
    signer: Signer,
    agreement: str | None = None,
    document: DocumentRef | None = None,
    correlation_id: str | None = None,
    payload_format: PayloadFormat = PayloadFormat.CANONICAL,
    test: bool = False,
    message_id: str | None = None,
    checkpoint: AuditCheckpoint | None = None,
) -> WireMessage:
    """A new signed message (a fresh ``message_id`` unless one is given), carrying the
    sender's latest audit ``checkpoint`` when it has one."""
    envelope = Envelope(
        message_id=uuid.UUID(message_id) if message_id else uuid.uuid4(),
        message_type=message_type,
        function_code=function_code_for(message_type, document.status if document else None),
        sender=sender,
        recipient=recipient,
        agreement=agreement,
        document=document,
        correlation_id=uuid.UUID(correlation_id) if correlation_id else None,
        created_at=now.astimezone(UTC).replace(microsecond=(now.microsecond // 1000) * 1000),
        test=True if test else None,
        payload_format=payload_format,
        payload_digest=payload_digest(payload),
        checkpoint=checkpoint,
    )
    return WireMessage(sign_envelope(envelope, signer), payload)


def sign_envelope(envelope: Envelope, signer: Signer) -> Envelope:
    token = jws_sign(
        canonical_bytes(envelope.signed_part()), signer, extra_headers={"typ": ENVELOPE_JWS_TYPE}
    )
    return envelope.model_copy(update={"signature": token})


def verify_message(message: WireMessage, trust: TrustStore, *, now: datetime) -> ListedSigner:
    """Check the message's integrity and sender; return the sender's listing."""
    envelope = message.envelope
    if payload_digest(message.payload) != envelope.payload_digest:
        raise TrustError(
            "the payload does not match payload_digest in the envelope", code="MSG_DIGEST_MISMATCH"
        )
    if not envelope.signature:
        raise TrustError("the envelope is not signed", code="MSG_UNSIGNED")
    try:
        verified = verify_detached(
            envelope.signature,
            canonical_bytes(envelope.signed_part()),
            expected_type=ENVELOPE_JWS_TYPE,
        )
    except TrustError as exc:
        raise TrustError(
            f"the envelope signature is not valid: {exc.detail}",
            code="MSG_SIGNATURE_INVALID",
            cause=exc.code,
        ) from None
    listed = trust.listing(verified.leaf.sha256)
    if listed is None:
        raise TrustError(
            f"the envelope is signed by a key no trust list names "
            f"(sha256:{verified.leaf.sha256[:16]}…)",
            code="MSG_SIGNER_NOT_LISTED",
        )
    if listed.participant.participant_id != envelope.sender:
        raise TrustError(
            f"the envelope says it is from {envelope.sender} but is signed by "
            f"{listed.participant.participant_id}",
            code="MSG_SENDER_MISMATCH",
        )
    try:
        trust.check_signer(
            verified.certificates[0],
            country=listed.participant.country,
            agreement=None,
            role=listed.entry.role,
            at=now,
            chain=verified.certificates[1:],
        )
    except TrustError as exc:
        raise TrustError(
            f"the sender's key is not acceptable now: {exc.detail}",
            code="MSG_SIGNER_NOT_TRUSTED",
            cause=exc.code,
        ) from None
    return listed


def envelope_summary(envelope: Envelope) -> dict[str, Any]:
    return envelope.model_dump(mode="json", exclude_none=True, exclude={"signature"})
