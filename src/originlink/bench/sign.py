"""``bench sign``: document signatures and verifications per second, against the bare crypto.

The full operations are :func:`~originlink.trust.document.sign_document` and
:func:`~originlink.trust.document.verify_document` on a typical 10-item CO (steady state: the
partner's certificate and chain are already cached, as on a gateway that receives many COs from
the same partners). The raw operations are the bare ECDSA (or Ed25519) signature and verification
of the same canonical bytes with ``cryptography``. A ratio of 3.0 means the full operation costs
three bare ones: the rest is canonicalisation, JSON, base64 and look-ups.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from originlink.domain.dataset import CODocument
from originlink.testing import TEST_EPOCH, TestCA
from originlink.trust.canonical import certificate_canonical_bytes
from originlink.trust.document import sign_document, verify_document
from originlink.trust.keys import Algorithm

_BASE_CO: dict[str, Any] = {
    "certificate": {
        "certificate_number": "RCEP-SG-2025-000123",
        "version": 1,
        "form_code": "FORM_RCEP",
        "is_preferential": True,
        "agreement": {"code": "RCEP"},
        "status": "ISSUED",
        "issue_datetime": "2025-03-04T09:15:00+08:00",
        "issuing_country": "SG",
        "exporting_country": "SG",
        "importing_country": "JP",
        "parties": {
            "exporter": {
                "name": "Example Precision Pte Ltd",
                "identifiers": [{"scheme": "SG:UEN", "value": "201912345K"}],
                "address": {"lines": ["1 Example Way"], "city": "Singapore", "country_code": "SG"},
            },
            "producer_statement": "SAME_AS_EXPORTER",
            "importer": {
                "name": "Example Trading KK",
                "address": {"city": "Osaka", "country_code": "JP"},
            },
            "issuing_authority": {
                "name": "Singapore Customs",
                "identifiers": [{"scheme": "TRUSTLIST", "value": "SG-CUSTOMS"}],
                "address": {"country_code": "SG"},
            },
            "certifying_official": {"name": "A. Officer"},
        },
        "transport": {
            "mode_code": "1",
            "departure_datetime": "2025-03-05",
            "loading_location": {"locode": "SGSIN", "name": "Singapore"},
            "discharge_location": {"locode": "JPOSA", "name": "Osaka"},
        },
        "goods_items": [],
        "references": {
            "invoices": [{"sequence": 1, "number": "INV-88231", "issue_date": "2025-03-03"}]
        },
        "declarations": {
            "exporter": {"date": "2025-03-03T16:40:00+08:00"},
            "certification": {"datetime": "2025-03-04T09:15:00+08:00"},
        },
    }
}


def typical_co(items: int = 10) -> CODocument:
    """An issued RCEP CO with ``items`` goods items (each with criterion, measures, FOB)."""
    data = copy.deepcopy(_BASE_CO)
    data["certificate"]["goods_items"] = [
        {
            "sequence_number": n,
            "description": f"Ball bearings, type {n}, {10 * n} cartons",
            "hs_code": "848210",
            "hs_edition": "HS2022",
            "origin_country": "SG",
            "origin_criterion": {"code": "RVC", "value_content_percent": "45"},
            "quantity": {"value": str(1200 * n), "unit_code": "H87"},
            "gross_weight": {"value": str(Decimal("350.5") * n), "unit_code": "KGM"},
            "fob_value": {"value": f"{18250 * n}.00", "currency_code": "USD"},
            "packages": {"count": 10 * n, "type_code": "CT"},
            "invoice_sequences": [1],
        }
        for n in range(1, items + 1)
    ]
    return CODocument.model_validate(data)


@dataclass(frozen=True, slots=True)
class SignBenchmark:
    items: int
    algorithm: str
    canonical_bytes: int
    sign_per_s: float
    verify_per_s: float
    raw_sign_per_s: float
    raw_verify_per_s: float

    @property
    def sign_ratio_to_raw(self) -> float:
        """Cost of one document signature in bare signatures of the same bytes."""
        return self.raw_sign_per_s / self.sign_per_s

    @property
    def verify_ratio_to_raw(self) -> float:
        return self.raw_verify_per_s / self.verify_per_s

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            key: round(value, 1) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }
        out["sign_ratio_to_raw"] = round(self.sign_ratio_to_raw, 2)
        out["verify_ratio_to_raw"] = round(self.verify_ratio_to_raw, 2)
        return out


def _rate(operation: Callable[[], object], budget: float) -> float:
    """Operations per second: the best of three rounds of ``budget / 3`` seconds each (the
    best round is the least disturbed by other processes on a shared machine)."""
    for _ in range(3):
        operation()  # warm caches
    best = 0.0
    for _ in range(3):
        count = 0
        start = time.perf_counter()
        deadline = start + budget / 3
        while True:
            operation()
            count += 1
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, count / (now - start))
    return best


#: The phases :func:`run` reports to ``step``, in order.
PHASES = ("signing", "verifying", "bare signatures", "bare verifications")


def run(
    *,
    quick: bool = False,
    items: int = 10,
    algorithm: Algorithm = "ES256",
    step: Callable[[str], None] | None = None,
) -> SignBenchmark:
    """Measure; ``quick`` spends about a second in all, the full run about twelve. ``step`` is
    told of each phase of :data:`PHASES` as it starts (progress)."""
    tell = step or (lambda _phase: None)
    budget = 0.2 if quick else 3.0
    ca = TestCA()
    signer = ca.issue("SG-CUSTOMS", "SG", algorithm=algorithm)
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(signer)))
    doc = typical_co(items)
    signing_time = TEST_EPOCH + timedelta(days=62)
    now = signing_time + timedelta(hours=1)
    signed = sign_document(doc, signer, signing_time=signing_time)
    if not verify_document(signed, store, now=now).ok:
        raise RuntimeError("the benchmark's own document does not verify")
    payload = certificate_canonical_bytes(doc.certificate)
    key = signer.private_key
    public = key.public_key()
    if isinstance(key, ec.EllipticCurvePrivateKey):
        assert isinstance(public, ec.EllipticCurvePublicKey)
        raw_signature = key.sign(payload, ec.ECDSA(hashes.SHA256()))

        def raw_sign() -> object:
            return key.sign(payload, ec.ECDSA(hashes.SHA256()))

        def raw_verify() -> object:
            public.verify(raw_signature, payload, ec.ECDSA(hashes.SHA256()))
            return None
    else:
        raw_signature = key.sign(payload)

        def raw_sign() -> object:
            return key.sign(payload)

        def raw_verify() -> object:
            public.verify(raw_signature, payload)  # type: ignore[call-arg]
            return None

    tell(PHASES[0])
    sign_per_s = _rate(lambda: sign_document(doc, signer, signing_time=signing_time), budget)
    tell(PHASES[1])
    verify_per_s = _rate(lambda: verify_document(signed, store, now=now), budget)
    tell(PHASES[2])
    raw_sign_per_s = _rate(raw_sign, budget)
    tell(PHASES[3])
    return SignBenchmark(
        items=items,
        algorithm=algorithm,
        canonical_bytes=len(payload),
        sign_per_s=sign_per_s,
        verify_per_s=verify_per_s,
        raw_sign_per_s=raw_sign_per_s,
        raw_verify_per_s=_rate(raw_verify, budget),
    )
