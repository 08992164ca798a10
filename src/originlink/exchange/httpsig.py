"""Authenticating gateway-to-gateway HTTP requests with HTTP Message Signatures (RFC 9421).

Every G2G request is signed by the calling gateway with its key from its trust list entry: the
signature covers the method, the target URI, the content type and the body (through
``Content-Digest``, RFC 9530), and carries ``created``, ``keyid`` (the signing certificate's
key id), a ``nonce`` and the tag ``originlink-g2g``. The receiver resolves ``keyid`` through its
trust store, refuses a signature older than the replay window or from the future beyond the
allowed skew (by the node's own clock), and refuses a nonce it has already seen inside the
window. The signing itself goes through the trust layer's ``Signer`` (so an HSM can sign), via
the library's prepare/apply API.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import http_sf
from http_message_signatures import (
    HTTPMessageSigner,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)
from http_message_signatures.httpx2 import adapt_message

from originlink.domain.errors import TrustError
from originlink.exchange.shared_state import SharedState

TAG = "originlink-g2g"
COVERED = ("@method", "@target-uri", "content-type")
DEFAULT_REPLAY_WINDOW = timedelta(minutes=5)

#: ``keyid`` → (public key, participant id), or None when the key is not trusted.
KeyLookup = Callable[[str], tuple[Any, str] | None]


def _algorithm(name: str) -> type[algorithms.HTTPSignatureAlgorithm]:
    if name == "ES256":
        return algorithms.ECDSA_P256_SHA256
    if name == "EdDSA":
        return algorithms.ED25519
    raise TrustError(
        f"no HTTP signature algorithm for key algorithm {name}", code="HTTPSIG_ALG_REFUSED"
    )


def sign_request(
    request: Any, body: bytes, signer: Any, *, created: datetime, nonce: str | None = None
) -> None:
    """Add ``Content-Digest``, ``Signature-Input`` and ``Signature`` to an httpx2 request."""
    hms = HTTPMessageSigner(signature_algorithm=_algorithm(signer.algorithm))
    message = adapt_message(request)
    prepared = hms.prepare(
        message,
        key_id=signer.key_id,
        created=created,
        nonce=nonce or secrets.token_urlsafe(16),
        tag=TAG,
        covered_component_ids=COVERED,
        body=body,
    )
    hms.apply(message, prepared, signer.sign(prepared.signature_base))


@dataclass(frozen=True, slots=True)
class _IncomingRequest:
    """The view of a received request that the verifier reads (method, URL, headers)."""

    method: str
    url: str
    headers: Any


class _Headers:
    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self._pairs = list(pairs)

    def items(self) -> Iterable[tuple[str, str]]:
        return list(self._pairs)

    def __iter__(self) -> Any:
        return iter(dict.fromkeys(name for name, _ in self._pairs))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(k.lower() == name.lower() for k, _ in self._pairs)

    def __getitem__(self, name: str) -> str:
        values = [v for k, v in self._pairs if k.lower() == name.lower()]
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __setitem__(self, name: str, value: str) -> None:
        raise TypeError("read-only")

    def __delitem__(self, name: str) -> None:
        raise TypeError("read-only")


class NonceCache:
    """Nonces seen inside the replay window (bounded; oldest forgotten first). With a shared
    backend (several instances, or a cache that must survive a restart) the nonces are kept
    there instead of in this process."""

    def __init__(
        self, window: timedelta, max_entries: int = 200_000, *, state: SharedState | None = None
    ) -> None:
        self.state = state
        self._window = window.total_seconds()
        self._max = max_entries
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def check_and_add(self, key: str) -> bool:
        """True when ``key`` is new; False for a replay."""
        if self.state is not None:
            return self.state.first_seen("nonce:" + key, ttl_seconds=self._window)
        now = time.monotonic()
        with self._lock:
            while self._seen and (
                next(iter(self._seen.values())) < now - self._window or len(self._seen) > self._max
            ):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class _Resolver(HTTPSignatureKeyResolver):
    def __init__(self, lookup: KeyLookup) -> None:
        self.lookup = lookup
        self.participant: str | None = None

    def resolve_public_key(self, key_id: str) -> Any:
        found = self.lookup(key_id)
        if found is None:
            return None
        key, self.participant = found
        return key

    def resolve_private_key(self, key_id: str) -> Any:  # pragma: no cover - never signs
        raise TrustError("verification only", code="HTTPSIG_INTERNAL")


@dataclass(frozen=True, slots=True)
class VerifiedCaller:
    participant: str
    key_id: str
    created: datetime
    nonce: str


def _params(signature_input: str) -> dict[str, Any]:
    try:
        parsed = http_sf.parse(signature_input.encode(), tltype="dictionary")
    except Exception:
        raise TrustError(
            "the Signature-Input header is malformed", code="HTTPSIG_MALFORMED"
        ) from None
    if not isinstance(parsed, Mapping) or len(parsed) != 1:
        raise TrustError("exactly one signature is expected", code="HTTPSIG_MALFORMED")
    ((_, value),) = parsed.items()
    params = value[1] if isinstance(value, tuple) and len(value) == 2 else {}
    return dict(params)


def signature_key_id(headers: Iterable[tuple[str, str]]) -> str:
    """The ``keyid`` a request's signature names, read from ``Signature-Input`` alone, so the
    key can be looked up before the body is read (``HTTPSIG_MISSING``, ``HTTPSIG_MALFORMED``)."""
    view = _Headers(list(headers))
    if "signature-input" not in view or "signature" not in view:
        raise TrustError(
            "the request is not signed (RFC 9421 Signature-Input and Signature)",
            code="HTTPSIG_MISSING",
        )
    key_id = _params(view["signature-input"]).get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise TrustError("the signature lacks keyid", code="HTTPSIG_MALFORMED")
    return key_id


def verify_request(
    *,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    lookup: KeyLookup,
    now: datetime,
    nonces: NonceCache,
    window: timedelta = DEFAULT_REPLAY_WINDOW,
    skew: timedelta = timedelta(minutes=1),
) -> VerifiedCaller:
    """Verify the request's signature; raise :class:`TrustError` with a stable code."""
    header_list = list(headers)
    message = _IncomingRequest(method=method, url=url, headers=_Headers(header_list))
    view = _Headers(header_list)
    if "signature-input" not in view or "signature" not in view:
        raise TrustError(
            "the request is not signed (RFC 9421 Signature-Input and Signature)",
            code="HTTPSIG_MISSING",
        )
    params = _params(view["signature-input"])
    key_id = params.get("keyid")
    alg = params.get("alg")
    created = params.get("created")
    nonce = params.get("nonce")
    if not isinstance(key_id, str) or not isinstance(created, int) or not isinstance(nonce, str):
        raise TrustError("the signature lacks keyid, created or nonce", code="HTTPSIG_MALFORMED")
    created_at = datetime.fromtimestamp(created, tz=now.tzinfo)
    if created_at > now + skew:
        raise TrustError("the request signature is dated in the future", code="HTTPSIG_FUTURE")
    if created_at < now - window:
        raise TrustError(
            f"the request signature is older than the replay window ({window})",
            code="HTTPSIG_REPLAY_WINDOW",
        )
    resolver = _Resolver(lookup)
    algorithm = {
        "ecdsa-p256-sha256": algorithms.ECDSA_P256_SHA256,
        "ed25519": algorithms.ED25519,
    }.get(str(alg))
    if algorithm is None:
        raise TrustError(f"signature algorithm {alg!r} is not accepted", code="HTTPSIG_ALG_REFUSED")
    verifier = _ClockedVerifier(signature_algorithm=algorithm, key_resolver=resolver)
    try:
        verifier.verify(
            message,
            max_age=None,
            expect_tag=TAG,
            require_components=("@method", "@target-uri", "content-digest"),
            body=body,
        )
    except InvalidSignature as exc:
        text = str(exc)
        if "resolve verification key" in text:
            raise TrustError(
                f"key {key_id} is not in any trusted trust list", code="HTTPSIG_UNKNOWN_KEY"
            ) from None
        raise TrustError(
            f"the request signature does not verify: {text}", code="HTTPSIG_INVALID"
        ) from None
    if resolver.participant is None:  # pragma: no cover - lookup returned a key
        raise TrustError("unknown caller", code="HTTPSIG_UNKNOWN_KEY")
    if not nonces.check_and_add(f"{key_id}:{nonce}"):
        raise TrustError("this signed request was already received (replay)", code="HTTPSIG_REPLAY")
    return VerifiedCaller(resolver.participant, key_id, created_at, nonce)


class _ClockedVerifier(HTTPMessageVerifier):
    """Time checks are done by :func:`verify_request` with the node's clock."""

    def validate_created_and_expires(self, sig_input: Any, max_age: Any = None) -> None:
        return None
