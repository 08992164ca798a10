"""Detached compact JWS (RFC 7515, Appendix F) with the signer's X.509 chain in ``x5c``.

Format of every OriginLink signature (documents, trust lists, gateway messages)::

    BASE64URL(header) + ".." + BASE64URL(signature)

The payload segment is empty: the verifier recomputes the payload (RFC 8785 canonical bytes of
what is signed) and puts back ``BASE64URL(payload)``; the signing input is the standard
``BASE64URL(header) "." BASE64URL(payload)``, so any JOSE library verifies it once the payload is
re-attached. The protected header carries ``alg`` (``ES256`` or ``EdDSA``), ``kid`` (SHA-256 hex
of the leaf certificate), ``x5c`` (leaf first), ``typ`` (what kind of signature) and ``sigT``
(claimed signing time, ISO 8601 UTC, as in ETSI JAdES; not marked ``crit`` so that generic
libraries accept it).

Verification is deliberately strict before any key is touched: the header is parsed with
duplicate members refused, ``alg`` must be on the allow-list (``none``, ``HS*``, RSA ... are
refused, so an HMAC "keyed with the public key" never runs), ``crit`` and ``b64`` are refused,
and the key type of the leaf must match ``alg``. The signature check itself is joserfc's.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc import jws as joserfc_jws
from joserfc.errors import JoseError, UnsupportedAlgorithmError
from joserfc.jwa import JWSAlgModel
from joserfc.jwk import ECKey, OKPKey
from joserfc.registry import HeaderParameter
from joserfc.util import json_b64encode, urlsafe_b64decode, urlsafe_b64encode

from originlink.domain.errors import InputError, TrustError
from originlink.domain.safejson import loads_bounded
from originlink.trust.certificates import CertificateInfo, certificate_b64, certificate_from_b64
from originlink.trust.chain import MAX_CHAIN_LENGTH
from originlink.trust.keys import ALGORITHMS
from originlink.trust.signer import Signer

#: The algorithms a signature may use; everything else is refused.
ALLOWED_ALGORITHMS: frozenset[str] = frozenset(ALGORITHMS)
#: The header parameter carrying the signing time.
SIGNING_TIME_HEADER = "sigT"
_SIGNING_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
#: Header members the signer sets itself; ``extra_headers`` may not override them.
_RESERVED = frozenset({"alg", "kid", "x5c", "crit", "b64", "jku", "jwk", "x5u"})
#: Bound on a compact JWS (the signature block of a CO holds at most 64 KiB).
MAX_TOKEN_CHARS = 65536


class _Registry(joserfc_jws.JWSRegistry):
    """joserfc's registry restricted to the allow-list. RFC 9864 deprecates the polymorphic
    "EdDSA" name in favour of "Ed25519" and joserfc warns on each use; partners' libraries still
    speak "EdDSA", and OriginLink pins the curve itself (the key must be Ed25519), so the warning
    carries no information here."""

    def get_alg(self, name: str) -> JWSAlgModel:
        if name not in ALLOWED_ALGORITHMS:
            raise UnsupportedAlgorithmError(f"Algorithm of '{name}' is not allowed")
        return self.algorithms[name]


_REGISTRY = _Registry(
    header_registry={SIGNING_TIME_HEADER: HeaderParameter("Claimed signing time", "str")},
    algorithms=sorted(ALLOWED_ALGORITHMS),
    strict_check_header=False,
)
_REGISTRY.max_header_length = 32 * 1024  # x5c makes headers larger than joserfc's 512 bytes
_REGISTRY.max_payload_length = 64 * 1024 * 1024  # the payload is ours, bounded upstream


@dataclass(frozen=True, slots=True)
class VerifiedJws:
    """A JWS whose signature matched its payload (its chain is not yet trusted)."""

    header: Mapping[str, Any]
    chain: tuple[CertificateInfo, ...]

    @property
    def leaf(self) -> CertificateInfo:
        return self.chain[0]

    @property
    def certificates(self) -> tuple[x509.Certificate, ...]:
        return tuple(c.certificate for c in self.chain)


def format_signing_time(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("a signing time must be timezone-aware")
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


def parse_signing_time(header: Mapping[str, Any]) -> datetime:
    """The ``sigT`` of a header as an aware UTC datetime (``SIG_SIGNING_TIME_INVALID``)."""
    value = header.get(SIGNING_TIME_HEADER)
    if not isinstance(value, str):
        raise TrustError("the JWS has no sigT header", code="SIG_SIGNING_TIME_INVALID")
    try:
        if not _SIGNING_TIME.fullmatch(value):
            raise ValueError(value)
        return datetime.fromisoformat(value[:-1]).replace(tzinfo=UTC)
    except ValueError:
        raise TrustError(
            f"sigT {value[:40]!r} is not YYYY-MM-DDThh:mm:ssZ", code="SIG_SIGNING_TIME_INVALID"
        ) from None


def sign_detached(
    payload: bytes,
    signer: Signer,
    *,
    extra_headers: Mapping[str, Any],
    with_chain: bool = True,
) -> str:
    """A detached compact JWS over ``payload`` by ``signer``, carrying its chain and ``kid``
    (without ``with_chain``, ``kid`` alone: for a signature whose verifier finds the key in a
    trust list, see :func:`verify_detached_by_key`)."""
    clash = _RESERVED.intersection(extra_headers)
    if clash:
        raise ValueError(f"extra_headers may not set {sorted(clash)}")
    header = {
        "alg": signer.algorithm,
        "kid": signer.key_id,
        **({"x5c": [certificate_b64(c) for c in signer.chain]} if with_chain else {}),
        **extra_headers,
    }
    header_segment = json_b64encode(header)
    signing_input = header_segment + b"." + urlsafe_b64encode(payload)
    signature = urlsafe_b64encode(signer.sign(signing_input))
    return (header_segment + b".." + signature).decode("ascii")


def read_header(token: str) -> dict[str, Any]:
    """The protected header of a detached compact JWS, parsed strictly (``SIG_MALFORMED``,
    ``SIG_PAYLOAD_NOT_DETACHED``)."""
    if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or not token.isascii():
        raise TrustError("the signature is not a compact JWS of bounded size", code="SIG_MALFORMED")
    parts = token.split(".")
    if len(parts) != 3 or not parts[0]:
        raise TrustError("a compact JWS has three dot-separated parts", code="SIG_MALFORMED")
    if parts[1]:
        raise TrustError(
            "the JWS embeds a payload; the signed content must be detached",
            code="SIG_PAYLOAD_NOT_DETACHED",
        )
    try:
        header = loads_bounded(urlsafe_b64decode(parts[0].encode("ascii")), what="JWS header")
    except (binascii.Error, ValueError, InputError) as exc:
        raise TrustError(f"the JWS header is unreadable: {exc}", code="SIG_MALFORMED") from None
    if not isinstance(header, dict):
        raise TrustError("the JWS header is not a JSON object", code="SIG_MALFORMED")
    return header


def verify_detached(token: str, payload: bytes, *, expected_type: str | None = None) -> VerifiedJws:
    """Check ``token`` over ``payload``: the header, the allow-listed algorithm, the key type and
    the signature. Returns the header and the parsed chain; trusting the chain is the caller's
    job (:class:`~originlink.trust.trustlist.TrustStore`). Raises :class:`TrustError`."""
    header = _checked_header(read_header(token), expected_type)
    chain = chain_of_header(header)
    _check_signature(token, payload, header, chain[0])
    return VerifiedJws(MappingProxyType(header), chain)


def verify_detached_by_key(
    token: str, payload: bytes, leaf: CertificateInfo, *, expected_type: str
) -> None:
    """Check a detached JWS that names its key by ``kid`` alone (no ``x5c``) against ``leaf``,
    the certificate the caller found for that ``kid`` (:func:`read_header`) where it trusts
    it. Raises :class:`TrustError` as :func:`verify_detached` does."""
    header = _checked_header(read_header(token), expected_type)
    _check_signature(token, payload, header, leaf)


def _checked_header(header: dict[str, Any], expected_type: str | None) -> dict[str, Any]:
    alg = header.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise TrustError(
            f"alg {str(alg)[:20]!r} is refused; only ES256 and EdDSA are accepted",
            code="SIG_ALG_REFUSED",
        )
    for forbidden in ("crit", "b64"):
        if forbidden in header:
            raise TrustError(f"the JWS header may not carry {forbidden!r}", code="SIG_MALFORMED")
    if expected_type is not None and header.get("typ") != expected_type:
        raise TrustError(
            f"typ is {header.get('typ')!r}, expected {expected_type!r}", code="SIG_TYPE_MISMATCH"
        )
    return header


def _check_signature(
    token: str, payload: bytes, header: Mapping[str, Any], leaf: CertificateInfo
) -> None:
    alg = str(header.get("alg"))
    if leaf.algorithm != alg:
        raise TrustError(
            f"the certificate's key is for {leaf.algorithm or 'no accepted algorithm'}, not {alg}",
            code="SIG_KEY_ALG_MISMATCH",
        )
    if header.get("kid") != leaf.sha256:
        raise TrustError(
            f"kid {str(header.get('kid'))[:70]!r} is not the leaf's SHA-256 {leaf.sha256}",
            code="SIG_KID_MISMATCH",
        )
    try:
        parsed = joserfc_jws.extract_compact(token.encode("ascii"), payload, _REGISTRY)
        key = _public_jwk(leaf.der, alg)
        valid = joserfc_jws.validate_compact(parsed, key, registry=_REGISTRY)
    except JoseError as exc:
        raise TrustError(f"the JWS is not valid: {exc}", code="SIG_MALFORMED") from None
    if not valid:
        raise TrustError(
            f"the canonical content ({len(payload)} bytes, SHA-256 "
            f"{hashlib.sha256(payload).hexdigest()[:16]}…) is not what {leaf.sha256[:16]}… signed",
            code="SIG_INTEGRITY",
        )


def chain_of_header(header: Mapping[str, Any]) -> tuple[CertificateInfo, ...]:
    x5c = header.get("x5c")
    if x5c is None:
        raise TrustError("the JWS header has no x5c", code="SIG_CHAIN_MISSING")
    if (
        not isinstance(x5c, list)
        or not x5c
        or len(x5c) > MAX_CHAIN_LENGTH
        or not all(isinstance(entry, str) for entry in x5c)
    ):
        raise TrustError(
            f"x5c must be a list of 1 to {MAX_CHAIN_LENGTH} base64 certificates",
            code="SIG_CHAIN_MALFORMED",
        )
    return tuple(certificate_from_b64(entry) for entry in x5c)


@lru_cache(maxsize=1024)
def _public_jwk(der: bytes, algorithm: str) -> ECKey | OKPKey:
    """The joserfc key of a certificate (cached: importing a key costs as much as verifying)."""
    pem = (
        x509.load_der_x509_certificate(der)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return ECKey.import_key(pem) if algorithm == "ES256" else OKPKey.import_key(pem)


def b64url_payload(payload: bytes) -> str:
    """``BASE64URL(payload)``: what a third party puts between the two dots to verify."""
    return base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")
