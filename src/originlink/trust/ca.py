"""A small certificate authority for a test or pilot network.

Production networks use their own PKI; a pilot needs partners' certificates to chain to one
root quickly. The CA folder (``<home>/ca`` by default) holds::

    ca.key.pem           the root's private key (mode 0600, optionally encrypted)
    ca.cert.pem          the self-signed root certificate (pin it on every node)
    issued/<serial>.pem  every certificate issued, for the record

The CA issues from a certificate signing request: it checks the request's own signature and
re-reads the participant id, country and role from the request's subject; the key never leaves
the participant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509

from originlink.domain.errors import Conflict, InputError, TrustError
from originlink.trust.certificates import (
    build_leaf,
    build_root,
    certificates_pem,
    identity_from_name,
    info,
    load_pem_certificates,
)
from originlink.trust.files import MAX_PEM_BYTES, ensure_dir, read_limited, write_atomic
from originlink.trust.keys import (
    Algorithm,
    PrivateKey,
    algorithm_for_public_key,
    generate_private_key,
    load_private_key,
    write_private_key,
)
from originlink.trust.signer import KeySigner

#: Default validity of a root and of a participant's certificate.
ROOT_VALIDITY = timedelta(days=3650)
LEAF_VALIDITY = timedelta(days=730)
#: Certificates start a little in the past so a partner whose clock is behind accepts them.
BACKDATE = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class CertificateAuthority:
    key: PrivateKey
    certificate: x509.Certificate
    directory: Path | None = None

    @property
    def signer(self) -> KeySigner:
        """The root as a signer (to sign a participant's first trust list, for instance)."""
        return KeySigner(self.key, (self.certificate,))

    @classmethod
    def create(
        cls,
        *,
        name: str,
        now: datetime,
        algorithm: Algorithm = "ES256",
        validity: timedelta = ROOT_VALIDITY,
    ) -> CertificateAuthority:
        key = generate_private_key(algorithm)
        root = build_root(key, name=name, not_before=now - BACKDATE, not_after=now + validity)
        return cls(key, root)

    def save(self, directory: Path, passphrase: bytes | None = None) -> CertificateAuthority:
        """Write a new CA to ``directory``; refuses to overwrite an existing one."""
        if (directory / "ca.key.pem").exists() or (directory / "ca.cert.pem").exists():
            raise Conflict(f"a certificate authority already exists in {directory}")
        ensure_dir(directory, private=True)
        write_private_key(directory / "ca.key.pem", self.key, passphrase)
        write_atomic(directory / "ca.cert.pem", certificates_pem([self.certificate]))
        return CertificateAuthority(self.key, self.certificate, directory)

    @classmethod
    def load(cls, directory: Path, passphrase: bytes | None = None) -> CertificateAuthority:
        if not (directory / "ca.key.pem").is_file():
            raise InputError(f"no certificate authority in {directory} (run: originlink ca init)")
        key = load_private_key(directory / "ca.key.pem", passphrase)
        data = read_limited(
            directory / "ca.cert.pem", max_bytes=MAX_PEM_BYTES, what="CA certificate"
        )
        certificate = load_pem_certificates(data, what=str(directory / "ca.cert.pem"))[0]
        if not info(certificate).is_ca:
            raise TrustError(f"{directory / 'ca.cert.pem'} is not a CA", code="CA_NOT_A_CA")
        KeySigner(key, (certificate,))  # the key must belong to the certificate
        return cls(key, certificate, directory)

    def issue(
        self,
        csr: x509.CertificateSigningRequest,
        *,
        now: datetime,
        validity: timedelta = LEAF_VALIDITY,
    ) -> x509.Certificate:
        """Certify the key of ``csr`` for the identity its subject names."""
        if not csr.is_signature_valid:
            raise TrustError("the request is not signed by its own key", code="CA_CSR_INVALID")
        identity = identity_from_name(csr.subject)
        if identity is None:
            raise TrustError(
                f"the request's subject {csr.subject.rfc4514_string()!r} does not name a "
                "participant (CN), a country (C) and a role (OU)",
                code="CA_CSR_INVALID",
            )
        public_key = csr.public_key()
        if algorithm_for_public_key(public_key) is None:
            raise TrustError(
                "only EC P-256 and Ed25519 keys are certified", code="KEY_ALGORITHM_UNSUPPORTED"
            )
        not_after = min(now + validity, self.certificate.not_valid_after_utc)
        cert = build_leaf(
            public_key,
            identity,
            issuer=self.certificate,
            issuer_key=self.key,
            not_before=now - BACKDATE,
            not_after=not_after,
        )
        if self.directory is not None:
            issued = ensure_dir(self.directory / "issued")
            write_atomic(issued / f"{cert.serial_number:x}.pem", certificates_pem([cert]))
        return cert


def load_csr(path: Path) -> x509.CertificateSigningRequest:
    data = read_limited(path, max_bytes=MAX_PEM_BYTES, what="certificate signing request")
    try:
        return x509.load_pem_x509_csr(data)
    except ValueError:
        raise InputError(f"{path} is not a PEM certificate signing request") from None
