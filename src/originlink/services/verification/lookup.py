"""The public ``/verify`` form: check a CO typed in by number, or a CO file someone uploads.

A person holding a paper CO types its issuing country, number and (when printed under the QR
code) its digest; a person holding an electronic CO uploads the file. Either way the answer
comes from what this node can vouch for: its own records for the COs it issued, and the trust
lists it accepted for everybody else's signatures. It never asks another node: a CO from
another country is answered with that country's issuing authorities as their trust lists
name them (contact details and public verification address), and an uploaded file's signature
is checked against the same trust lists, each finding shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from originlink.domain.errors import InputError
from originlink.domain.findings import Finding, Level
from originlink.domain.validation import ValidationContext
from originlink.formats import detect_format, read_document
from originlink.formats.judging import judge
from originlink.formats.reading import Integrity
from originlink.services.context import Node
from originlink.services.verification.issuers import IssuerContact, issuers_of
from originlink.services.verification.public import (
    PublicVerification,
    check_input,
    verification_path,
    verify_public,
)
from originlink.trust.digests import certificate_digest
from originlink.trust.document import verify_document
from originlink.trust.verification import DocumentVerification


@dataclass(frozen=True, slots=True)
class NumberLookup:
    """What the form answers for a typed number: this node's page when it issued the CO
    (``local_path``), else the issuing authorities of that country."""

    issuing_country: str
    number: str
    digest: str | None
    local_path: str | None
    issuers: tuple[IssuerContact, ...]


@dataclass(frozen=True, slots=True)
class FileCheck:
    """An uploaded CO checked: how it was read, what the dataset and the profile say, the
    document signature against the trust lists, and who issued it."""

    filename: str
    format: str
    number: str | None
    issuing_country: str | None
    findings: tuple[Finding, ...]
    signature: DocumentVerification | None
    integrity: Integrity | None
    issuers: tuple[IssuerContact, ...]
    record: PublicVerification | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def signature_ok(self) -> bool:
        return self.signature is not None and self.signature.ok

    @property
    def ok(self) -> bool:
        """Readable, no SEVERE finding and a valid signature by a listed issuing authority."""
        severe = any(f.level is Level.SEVERE for f in self.findings)
        return not severe and self.signature_ok


def look_up_number(
    node: Node, issuing_country: str, number: str, digest: str | None
) -> NumberLookup:
    """Check the typed reference (``InputError`` naming the field when malformed) and say where
    its answer is."""
    issuing_country = issuing_country.strip().upper()
    number = number.strip()
    digest = (digest or "").strip() or None
    check_input(issuing_country, number, digest)
    local = None
    if issuing_country == node.identity.country:
        path = verification_path(issuing_country, number)
        local = f"{path}?d={digest}" if digest else path
    return NumberLookup(issuing_country, number, digest, local, issuers_of(node, issuing_country))


def check_file(node: Node, data: bytes, filename: str) -> FileCheck:
    """Read ``data`` in whatever format it is in and check it; ``InputError`` when it is no CO
    at all (too large, not a format OriginLink reads, broken syntax)."""
    limit = node.settings.max_document_bytes
    if not data:
        raise InputError(f"{filename} is empty: choose the CO file to check", pointer="file")
    if len(data) > limit:
        raise InputError(
            f"{filename} has {len(data)} bytes; at most {limit} are read", pointer="file"
        )
    try:
        fmt = detect_format(data)
        reading = read_document(data, fmt, profiles=node.profiles)
    except InputError as exc:
        raise InputError(f"{filename}: {exc.detail}", pointer="file") from None
    context = ValidationContext(
        now=node.now(),
        clock_skew=node.settings.clock_skew,
        purpose="document",
        max_attachment_bytes=node.settings.max_attachment_bytes,
    )
    judgement = judge(reading, registry=node.profiles, context=context)
    findings = tuple(reading.locate(judgement.findings))
    cert_data = reading.document.get("certificate", {})
    number = cert_data.get("certificate_number") if isinstance(cert_data, dict) else None
    country = cert_data.get("issuing_country") if isinstance(cert_data, dict) else None
    number = number if isinstance(number, str) else None
    country = country if isinstance(country, str) else None
    signature = None
    notes: list[str] = []
    record = None
    model = reading.model
    if model is None:
        notes.append("the file does not hold a complete CO: its signature cannot be checked")
    elif model.signatures is None or model.signatures.issuing_authority is None:
        notes.append("the file carries no issuing authority's signature (signatures member)")
    elif node.trust is None:
        notes.append("this node holds no trust lists: no signature can be checked here")
    else:
        signature = verify_document(
            model, node.trust, now=node.now(), skew=node.settings.clock_skew
        )
    if model is not None and model.certificate.issuing_country == node.identity.country:
        cert = model.certificate
        if cert.certificate_number:
            record = verify_public(
                node, cert.issuing_country, cert.certificate_number, certificate_digest(cert)
            )
    return FileCheck(
        filename=filename,
        format=fmt,
        number=number,
        issuing_country=country,
        findings=findings,
        signature=signature,
        integrity=reading.integrity,
        issuers=issuers_of(node, country) if country else (),
        record=record,
        notes=tuple(notes),
    )
