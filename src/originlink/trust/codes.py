"""Every stable code the trust layer reports, with its sentence: the one place they are listed.

Scripts, partners and the API depend on these strings, so a code never changes meaning and is
never reused. A :class:`~originlink.domain.errors.TrustError` carries one of them as ``code``; a
verification result reports one per aspect, with the sentence below plus a ``detail`` that names
the facts (which certificate, which time).

Document and message signatures (``SIG_*``) are grouped by the aspect of a verification they
belong to: integrity, signer, time, revocation. Trust lists use ``TRUSTLIST_*``, keys and the
certificate authority ``KEY_*`` and ``CA_*``.
"""

from __future__ import annotations

from enum import StrEnum


class Aspect(StrEnum):
    """The four questions a signature verification answers separately."""

    INTEGRITY = "integrity"
    SIGNER = "signer"
    TIME = "time"
    REVOCATION = "revocation"


#: Reported for an aspect that passed.
OK = "OK"
#: Reported for an aspect that could not be evaluated because an earlier one failed.
NOT_CHECKED = "NOT_CHECKED"
#: Reported for an aspect that does not apply (revocation of an exporter's certificate).
NOT_APPLICABLE = "NOT_APPLICABLE"

#: The sentence reported for an aspect that passed.
OK_SENTENCES: dict[Aspect, str] = {
    Aspect.INTEGRITY: "The signature matches the RFC 8785 canonical bytes of the signed content.",
    Aspect.SIGNER: (
        "The signing certificate chains to a pinned root and is listed for this country, "
        "agreement and role."
    ),
    Aspect.TIME: (
        "Every certificate of the chain was valid at the signing time, and the signing time is "
        "not in the future."
    ),
    Aspect.REVOCATION: "The signing certificate was not revoked at the signing time.",
}

#: Code → (aspect, sentence) for signature checks.
SIGNATURE_CODES: dict[str, tuple[Aspect, str]] = {
    # integrity: is this a well-formed signature over exactly these canonical bytes?
    "SIG_MISSING": (Aspect.INTEGRITY, "The document carries no signature of this kind."),
    "SIG_FORMAT_UNSUPPORTED": (
        Aspect.INTEGRITY,
        "The signature is not in the jws format, so it cannot be verified here.",
    ),
    "SIG_MALFORMED": (Aspect.INTEGRITY, "The signature is not a well-formed compact JWS."),
    "SIG_PAYLOAD_NOT_DETACHED": (
        Aspect.INTEGRITY,
        "The JWS carries an embedded payload; OriginLink signatures are detached.",
    ),
    "SIG_TYPE_MISMATCH": (
        Aspect.INTEGRITY,
        "The JWS 'typ' header names another kind of signature than the one expected here.",
    ),
    "SIG_ALG_REFUSED": (
        Aspect.INTEGRITY,
        "The JWS algorithm is refused: only ES256 and EdDSA (Ed25519) are accepted.",
    ),
    "SIG_KEY_ALG_MISMATCH": (
        Aspect.INTEGRITY,
        "The signing certificate's key does not match the JWS algorithm.",
    ),
    "SIG_CHAIN_MISSING": (
        Aspect.INTEGRITY,
        "The JWS carries no certificate chain (x5c), so the signing key is unknown.",
    ),
    "SIG_CHAIN_MALFORMED": (
        Aspect.INTEGRITY,
        "The certificate chain (x5c) holds an entry that is not a DER X.509 certificate.",
    ),
    "SIG_KID_MISMATCH": (
        Aspect.INTEGRITY,
        "The JWS 'kid' does not name the certificate that is said to have signed.",
    ),
    "SIG_CANONICAL_FAILED": (
        Aspect.INTEGRITY,
        "The signed content has no RFC 8785 canonical form (an integer beyond 2^53).",
    ),
    "SIG_INTEGRITY": (
        Aspect.INTEGRITY,
        "The signature does not match the canonical bytes: the content was changed.",
    ),
    # signer: does the certificate chain to a pinned root, and is it listed for this use?
    "SIG_CHAIN_BROKEN": (
        Aspect.SIGNER,
        "A certificate in the chain was not issued by the next one.",
    ),
    "SIG_CHAIN_NOT_CA": (
        Aspect.SIGNER,
        "A certificate that issued another one is not a certificate authority.",
    ),
    "SIG_CHAIN_UNTRUSTED": (
        Aspect.SIGNER,
        "The certificate chain does not end at a pinned root.",
    ),
    "SIG_CERT_NOT_FOR_SIGNING": (
        Aspect.SIGNER,
        "The signing certificate is not an end-entity certificate for digital signatures.",
    ),
    "SIG_CERT_NO_IDENTITY": (
        Aspect.SIGNER,
        "The signing certificate does not name a participant, a country and a role.",
    ),
    "SIG_SIGNER_NOT_LISTED": (
        Aspect.SIGNER,
        "The signing certificate is in no accepted trust list.",
    ),
    "SIG_COUNTRY_MISMATCH": (
        Aspect.SIGNER,
        "The signer is listed for another country than the document's issuing country.",
    ),
    "SIG_AGREEMENT_NOT_LISTED": (
        Aspect.SIGNER,
        "The signer's trust list does not name the document's agreement.",
    ),
    "SIG_ROLE_NOT_LISTED": (
        Aspect.SIGNER,
        "The signing certificate is not listed for the role this signature needs.",
    ),
    "SIG_AUTHORITY_MISMATCH": (
        Aspect.SIGNER,
        "The document names another issuing authority than the participant who signed it.",
    ),
    # time: was the certificate valid when it signed, and is the signing time plausible?
    "SIG_SIGNING_TIME_INVALID": (
        Aspect.TIME,
        "The JWS carries no readable signing time (sigT, ISO 8601 UTC).",
    ),
    "SIG_FUTURE_SIGNING_TIME": (
        Aspect.TIME,
        "The signing time is in the future beyond the allowed clock skew.",
    ),
    "SIG_CERT_NOT_YET_VALID": (
        Aspect.TIME,
        "A certificate of the chain was not yet valid at the signing time.",
    ),
    "SIG_CERT_EXPIRED": (
        Aspect.TIME,
        "A certificate of the chain had expired at the signing time.",
    ),
    # revocation: had the signer's trust list revoked the certificate when it signed?
    "SIG_REVOKED": (
        Aspect.REVOCATION,
        "The signing certificate was revoked at or before the signing time.",
    ),
}

#: Code → sentence for trust-list, key and certificate-authority refusals.
ADMIN_CODES: dict[str, str] = {
    "TRUSTLIST_MALFORMED": "The trust list is not a well-formed signed trust list.",
    "TRUSTLIST_CERT_MISMATCH": (
        "A listed certificate does not match its entry (fingerprint, validity, participant, "
        "country or role)."
    ),
    "TRUSTLIST_SIGNATURE_INVALID": "The trust list's signature does not verify.",
    "TRUSTLIST_FUTURE_SIGNING_TIME": (
        "The trust list was signed in the future beyond the allowed clock skew."
    ),
    "TRUSTLIST_UNTRUSTED_SIGNER": (
        "The trust list is signed by a key there is no reason to trust: not a pinned root, not "
        "the participant's own certificate under a pinned root (first list), and not listed in "
        "the participant's previous trust list."
    ),
    "TRUSTLIST_OLDER_SEQUENCE": (
        "The trust list's sequence number is lower than that of the list already accepted."
    ),
    "TRUSTLIST_SEQUENCE_CONFLICT": (
        "A different trust list with the same sequence number was already accepted."
    ),
    "TRUSTLIST_IDENTITY_CHANGED": "The trust list changes the participant's country.",
    "TRUSTLIST_NO_SIGNER": ("No available key may sign this participant's next trust list."),
    "KEY_CERT_MISMATCH": "The private key does not belong to the certificate.",
    "KEY_ALGORITHM_UNSUPPORTED": "Only EC P-256 (ES256) and Ed25519 (EdDSA) keys are supported.",
    "CA_CSR_INVALID": (
        "The certificate signing request is not signed by its key or does not name a "
        "participant, a country and a role."
    ),
    "CA_NOT_A_CA": "The certificate authority's certificate is not a CA certificate.",
    "SIGN_CERT_NOT_VALID": "The signing certificate is not valid at the signing time.",
    "SIGN_ROLE_MISMATCH": "The signing certificate does not have the role this signature needs.",
}


def sentence(code: str) -> str:
    """The stable sentence of ``code``."""
    if code in SIGNATURE_CODES:
        return SIGNATURE_CODES[code][1]
    return ADMIN_CODES[code]


def aspect_of(code: str) -> Aspect:
    """The verification aspect a ``SIG_*`` code belongs to."""
    return SIGNATURE_CODES[code][0]
