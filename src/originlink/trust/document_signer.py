"""The document-signing port implemented with the trust layer's JWS signature."""

from __future__ import annotations

from datetime import datetime

from originlink.domain.dataset import CODocument
from originlink.trust.document import sign_document
from originlink.trust.signer import Signer


class TrustDocumentSigner:
    """Signs COs as the node's issuing authority with a trust-layer :class:`Signer`."""

    def __init__(self, signer: Signer) -> None:
        self.signer = signer

    @property
    def key_id(self) -> str:
        return self.signer.key_id

    def sign(
        self, doc: CODocument, *, signing_time: datetime, canonical: bytes | None = None
    ) -> CODocument:
        return sign_document(doc, self.signer, signing_time=signing_time, canonical=canonical)
