"""The digest of a CO: SHA-256 over the RFC 8785 canonical JSON of its ``certificate`` object,
written base64url without padding (43 characters), as in QR codes and verification URLs."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import rfc8785

from originlink.domain.dataset import Certificate, certificate_json


def digest_bytes(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def json_digest(value: Any) -> str:
    return digest_bytes(rfc8785.dumps(value))


def certificate_digest(certificate: Certificate) -> str:
    return json_digest(certificate_json(certificate))
