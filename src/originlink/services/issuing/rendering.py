"""Rendering a CO as the printed certificate (PDF), for the back office and the command line.

The QR code holds the CO's public verification URL (the one issuance wrote into the CO, else
the node's public base URL) with the CO digest, so that the paper leads back to the issuing
authority's verification page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from originlink.domain.authz import Actor
from originlink.domain.dataset import CODocument
from originlink.domain.profiles import ProfileRegistry
from originlink.formats.pdf import (
    Progress,
    RenderedPdf,
    render_certificate,
    verification_url_for,
)
from originlink.services.context import Node
from originlink.services.issuing.certificates import effective_status, get_record
from originlink.trust.digests import certificate_digest


@dataclass(frozen=True, slots=True)
class CertificatePdf:
    filename: str
    pdf: RenderedPdf


def _filename(number: str | None) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in number or "certificate")
    return f"{safe}.pdf"


def document_verification_url(doc: CODocument, public_base_url: str | None) -> str | None:
    """The URL printed on the CO: the one it carries, else one built from the base URL."""
    cert = doc.certificate
    certification = cert.declarations.certification if cert.declarations else None
    if certification is not None and certification.verification_url:
        return certification.verification_url
    if public_base_url and cert.certificate_number:
        return verification_url_for(public_base_url, cert.issuing_country, cert.certificate_number)
    return None


def render_document_pdf(
    doc: CODocument,
    *,
    profiles: ProfileRegistry,
    public_base_url: str | None = None,
    status: str | None = None,
    fallback_fonts: Sequence[Path] = (),
    now: datetime | None = None,
    allow_missing_glyphs: bool = False,
    on_progress: Progress | None = None,
) -> CertificatePdf:
    """Render a CO document held in hand (e.g. a file). A character no font has is
    :class:`~originlink.formats.pdf.MissingGlyphs` unless ``allow_missing_glyphs``;
    ``on_progress`` is told of each item placed."""
    code = doc.certificate.agreement_code
    rendered = render_certificate(
        doc,
        profile=profiles.get(code) if code else None,
        status=status,
        verification_url=document_verification_url(doc, public_base_url),
        digest=certificate_digest(doc.certificate),
        fallback_fonts=tuple(fallback_fonts),
        created_at=now,
        allow_missing_glyphs=allow_missing_glyphs,
        on_progress=on_progress,
    )
    return CertificatePdf(_filename(doc.certificate.certificate_number), rendered)


def certificate_pdf(
    node: Node,
    actor: Actor,
    certificate_id: str,
    *,
    fallback_fonts: Sequence[Path] = (),
    allow_missing_glyphs: bool = False,
) -> CertificatePdf:
    """The PDF of a stored CO, for whoever may read it; the watermark shows its effective
    status (an ISSUED CO past its validity prints as EXPIRED)."""
    record = get_record(node, actor, certificate_id)
    now = node.now()
    return render_document_pdf(
        record.document(),
        profiles=node.profiles,
        public_base_url=node.identity.public_base_url,
        status=effective_status(record, now.date()),
        fallback_fonts=fallback_fonts,
        now=now,
        allow_missing_glyphs=allow_missing_glyphs,
    )
