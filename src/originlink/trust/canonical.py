"""The bytes that are signed: RFC 8785 (JSON Canonicalization Scheme) of JSON data.

A signature over the canonical form survives any re-serialisation of the transport form (key
order, whitespace, escapes), and anyone with a JCS implementation can recompute the same bytes.
The certificate of a CO is first turned into its JSON data by the dataset model
(:func:`~originlink.domain.dataset.certificate_json`: absent members omitted, decimals as strings),
so Python objects never leak into what is signed.
"""

from __future__ import annotations

from typing import Any

import rfc8785

from originlink.domain.dataset import Certificate, certificate_json, exporter_signed_view
from originlink.domain.errors import TrustError


def canonical_bytes(obj: Any) -> bytes:
    """RFC 8785 canonical UTF-8 bytes of JSON data (dicts, lists, str, int, float, bool, None)."""
    try:
        return rfc8785.dumps(obj)
    except rfc8785.CanonicalizationError as exc:
        raise TrustError(
            f"the content has no RFC 8785 canonical form: {exc}", code="SIG_CANONICAL_FAILED"
        ) from None


def certificate_canonical_bytes(certificate: Certificate) -> bytes:
    """What the issuing authority signs: the canonical form of the whole ``certificate``."""
    return canonical_bytes(certificate_json(certificate))


def exporter_canonical_bytes(certificate: Certificate) -> bytes:
    """What the exporter's declaration signature covers: the certificate without the
    issuer-owned and gateway-owned members (``dataset.md`` §1, Ownership)."""
    return canonical_bytes(exporter_signed_view(certificate_json(certificate)))
