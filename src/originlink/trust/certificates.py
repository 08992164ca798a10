"""X.509 certificates of OriginLink participants and of a pilot network's root.

A participant's certificate names who it is in its subject, so a verifier can match it to a
trust list without any other look-up: ``CN`` = participant id, ``C`` = country, ``OU`` = role,
``O`` = the participant's name (optional). Extensions follow RFC 5280: basicConstraints
(critical), keyUsage (critical: digitalSignature and nonRepudiation for a signer, keyCertSign
and cRLSign for a CA), subjectKeyIdentifier and authorityKeyIdentifier.

Parsing is cached by the DER bytes: a receiving gateway sees the same few partner certificates
on every CO, and parsing one costs more than checking a signature.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import NameOID

from originlink.domain.errors import InputError, TrustError
from originlink.trust.keys import Algorithm, PrivateKey, algorithm_for_public_key


class Role(StrEnum):
    """What a participant's key is for. ``exporter`` certificates sign only the exporter's
    declaration and are never listed in a trust list."""

    ISSUING_AUTHORITY = "issuing-authority"
    CUSTOMS = "customs"
    GATEWAY = "gateway"
    EXPORTER = "exporter"


#: Roles a trust list may list (participants of the network).
LISTED_ROLES: frozenset[Role] = frozenset({Role.ISSUING_AUTHORITY, Role.CUSTOMS, Role.GATEWAY})

#: A participant id: also a file name, so no slash, no leading dot, bounded.
PARTICIPANT_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
_PARTICIPANT_ID = re.compile(PARTICIPANT_ID_PATTERN)
_COUNTRY = re.compile(r"[A-Z]{2}")


def check_participant_id(value: str) -> str:
    if not _PARTICIPANT_ID.fullmatch(value):
        raise InputError(
            f"{value!r} is not a participant id (1-64 letters, digits, '.', '_', '-'; "
            "starting with a letter or digit)"
        )
    return value


def check_country(value: str) -> str:
    if not _COUNTRY.fullmatch(value):
        raise InputError(f"{value!r} is not an ISO 3166-1 alpha-2 country code such as SG")
    return value


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InputError(f"{value!r} is not a role; use one of {allowed}") from None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who a participant certificate belongs to."""

    participant_id: str
    country: str
    role: Role
    name: str | None = None

    def subject(self) -> x509.Name:
        attributes = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, self.country),
            *([x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.name)] if self.name else []),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, self.role.value),
            x509.NameAttribute(NameOID.COMMON_NAME, self.participant_id),
        ]
        return x509.Name(attributes)


def _single(name: x509.Name, oid: x509.ObjectIdentifier) -> str | None:
    values = name.get_attributes_for_oid(oid)
    if len(values) != 1 or not isinstance(values[0].value, str):
        return None
    return values[0].value


def identity_from_name(name: x509.Name) -> Identity | None:
    """The identity a subject names, or ``None`` when it names none (e.g. a root CA)."""
    participant = _single(name, NameOID.COMMON_NAME)
    country = _single(name, NameOID.COUNTRY_NAME)
    role = _single(name, NameOID.ORGANIZATIONAL_UNIT_NAME)
    if participant is None or country is None or role is None:
        return None
    if not _PARTICIPANT_ID.fullmatch(participant) or not _COUNTRY.fullmatch(country):
        return None
    if role not in {r.value for r in Role}:
        return None
    return Identity(participant, country, Role(role), _single(name, NameOID.ORGANIZATION_NAME))


@dataclass(frozen=True, slots=True, eq=False)
class CertificateInfo:
    """A parsed certificate and the facts every verification asks of it."""

    certificate: x509.Certificate
    der: bytes
    sha256: str
    identity: Identity | None
    algorithm: Algorithm | None
    not_before: datetime
    not_after: datetime
    is_ca: bool
    path_length: int | None
    can_sign: bool
    can_sign_certificates: bool

    def valid_at(self, moment: datetime) -> bool:
        return self.not_before <= moment <= self.not_after


def _ext(cert: x509.Certificate, kind: type[x509.ExtensionType]) -> x509.ExtensionType | None:
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


@lru_cache(maxsize=2048)
def info_from_der(der: bytes) -> CertificateInfo:
    """Parse and describe a DER certificate (cached; raises ``SIG_CHAIN_MALFORMED``)."""
    try:
        cert = x509.load_der_x509_certificate(der)
        constraints = _ext(cert, x509.BasicConstraints)
        usage = _ext(cert, x509.KeyUsage)
    except ValueError as exc:
        raise TrustError(
            f"not a DER X.509 certificate: {exc}", code="SIG_CHAIN_MALFORMED"
        ) from None
    is_ca = isinstance(constraints, x509.BasicConstraints) and constraints.ca
    key_usage = usage if isinstance(usage, x509.KeyUsage) else None
    return CertificateInfo(
        certificate=cert,
        der=der,
        sha256=hashlib.sha256(der).hexdigest(),
        identity=None if is_ca else identity_from_name(cert.subject),
        algorithm=algorithm_for_public_key(cert.public_key()),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        is_ca=is_ca,
        path_length=constraints.path_length
        if isinstance(constraints, x509.BasicConstraints)
        else None,
        can_sign=key_usage is None or key_usage.digital_signature,
        can_sign_certificates=key_usage is None or key_usage.key_cert_sign,
    )


@lru_cache(maxsize=2048)
def info(cert: x509.Certificate) -> CertificateInfo:
    """The facts of ``cert`` (cached by the certificate, which hashes by its DER)."""
    return info_from_der(cert.public_bytes(serialization.Encoding.DER))


def fingerprint(cert: x509.Certificate) -> str:
    """Lower-case hex SHA-256 of the DER certificate: the key id everywhere in OriginLink."""
    return info(cert).sha256


@lru_cache(maxsize=256)
def certificate_b64(cert: x509.Certificate) -> str:
    """Standard base64 of the DER, as in a JWS ``x5c`` entry (RFC 7515 §4.1.6)."""
    return base64.b64encode(info(cert).der).decode("ascii")


def certificate_from_b64(value: str) -> CertificateInfo:
    try:
        der = base64.b64decode(value, validate=True)
    except ValueError:
        raise TrustError("a certificate is not valid base64", code="SIG_CHAIN_MALFORMED") from None
    return info_from_der(der)


def certificates_pem(certs: Iterable[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def load_pem_certificates(data: bytes, *, what: str = "certificate file") -> list[x509.Certificate]:
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError:
        raise InputError(f"{what} holds no readable PEM certificate") from None
    return certs


def _key_identifier(key: CertificatePublicKeyTypes) -> x509.SubjectKeyIdentifier:
    return x509.SubjectKeyIdentifier.from_public_key(key)


def _hash_for(key: PrivateKey) -> hashes.SHA256 | None:
    return None if algorithm_for_public_key(key.public_key()) == "EdDSA" else hashes.SHA256()


def build_root(
    key: PrivateKey, *, name: str, not_before: datetime, not_after: datetime
) -> x509.Certificate:
    """A self-signed root for a test or pilot network: CA, no intermediate below it."""
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(_key_identifier(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, _hash_for(key))
    )


def build_leaf(
    public_key: CertificatePublicKeyTypes,
    identity: Identity,
    *,
    issuer: x509.Certificate,
    issuer_key: PrivateKey,
    not_before: datetime,
    not_after: datetime,
) -> x509.Certificate:
    """A participant's signing certificate, issued by ``issuer``."""
    if algorithm_for_public_key(public_key) is None:
        raise TrustError(
            "only EC P-256 and Ed25519 keys can be certified", code="KEY_ALGORITHM_UNSUPPORTED"
        )
    issuer_ski = _ext(issuer, x509.SubjectKeyIdentifier)
    aki = (
        x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(issuer_ski)
        if isinstance(issuer_ski, x509.SubjectKeyIdentifier)
        else x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())
    )
    return (
        x509.CertificateBuilder()
        .subject_name(identity.subject())
        .issuer_name(issuer.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(_key_identifier(public_key), critical=False)
        .add_extension(aki, critical=False)
        .sign(issuer_key, _hash_for(issuer_key))
    )


def build_csr(key: PrivateKey, identity: Identity) -> x509.CertificateSigningRequest:
    """A request a participant sends to the network's CA; the CA re-reads the identity."""
    return (
        x509.CertificateSigningRequestBuilder()
        .subject_name(identity.subject())
        .sign(key, _hash_for(key))
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def describe(cert: x509.Certificate) -> str:
    """One line for humans: subject, fingerprint prefix and validity."""
    facts = info(cert)
    return (
        f"{cert.subject.rfc4514_string()} sha256:{facts.sha256[:16]}… "
        f"valid {facts.not_before:%Y-%m-%d} to {facts.not_after:%Y-%m-%d}"
    )


def chain_infos(chain: Sequence[x509.Certificate]) -> tuple[CertificateInfo, ...]:
    return tuple(info(c) for c in chain)
