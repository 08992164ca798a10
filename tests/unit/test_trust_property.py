"""Property: whatever the CO, changing any one value of the signed content fails verification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from originlink.domain.dataset import CODocument
from originlink.testing import TEST_EPOCH, TestCA
from originlink.testing.strategies import changed_leaf, co_json, leaf_paths
from originlink.trust.canonical import certificate_canonical_bytes
from originlink.trust.document import sign_document, verify_document
from originlink.trust.verification import Status

SIGNED_AT = TEST_EPOCH + timedelta(days=62)
NOW = SIGNED_AT + timedelta(hours=1)
_CA = TestCA()
_SIGNER = _CA.issue("SG-CUSTOMS", "SG")
_STORE = _CA.trust_store(_CA.signed_trust_list(_CA.trust_list(_SIGNER)))


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(co=co_json(max_items=8), choice=st.data())
def test_a_single_change_of_signed_content_always_fails_verification(
    co: dict[str, Any], choice: st.DataObject
) -> None:
    doc = CODocument.model_validate(co)
    signed = sign_document(doc, _SIGNER, signing_time=SIGNED_AT)
    assert verify_document(signed, _STORE, now=NOW).integrity.status is Status.OK

    path = choice.draw(st.sampled_from(leaf_paths(co["certificate"])), label="changed leaf")
    changed = changed_leaf(signed.to_json_dict(), ("certificate", *path))
    try:
        received = CODocument.model_validate(changed)
    except ValidationError:
        reject()  # e.g. 28 Feb + 1 day in a common year: not a CO anyone could send
    assert certificate_canonical_bytes(received.certificate) != certificate_canonical_bytes(
        doc.certificate
    )
    result = verify_document(received, _STORE, now=NOW)
    assert result.integrity.code == "SIG_INTEGRITY"
    assert not result.ok
