"""Certificate chain validation against pinned roots, each link checked explicitly.

``cryptography.x509.verification`` implements the Web PKI profile (server/client EKUs, no
Ed25519), which is not the profile of a customs network, so each link is checked here with the
library's primitives: the issuer's signature over the child (``verify_directly_issued_by``, which
also compares the names), the issuer's CA flag, keyCertSign usage and path length, and an anchor
among the pinned roots (by fingerprint, or as the issuer of the last certificate given).

The structural result does not depend on time, so it is cached by the chain's fingerprints;
validity at the signing time is checked on every call by :func:`check_validity` (cheap).
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature

from originlink.domain.errors import TrustError
from originlink.trust.certificates import CertificateInfo, info

#: The longest chain accepted (leaf, intermediates, root).
MAX_CHAIN_LENGTH = 5


class ChainValidator:
    """Validates chains against a fixed set of pinned roots; thread-safe, cached."""

    def __init__(self, roots: Iterable[x509.Certificate], *, cache_size: int = 1024) -> None:
        self._roots: dict[str, CertificateInfo] = {}
        for root in roots:
            facts = info(root)
            self._roots[facts.sha256] = facts
        self._cache: OrderedDict[tuple[str, ...], tuple[CertificateInfo, ...] | TrustError] = (
            OrderedDict()
        )
        self._cache_size = cache_size
        self._lock = threading.Lock()

    @property
    def roots(self) -> tuple[x509.Certificate, ...]:
        return tuple(r.certificate for r in self._roots.values())

    def is_root(self, cert: CertificateInfo) -> bool:
        return cert.sha256 in self._roots

    def path(self, chain: Sequence[CertificateInfo]) -> tuple[CertificateInfo, ...]:
        """The path from the leaf (``chain[0]``) to a pinned root, root included; raises a
        :class:`TrustError` (``SIG_CHAIN_*``) when there is none."""
        key = tuple(c.sha256 for c in chain)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
        if cached is None:
            try:
                cached = self._build(chain)
            except TrustError as exc:
                cached = exc
            with self._lock:
                self._cache[key] = cached
                if len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        if isinstance(cached, TrustError):
            raise TrustError(cached.detail, code=cached.code)
        return cached

    def _build(self, chain: Sequence[CertificateInfo]) -> tuple[CertificateInfo, ...]:
        if not chain:
            raise TrustError("the certificate chain is empty", code="SIG_CHAIN_MISSING")
        if len(chain) > MAX_CHAIN_LENGTH:
            raise TrustError(
                f"the chain has {len(chain)} certificates; at most {MAX_CHAIN_LENGTH} are accepted",
                code="SIG_CHAIN_MALFORMED",
            )
        path = list(chain)
        # Cut the path at the first pinned root: anything a sender put above it is irrelevant.
        for index, cert in enumerate(path):
            if cert.sha256 in self._roots:
                del path[index + 1 :]
                break
        else:
            anchor = self._issuing_root(path[-1])
            if anchor is None:
                raise TrustError(
                    f"the chain ends at {path[-1].certificate.issuer.rfc4514_string()!r}, "
                    "which is not a pinned root",
                    code="SIG_CHAIN_UNTRUSTED",
                )
            path.append(anchor)
        for depth, (child, issuer) in enumerate(itertools.pairwise(path)):
            _check_link(child, issuer, depth)
        return tuple(path)

    def _issuing_root(self, cert: CertificateInfo) -> CertificateInfo | None:
        for root in self._roots.values():
            if root.certificate.subject == cert.certificate.issuer and _issued_by(cert, root):
                return root
        return None


def _issued_by(child: CertificateInfo, issuer: CertificateInfo) -> bool:
    try:
        child.certificate.verify_directly_issued_by(issuer.certificate)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _check_link(child: CertificateInfo, issuer: CertificateInfo, depth: int) -> None:
    """``issuer`` must be a CA allowed to issue at this depth, and must have signed ``child``."""
    if not issuer.is_ca or not issuer.can_sign_certificates:
        raise TrustError(
            f"{issuer.certificate.subject.rfc4514_string()!r} issued a certificate but is not a "
            "CA allowed to sign certificates",
            code="SIG_CHAIN_NOT_CA",
        )
    # depth 0 = issuer of the leaf: no intermediate below it.
    if issuer.path_length is not None and depth > issuer.path_length:
        raise TrustError(
            f"{issuer.certificate.subject.rfc4514_string()!r} allows {issuer.path_length} "
            f"intermediate(s) below it; the chain has {depth}",
            code="SIG_CHAIN_NOT_CA",
        )
    if not _issued_by(child, issuer):
        raise TrustError(
            f"{child.certificate.subject.rfc4514_string()!r} was not issued by "
            f"{issuer.certificate.subject.rfc4514_string()!r}",
            code="SIG_CHAIN_BROKEN",
        )


def check_validity(path: Sequence[CertificateInfo], moment: datetime) -> None:
    """Every certificate of ``path`` is valid at ``moment`` (``SIG_CERT_EXPIRED`` /
    ``SIG_CERT_NOT_YET_VALID``, naming the first that is not)."""
    for cert in path:
        if moment < cert.not_before:
            raise TrustError(
                f"{cert.certificate.subject.rfc4514_string()!r} is valid only from "
                f"{cert.not_before:%Y-%m-%dT%H:%M:%SZ}, after {moment:%Y-%m-%dT%H:%M:%SZ}",
                code="SIG_CERT_NOT_YET_VALID",
            )
        if moment > cert.not_after:
            raise TrustError(
                f"{cert.certificate.subject.rfc4514_string()!r} expired at "
                f"{cert.not_after:%Y-%m-%dT%H:%M:%SZ}, before {moment:%Y-%m-%dT%H:%M:%SZ}",
                code="SIG_CERT_EXPIRED",
            )
