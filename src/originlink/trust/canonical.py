"""The bytes that are signed: RFC 8785 (JSON Canonicalization Scheme) of JSON data.

A signature over the canonical form survives any re-serialisation of the transport form (key
order, whitespace, escapes), and anyone with a JCS implementation can recompute the same bytes.
The certificate of a CO is first turned into its JSON data by the dataset model
(:func:`~originlink.domain.dataset.certificate_json`: absent members omitted, decimals as strings),
so Python objects never leak into what is signed.

The canonicalisation itself (fast where RFC 8785 allows) is
:func:`originlink.domain.canonical.canonical_bytes`, re-exported here.
"""

from __future__ import annotations

from originlink.domain.canonical import canonical_bytes
from originlink.domain.dataset import Certificate, certificate_json, exporter_signed_view

__all__ = ["canonical_bytes", "certificate_canonical_bytes", "exporter_canonical_bytes"]


def certificate_canonical_bytes(certificate: Certificate) -> bytes:
    """What the issuing authority signs: the canonical form of the whole ``certificate``."""
    return canonical_bytes(certificate_json(certificate))


def exporter_canonical_bytes(certificate: Certificate) -> bytes:
    """What the exporter's declaration signature covers: the certificate without the
    issuer-owned and gateway-owned members (``dataset.md`` §1, Ownership)."""
    return canonical_bytes(exporter_signed_view(certificate_json(certificate)))
