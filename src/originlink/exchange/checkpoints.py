"""Signing and checking audit checkpoints (see :mod:`originlink.domain.checkpoints`).

A checkpoint is signed like every other OriginLink signature, a detached JWS over the RFC 8785
form of what it states, with its own ``typ`` so that no other signature of the node can pass for
a checkpoint; but it names its key by ``kid`` alone, without the chain in ``x5c``: every message
carries one, and its verifier finds the certificate in the trust lists anyway. It is trusted
when that certificate is one the trust lists name for the participant the checkpoint is about
(the node's own key, for its own checkpoints), and was not revoked before it was made.
"""

from __future__ import annotations

from datetime import UTC, datetime

from originlink.domain.checkpoints import CHECKPOINT_JWS_TYPE, AuditCheckpoint
from originlink.domain.errors import TrustError
from originlink.trust.canonical import canonical_bytes
from originlink.trust.certificates import info
from originlink.trust.jws import read_header, sign_detached, verify_detached_by_key
from originlink.trust.signer import Signer
from originlink.trust.trustlist import TrustStore


def sign_checkpoint(
    *, node: str, seq: int, head: str, at: datetime, signer: Signer
) -> AuditCheckpoint:
    """The node's signed statement that its record ``seq`` has hash ``head``."""
    moment = at.astimezone(UTC).replace(microsecond=(at.microsecond // 1000) * 1000)
    unsigned = AuditCheckpoint(node=node, seq=seq, head=head, at=moment, signature="-")
    token = sign_detached(
        canonical_bytes(unsigned.signed_part()),
        signer,
        extra_headers={"typ": CHECKPOINT_JWS_TYPE},
        with_chain=False,
    )
    return unsigned.model_copy(update={"signature": token})


def verify_checkpoint(
    checkpoint: AuditCheckpoint, trust: TrustStore | None, *, own: Signer | None = None
) -> None:
    """Raise :class:`TrustError` unless ``checkpoint`` is signed by a key listed for its node.

    ``own``: this node's key, accepted for its own checkpoints even before its own trust list
    was imported into its trust store. Codes: ``CHECKPOINT_SIGNATURE_INVALID``,
    ``CHECKPOINT_SIGNER_NOT_LISTED``, ``CHECKPOINT_SIGNER_MISMATCH``, ``CHECKPOINT_SIGNER_REVOKED``.
    """
    what = f"the checkpoint of {checkpoint.node} for record {checkpoint.seq}"
    try:
        fingerprint = str(read_header(checkpoint.signature).get("kid"))
    except TrustError as exc:
        raise TrustError(
            f"{what} is not validly signed: {exc.detail}",
            code="CHECKPOINT_SIGNATURE_INVALID",
            cause=exc.code,
        ) from None
    listed = trust.listing(fingerprint) if trust is not None else None
    if own is not None and fingerprint == own.key_id:
        leaf = info(own.chain[0])
    elif listed is None:
        raise TrustError(
            f"{what} is signed by a key no trust list names (sha256:{fingerprint[:16]}…)",
            code="CHECKPOINT_SIGNER_NOT_LISTED",
        )
    else:
        leaf = listed.info
    try:
        verify_detached_by_key(
            checkpoint.signature,
            canonical_bytes(checkpoint.signed_part()),
            leaf,
            expected_type=CHECKPOINT_JWS_TYPE,
        )
    except TrustError as exc:
        raise TrustError(
            f"{what} is not validly signed: {exc.detail}",
            code="CHECKPOINT_SIGNATURE_INVALID",
            cause=exc.code,
        ) from None
    if own is not None and fingerprint == own.key_id:
        return
    assert listed is not None
    if listed.participant.participant_id != checkpoint.node:
        raise TrustError(
            f"the checkpoint says it is {checkpoint.node}'s but is signed by "
            f"{listed.participant.participant_id}",
            code="CHECKPOINT_SIGNER_MISMATCH",
        )
    if listed.entry.revoked_by(checkpoint.at):
        raise TrustError(
            f"the key that signed {what} was revoked before {checkpoint.at.isoformat()}",
            code="CHECKPOINT_SIGNER_REVOKED",
        )
