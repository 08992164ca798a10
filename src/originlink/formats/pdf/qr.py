"""The QR code printed on a certificate: the public verification URL with the CO digest.

Whoever holds the paper (a bank, an importer, an officer at the border) scans it and lands on
the issuing authority's verification page, which compares the digest with the CO it issued:
the QR proves which document the paper is a print of, the page tells its current status.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import segno

#: Query parameter carrying the CO digest (base64url SHA-256 of the RFC 8785 certificate).
DIGEST_PARAMETER = "d"


def verification_payload(verification_url: str, digest: str) -> str:
    """``verification_url`` with ``?d=<digest>`` (replacing a ``d`` it may already carry)."""
    parts = urlsplit(verification_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "d"]
    query.append((DIGEST_PARAMETER, digest))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def verification_url_for(base_url: str, issuing_country: str, number: str) -> str:
    """The public verification address of a CO on the node at ``base_url`` (the same shape
    issuance writes into ``declarations.certification.verification_url``)."""
    return f"{base_url.rstrip('/')}/verify/{issuing_country}/{number}"


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """The payload as a PNG QR code, error correction level M, with the standard quiet zone
    of four modules so that phone cameras find it on a busy form."""
    code = segno.make_qr(payload, error="m", boost_error=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
