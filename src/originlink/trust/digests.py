"""The digest of a CO: SHA-256 over the RFC 8785 canonical JSON of its ``certificate`` object,
written base64url without padding (43 characters), as in QR codes and verification URLs."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from originlink.domain.dataset import Certificate
from originlink.trust.canonical import canonical_bytes, certificate_canonical_bytes


def digest_bytes(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def json_digest(value: Any) -> str:
    return digest_bytes(canonical_bytes(value))


def certificate_digest(certificate: Certificate) -> str:
    return digest_bytes(certificate_canonical_bytes(certificate))
