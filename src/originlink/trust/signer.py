"""Who signs: a small interface, so a key in a file today can be a key in an HSM tomorrow.

Everything that signs (documents, trust lists, gateway messages) asks a :class:`Signer` for the
raw JWS signature over the JWS signing input and never touches the private key. A PKCS#11 signer
only has to implement the same four members.

Key folder layout (``<home>/keys``), one participant per prefix::

    <participant>.key.pem     private key, PKCS#8 PEM, mode 0600, optionally encrypted
    <participant>.csr.pem     the request sent to the network's CA
    <participant>.cert.pem    the participant's certificate (leaf)
    <participant>.chain.pem   the issuers above it, nearest first, root last
    previous/<participant>.<fp>.*.pem
                              an earlier key, kept after ``keys init --rotate`` (``fp`` = the
                              first 16 hex digits of its certificate's SHA-256)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from joserfc.jwk import ECKey, OKPKey
from joserfc.jws import JWSRegistry

from originlink.domain.errors import InputError, TrustError
from originlink.trust.certificates import (
    check_participant_id,
    fingerprint,
    load_pem_certificates,
)
from originlink.trust.files import MAX_PEM_BYTES, read_limited
from originlink.trust.keys import Algorithm, PrivateKey, algorithm_for_private_key, load_private_key

#: Sub-folder of the key folder holding earlier keys after a rotation.
PREVIOUS_DIR = "previous"
_ARCHIVE = re.compile(r"[0-9a-f]{16}")


class Signer(Protocol):
    """Produces raw JWS signatures with one key whose certificate chain it knows."""

    @property
    def key_id(self) -> str:
        """The JWS ``kid``: the SHA-256 fingerprint (hex) of the leaf certificate."""
        ...

    @property
    def algorithm(self) -> str:
        """``ES256`` or ``EdDSA``."""
        ...

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """The certificate chain, leaf first (goes into ``x5c``)."""
        ...

    def sign(self, data: bytes) -> bytes:
        """The raw JWS signature (RFC 7518 §3.4 ``r||s`` for ES256) over ``data``."""
        ...


class KeySigner:
    """A :class:`Signer` holding its private key in memory (read from a file, or fresh in tests).

    The signature itself is computed by joserfc's algorithm implementation, which produces the
    JWS encoding (fixed-length ``r||s`` for ECDSA) from ``cryptography``.
    """

    def __init__(self, key: PrivateKey, chain: tuple[x509.Certificate, ...]) -> None:
        if not chain:
            raise InputError("a signer needs at least its own certificate")
        algorithm = algorithm_for_private_key(key)
        leaf_public = (
            chain[0]
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        own_public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        if leaf_public != own_public:
            raise TrustError(
                "the private key does not belong to the certificate "
                f"sha256:{fingerprint(chain[0])[:16]}…",
                code="KEY_CERT_MISMATCH",
            )
        self._key = key
        self._algorithm: Algorithm = algorithm
        self._chain = chain
        self._key_id = fingerprint(chain[0])
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._jwk: ECKey | OKPKey = (
            ECKey.import_key(pem) if algorithm == "ES256" else OKPKey.import_key(pem)
        )
        self._jws_algorithm = JWSRegistry.algorithms[algorithm]

    @property
    def key_id(self) -> str:
        return self._key_id

    @property
    def algorithm(self) -> str:
        return self._algorithm

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        return self._chain

    @property
    def private_key(self) -> PrivateKey:
        """For the benchmark's raw baseline and for issuing certificates with a CA key."""
        return self._key

    def sign(self, data: bytes) -> bytes:
        return self._jws_algorithm.sign(data, self._jwk)


def load_signer(
    key_path: Path,
    cert_path: Path,
    chain_path: Path | None = None,
    passphrase: bytes | str | None = None,
) -> Signer:
    """A signer from PEM files: the key, its certificate, and optionally the issuers above it."""
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    key = load_private_key(key_path, secret)
    leaf = load_pem_certificates(
        read_limited(cert_path, max_bytes=MAX_PEM_BYTES, what="certificate"),
        what=str(cert_path),
    )
    issuers: list[x509.Certificate] = []
    if chain_path is not None:
        issuers = load_pem_certificates(
            read_limited(chain_path, max_bytes=MAX_PEM_BYTES, what="certificate chain"),
            what=str(chain_path),
        )
    return KeySigner(key, (leaf[0], *issuers))


def load_mounted_signer(
    key_path: Path, cert_path: Path, passphrase: bytes | str | None = None
) -> Signer:
    """A signer from files an orchestrator mounted (Kubernetes or Docker secrets): the key,
    and one PEM file with the certificate followed by the issuers above it."""
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    key = load_private_key(key_path, secret)
    chain = load_pem_certificates(
        read_limited(cert_path, max_bytes=MAX_PEM_BYTES, what="certificate"),
        what=str(cert_path),
    )
    return KeySigner(key, tuple(chain))


@dataclass(frozen=True, slots=True)
class KeyFiles:
    """Where one participant's key material lives in a key folder."""

    key: Path
    csr: Path
    cert: Path
    chain: Path

    @classmethod
    def of(cls, keys_dir: Path, participant_id: str, archive: str | None = None) -> KeyFiles:
        """The current files, or with ``archive`` (a fingerprint prefix) an earlier key's."""
        stem = check_participant_id(participant_id)
        if archive:
            keys_dir = keys_dir / PREVIOUS_DIR
            stem = f"{stem}.{archive}"
        return cls(
            key=keys_dir / f"{stem}.key.pem",
            csr=keys_dir / f"{stem}.csr.pem",
            cert=keys_dir / f"{stem}.cert.pem",
            chain=keys_dir / f"{stem}.chain.pem",
        )

    def paths(self) -> tuple[Path, ...]:
        return (self.key, self.csr, self.cert, self.chain)


def load_participant_signer(
    keys_dir: Path, participant_id: str, passphrase: bytes | str | None = None
) -> Signer:
    """The current signer of ``participant_id`` from a key folder (layout above)."""
    files = KeyFiles.of(keys_dir, participant_id)
    if not files.key.is_file():
        raise InputError(
            f"no key for participant {participant_id!r} in {keys_dir} "
            "(make one with: originlink keys init)"
        )
    if not files.cert.is_file():
        raise InputError(
            f"participant {participant_id!r} has a key but no certificate yet: "
            f"have the CA issue one for {files.csr} (originlink ca issue)"
        )
    return load_signer(
        files.key, files.cert, files.chain if files.chain.is_file() else None, passphrase
    )


def archived_signers(
    keys_dir: Path, participant_id: str, passphrase: bytes | str | None = None
) -> list[Signer]:
    """Earlier keys of ``participant_id`` kept after a rotation, newest file first."""
    stem = check_participant_id(participant_id)
    found: list[Signer] = []
    candidates = sorted(
        (keys_dir / PREVIOUS_DIR).glob(f"{stem}.*.key.pem"),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for key_path in candidates:
        prefix, _, archive = key_path.name[: -len(".key.pem")].rpartition(".")
        if prefix != stem or not _ARCHIVE.fullmatch(archive):
            continue
        files = KeyFiles.of(keys_dir, participant_id, archive)
        if files.cert.is_file():
            chain = files.chain if files.chain.is_file() else None
            found.append(load_signer(files.key, files.cert, chain, passphrase))
    return found
