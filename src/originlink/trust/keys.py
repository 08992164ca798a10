"""Private keys: make them, write them (mode 0600, optionally encrypted), read them back.

Two algorithms only, the two JOSE names the verifier accepts: ``ES256`` (ECDSA on P-256 with
SHA-256, the default, what most HSMs and partner libraries support) and ``EdDSA`` (Ed25519).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, TypeAlias

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.types import (
    CertificateIssuerPrivateKeyTypes,
    CertificatePublicKeyTypes,
)

from originlink.domain.errors import InputError, TrustError
from originlink.trust.files import MAX_PEM_BYTES, read_limited, write_secret

Algorithm: TypeAlias = Literal["ES256", "EdDSA"]
PrivateKey: TypeAlias = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

#: The JWS algorithms OriginLink signs and verifies with, in preference order.
ALGORITHMS: tuple[Algorithm, ...] = ("ES256", "EdDSA")


def parse_algorithm(name: str) -> Algorithm:
    """``ES256`` or ``EdDSA`` from a user's spelling (``es256``, ``ed25519``, ``eddsa``)."""
    folded = name.strip().lower()
    if folded in ("es256", "p-256", "p256", "ec"):
        return "ES256"
    if folded in ("eddsa", "ed25519"):
        return "EdDSA"
    raise TrustError(
        f"unknown key algorithm {name!r}: use ES256 or EdDSA", code="KEY_ALGORITHM_UNSUPPORTED"
    )


def generate_private_key(algorithm: Algorithm = "ES256") -> PrivateKey:
    """A fresh key for ``algorithm``."""
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    return ed25519.Ed25519PrivateKey.generate()


def algorithm_for_public_key(key: CertificatePublicKeyTypes) -> Algorithm | None:
    """The JWS algorithm a public key signs with, or ``None`` for any other key type."""
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "EdDSA"
    return None


def algorithm_for_private_key(key: CertificateIssuerPrivateKeyTypes) -> Algorithm:
    """The JWS algorithm of a private key; any other key type is refused."""
    if isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        found = algorithm_for_public_key(key.public_key())
        if found is not None:
            return found
    raise TrustError(
        f"a {type(key).__name__} cannot be used: only EC P-256 and Ed25519 keys are supported",
        code="KEY_ALGORITHM_UNSUPPORTED",
    )


def private_key_pem(key: PrivateKey, passphrase: bytes | None = None) -> bytes:
    """PKCS#8 PEM, encrypted with the best available scheme when a passphrase is given."""
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def write_private_key(path: Path, key: PrivateKey, passphrase: bytes | None = None) -> None:
    """Write ``key`` to ``path`` with mode 0600, atomically."""
    write_secret(path, private_key_pem(key, passphrase))


def load_private_key(path: Path, passphrase: bytes | None = None) -> PrivateKey:
    """Read a PEM private key; a wrong or missing passphrase is a one-line input error."""
    data = read_limited(path, max_bytes=MAX_PEM_BYTES, what="private key")
    encrypted = b"ENCRYPTED" in data
    if encrypted and not passphrase:
        raise InputError(
            f"private key {path} is encrypted: give its passphrase "
            "(--passphrase-file or ORIGINLINK_KEY_PASSPHRASE)"
        )
    try:
        key = serialization.load_pem_private_key(data, password=passphrase if encrypted else None)
    except (ValueError, TypeError):
        if encrypted:
            raise InputError(f"private key {path}: wrong passphrase") from None
        raise InputError(f"{path} is not a PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise TrustError(
            f"{path} holds a {type(key).__name__}: only EC P-256 and Ed25519 keys are supported",
            code="KEY_ALGORITHM_UNSUPPORTED",
        )
    algorithm_for_private_key(key)  # refuses other curves than P-256
    return key
