"""Document signatures: every way a CO signature can be wrong is caught with its own code."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from originlink.domain.dataset import CODocument
from originlink.domain.errors import TrustError
from originlink.testing import TEST_EPOCH, TestCA
from originlink.testing.strategies import changed_leaf, leaf_paths
from originlink.trust.canonical import certificate_canonical_bytes
from originlink.trust.certificates import certificate_b64
from originlink.trust.document import (
    CO_SIGNATURE_TYPE,
    sign_document,
    sign_exporter_declaration,
    verify_document,
)
from originlink.trust.jws import format_signing_time, sign_detached
from originlink.trust.keys import generate_private_key
from originlink.trust.signer import KeySigner, Signer
from originlink.trust.trustlist import TrustStore
from originlink.trust.verification import Status

SIGNED_AT = TEST_EPOCH + timedelta(days=62)
NOW = SIGNED_AT + timedelta(hours=1)


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="module")
def sg(ca: TestCA) -> KeySigner:
    return ca.issue("SG-CUSTOMS", "SG", name="Singapore Customs")


@pytest.fixture(scope="module")
def jp(ca: TestCA) -> KeySigner:
    return ca.issue("JP-CUSTOMS", "JP")


@pytest.fixture(scope="module")
def store(ca: TestCA, sg: KeySigner, jp: KeySigner) -> TrustStore:
    return ca.trust_store(
        ca.signed_trust_list(ca.trust_list(sg)), ca.signed_trust_list(ca.trust_list(jp))
    )


@pytest.fixture
def doc(minimal_co: dict[str, Any]) -> CODocument:
    return CODocument.model_validate(minimal_co)


@pytest.fixture
def signed(doc: CODocument, sg: KeySigner) -> CODocument:
    return sign_document(doc, sg, signing_time=SIGNED_AT)


def raw_signature(doc: CODocument, signer: Signer, **headers: Any) -> CODocument:
    """``doc`` with an issuing-authority JWS made below sign_document's own checks."""
    token = sign_detached(
        certificate_canonical_bytes(doc.certificate),
        signer,
        extra_headers={"typ": CO_SIGNATURE_TYPE, "sigT": format_signing_time(SIGNED_AT), **headers},
    )
    return with_token(doc, token)


def with_token(doc: CODocument, token: str) -> CODocument:
    data = doc.to_json_dict()
    data["signatures"] = {"issuing_authority": {"format": "jws", "value": token}}
    return CODocument.model_validate(data)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def codes(result: Any) -> dict[str, str]:
    return {a.aspect.value: a.code for a in result.aspects}


def test_signed_example_verifies_in_all_four_aspects(signed: CODocument, store: TrustStore) -> None:
    result = verify_document(signed, store, now=NOW)
    assert result.ok
    assert codes(result) == {"integrity": "OK", "signer": "OK", "time": "OK", "revocation": "OK"}
    assert result.participant_id == "SG-CUSTOMS"
    assert result.signing_time == SIGNED_AT
    out = result.as_dict()
    assert out["ok"] is True and out["signer"]["status"] == "ok"
    assert "exporter" not in out


def test_signature_is_a_detached_compact_jws_with_chain_kid_and_time(
    signed: CODocument, sg: KeySigner
) -> None:
    assert signed.signatures is not None and signed.signatures.issuing_authority is not None
    header_segment, payload_segment, _ = signed.signatures.issuing_authority.value.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_segment + "=="))
    assert payload_segment == ""
    assert header["alg"] == "ES256"
    assert header["kid"] == sg.key_id
    assert header["x5c"] == [certificate_b64(c) for c in sg.chain]
    assert header["sigT"] == "2025-03-04T00:00:00Z"
    assert header["typ"] == CO_SIGNATURE_TYPE


def test_changing_any_single_field_breaks_integrity(signed: CODocument, store: TrustStore) -> None:
    data = signed.to_json_dict()
    paths = leaf_paths(data["certificate"])
    assert len(paths) > 40
    for path in paths:
        changed = CODocument.model_validate(changed_leaf(data, ("certificate", *path)))
        result = verify_document(changed, store, now=NOW)
        assert result.integrity.code == "SIG_INTEGRITY", path
        assert not result.ok


def test_key_order_whitespace_and_escapes_of_the_transport_form_do_not_matter(
    signed: CODocument, store: TrustStore
) -> None:
    def reversed_keys(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: reversed_keys(value[k]) for k in reversed(list(value))}
        if isinstance(value, list):
            return [reversed_keys(v) for v in value]
        return value

    transport = json.dumps(reversed_keys(signed.to_json_dict()), indent=7, ensure_ascii=True)
    assert transport != json.dumps(signed.to_json_dict())
    received = CODocument.model_validate(json.loads(transport))
    assert verify_document(received, store, now=NOW).ok


def test_a_swapped_certificate_in_the_header_breaks_integrity(
    signed: CODocument, jp: KeySigner, store: TrustStore
) -> None:
    assert signed.signatures is not None and signed.signatures.issuing_authority is not None
    header_segment, _, signature = signed.signatures.issuing_authority.value.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_segment + "=="))
    header["x5c"] = [certificate_b64(c) for c in jp.chain]
    header["kid"] = jp.key_id
    token = f"{b64url(json.dumps(header).encode())}..{signature}"
    result = verify_document(with_token(signed, token), store, now=NOW)
    assert result.integrity.code == "SIG_INTEGRITY"


def test_another_countrys_authority_cannot_sign_for_this_country(
    doc: CODocument, jp: KeySigner, store: TrustStore
) -> None:
    result = verify_document(sign_document(doc, jp, signing_time=SIGNED_AT), store, now=NOW)
    assert result.integrity.status is Status.OK
    assert result.signer.code == "SIG_COUNTRY_MISMATCH"
    assert not result.ok


def test_a_certificate_nobody_listed_is_refused(
    ca: TestCA, doc: CODocument, store: TrustStore
) -> None:
    unlisted = ca.issue("SG-CUSTOMS", "SG")
    result = verify_document(sign_document(doc, unlisted, signing_time=SIGNED_AT), store, now=NOW)
    assert result.signer.code == "SIG_SIGNER_NOT_LISTED"
    assert result.revocation.status is Status.NOT_CHECKED


def test_a_chain_to_an_untrusted_root_is_refused(doc: CODocument, store: TrustStore) -> None:
    rogue = TestCA("Rogue Root").issue("SG-CUSTOMS", "SG")
    result = verify_document(sign_document(doc, rogue, signing_time=SIGNED_AT), store, now=NOW)
    assert result.integrity.status is Status.OK
    assert result.signer.code == "SIG_CHAIN_UNTRUSTED"


def test_an_agreement_the_signer_is_not_listed_for_is_refused(
    ca: TestCA, sg: KeySigner, signed: CODocument
) -> None:
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(sg, agreements=["ATIGA"])))
    result = verify_document(signed, store, now=NOW)
    assert result.signer.code == "SIG_AGREEMENT_NOT_LISTED"


def test_a_customs_certificate_cannot_sign_as_issuing_authority(
    ca: TestCA, doc: CODocument
) -> None:
    customs = ca.issue("SG-CHECKPOINT", "SG", "customs")
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(customs)))
    with pytest.raises(TrustError) as refused:
        sign_document(doc, customs, signing_time=SIGNED_AT)
    assert refused.value.code == "SIGN_ROLE_MISMATCH"
    result = verify_document(raw_signature(doc, customs), store, now=NOW)
    assert result.signer.code == "SIG_ROLE_NOT_LISTED"


def test_the_co_must_name_the_signing_authority_when_it_names_one(
    ca: TestCA, minimal_co: dict[str, Any], store: TrustStore, sg: KeySigner
) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["parties"]["issuing_authority"]["identifiers"][0]["value"] = "SG-MTI"
    doc = sign_document(CODocument.model_validate(data), sg, signing_time=SIGNED_AT)
    assert verify_document(doc, store, now=NOW).signer.code == "SIG_AUTHORITY_MISMATCH"


def test_an_expired_certificate_is_refused(ca: TestCA, doc: CODocument) -> None:
    short = ca.issue("SG-CUSTOMS", "SG", not_after=TEST_EPOCH + timedelta(days=31))
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(short)))
    with pytest.raises(TrustError) as refused:
        sign_document(doc, short, signing_time=SIGNED_AT)
    assert refused.value.code == "SIGN_CERT_NOT_VALID"
    result = verify_document(raw_signature(doc, short), store, now=NOW)
    assert codes(result) == {
        "integrity": "OK",
        "signer": "OK",
        "time": "SIG_CERT_EXPIRED",
        "revocation": "OK",
    }


def test_a_certificate_not_yet_valid_is_refused(ca: TestCA, doc: CODocument) -> None:
    later = ca.issue("SG-CUSTOMS", "SG", not_before=SIGNED_AT + timedelta(days=1))
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(later)))
    result = verify_document(raw_signature(doc, later), store, now=NOW)
    assert result.time.code == "SIG_CERT_NOT_YET_VALID"


def test_a_signing_time_in_the_future_is_refused_beyond_the_skew(
    doc: CODocument, sg: KeySigner, store: TrustStore
) -> None:
    signed = sign_document(doc, sg, signing_time=SIGNED_AT)
    early = SIGNED_AT - timedelta(minutes=4)
    assert verify_document(signed, store, now=early).ok
    too_early = verify_document(signed, store, now=SIGNED_AT - timedelta(minutes=6))
    assert too_early.time.code == "SIG_FUTURE_SIGNING_TIME"
    assert verify_document(
        signed, store, now=SIGNED_AT - timedelta(minutes=6), skew=timedelta(minutes=10)
    ).ok


def test_a_missing_or_garbled_signing_time_is_a_time_failure(
    doc: CODocument, sg: KeySigner, store: TrustStore
) -> None:
    result = verify_document(raw_signature(doc, sg, sigT="yesterday"), store, now=NOW)
    assert result.integrity.status is Status.OK
    assert result.time.code == "SIG_SIGNING_TIME_INVALID"
    assert result.revocation.status is Status.NOT_CHECKED


@pytest.mark.parametrize(
    ("revoked_after_signing", "expected"),
    [
        (timedelta(seconds=-1), "SIG_REVOKED"),
        (timedelta(0), "SIG_REVOKED"),
        (timedelta(seconds=1), "OK"),
    ],
)
def test_revocation_invalidates_signatures_from_its_time_on_not_before(
    ca: TestCA, sg: KeySigner, signed: CODocument, revoked_after_signing: timedelta, expected: str
) -> None:
    revoked_at = SIGNED_AT + revoked_after_signing
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(sg, revoked={sg.key_id: revoked_at})))
    result = verify_document(signed, store, now=NOW)
    assert result.revocation.code == expected
    assert result.ok is (expected == "OK")
    if expected == "OK":
        assert "revoked later" in result.revocation.detail


def test_no_signature_is_reported_and_nothing_else_is_judged(
    doc: CODocument, store: TrustStore
) -> None:
    unsigned = CODocument.model_validate({"certificate": doc.to_json_dict()["certificate"]})
    result = verify_document(unsigned, store, now=NOW)
    assert result.integrity.code == "SIG_MISSING"
    assert {a.status for a in result.aspects[1:]} == {Status.NOT_CHECKED}


def test_a_signature_in_another_format_is_not_verified(
    signed: CODocument, store: TrustStore
) -> None:
    data = signed.to_json_dict()
    data["signatures"]["issuing_authority"]["format"] = "xmldsig"
    result = verify_document(CODocument.model_validate(data), store, now=NOW)
    assert result.integrity.code == "SIG_FORMAT_UNSUPPORTED"


def test_alg_none_is_refused(doc: CODocument, sg: KeySigner, store: TrustStore) -> None:
    header = {
        "alg": "none",
        "kid": sg.key_id,
        "x5c": [certificate_b64(c) for c in sg.chain],
        "typ": CO_SIGNATURE_TYPE,
        "sigT": "2025-03-04T00:00:00Z",
    }
    token = f"{b64url(json.dumps(header).encode())}.."
    result = verify_document(with_token(doc, token), store, now=NOW)
    assert result.integrity.code == "SIG_ALG_REFUSED"
    assert not result.ok


def test_hs256_keyed_with_the_public_key_is_refused(
    doc: CODocument, sg: KeySigner, store: TrustStore
) -> None:
    header = {
        "alg": "HS256",
        "kid": sg.key_id,
        "x5c": [certificate_b64(c) for c in sg.chain],
        "typ": CO_SIGNATURE_TYPE,
        "sigT": "2025-03-04T00:00:00Z",
    }
    public_pem = (
        sg.chain[0]
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header_segment = b64url(json.dumps(header).encode())
    signing_input = f"{header_segment}.{b64url(certificate_canonical_bytes(doc.certificate))}"
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    result = verify_document(with_token(doc, f"{header_segment}..{b64url(mac)}"), store, now=NOW)
    assert result.integrity.code == "SIG_ALG_REFUSED"


def test_a_root_certificate_may_not_sign_documents(
    ca: TestCA, doc: CODocument, store: TrustStore
) -> None:
    result = verify_document(raw_signature(doc, ca.signer), store, now=NOW)
    assert result.signer.code == "SIG_CERT_NOT_FOR_SIGNING"


def test_an_exporter_signature_in_the_authoritys_place_is_a_type_mismatch(
    ca: TestCA, doc: CODocument, store: TrustStore
) -> None:
    exporter = ca.issue("SG-EXPORTER-1", "SG", "exporter")
    declared = sign_exporter_declaration(doc, exporter, signing_time=SIGNED_AT)
    assert declared.signatures is not None and declared.signatures.exporter is not None
    moved = with_token(doc, declared.signatures.exporter.value)
    assert verify_document(moved, store, now=NOW).integrity.code == "SIG_TYPE_MISMATCH"


def test_exporter_declaration_survives_issuance_and_detects_changes(
    ca: TestCA, minimal_co: dict[str, Any], sg: KeySigner, store: TrustStore
) -> None:
    application = copy.deepcopy(minimal_co)
    certificate = application["certificate"]
    for issuer_owned in ("certificate_number", "issue_datetime"):
        del certificate[issuer_owned]
    del certificate["parties"]["certifying_official"]
    del certificate["declarations"]["certification"]
    certificate["status"] = "SUBMITTED"
    del application["signatures"]
    exporter = ca.issue("SG-EXPORTER-1", "SG", "exporter", algorithm="EdDSA")
    declared = sign_exporter_declaration(
        CODocument.model_validate(application), exporter, signing_time=SIGNED_AT
    )
    issued_data = declared.to_json_dict()
    issued_data["certificate"].update(
        {
            "status": "ISSUED",
            "version": 2,
            "certificate_number": "RCEP-SG-2025-000123",
            "issue_datetime": "2025-03-04T09:15:00+08:00",
        }
    )
    issued_data["certificate"]["parties"]["certifying_official"] = {"name": "A. Officer"}
    issued = sign_document(CODocument.model_validate(issued_data), sg, signing_time=SIGNED_AT)
    result = verify_document(issued, store, now=NOW)
    assert result.ok
    assert result.exporter is not None and result.exporter.ok
    assert result.exporter.revocation.status is Status.NOT_APPLICABLE
    assert result.as_dict()["exporter"]["participant_id"] == "SG-EXPORTER-1"

    tampered = issued.to_json_dict()
    tampered["certificate"]["declarations"]["exporter"]["date"] = "2025-03-03T16:41:00+08:00"
    result = verify_document(CODocument.model_validate(tampered), store, now=NOW)
    assert result.exporter is not None
    assert result.exporter.integrity.code == "SIG_INTEGRITY"
    assert result.integrity.code == "SIG_INTEGRITY"
    assert not result.ok


def test_exporter_declaration_needs_an_exporter_certificate(
    ca: TestCA, doc: CODocument, sg: KeySigner, store: TrustStore
) -> None:
    with pytest.raises(TrustError) as refused:
        sign_exporter_declaration(doc, sg, signing_time=SIGNED_AT)
    assert refused.value.code == "SIGN_ROLE_MISMATCH"


def test_ed25519_signatures_verify(ca: TestCA, doc: CODocument) -> None:
    ed = ca.issue("SG-CUSTOMS", "SG", algorithm="EdDSA")
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(ed)))
    signed = sign_document(doc, ed, signing_time=SIGNED_AT)
    assert signed.signatures is not None and signed.signatures.issuing_authority is not None
    assert (
        '"EdDSA"'
        in base64.urlsafe_b64decode(
            signed.signatures.issuing_authority.value.split(".")[0] + "=="
        ).decode()
    )
    assert verify_document(signed, store, now=NOW).ok


def test_a_certificate_without_participant_identity_cannot_sign(
    ca: TestCA, doc: CODocument, store: TrustStore
) -> None:
    key = generate_private_key("ES256")
    anonymous = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "SG-CUSTOMS")]))
        .issuer_name(ca.root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(TEST_EPOCH)
        .not_valid_after(TEST_EPOCH + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(ca.authority.key, hashes.SHA256())
    )
    result = verify_document(raw_signature(doc, KeySigner(key, (anonymous,))), store, now=NOW)
    assert result.signer.code == "SIG_CERT_NO_IDENTITY"
    assert result.participant_id is None


def test_content_without_a_canonical_form_is_reported_not_crashed(
    doc: CODocument, sg: KeySigner, store: TrustStore, signed: CODocument
) -> None:
    huge = signed.to_json_dict()
    huge["certificate"]["version"] = 2**53
    result = verify_document(CODocument.model_validate(huge), store, now=NOW)
    assert result.integrity.code == "SIG_CANONICAL_FAILED"
    assert [f.code for f in result.failures] == ["SIG_CANONICAL_FAILED"]
    with pytest.raises(TrustError) as refused:
        sign_document(CODocument.model_validate(huge), sg, signing_time=SIGNED_AT)
    assert refused.value.code == "SIG_CANONICAL_FAILED"


def test_times_without_a_zone_are_a_programming_error(
    doc: CODocument, sg: KeySigner, signed: CODocument, store: TrustStore
) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        sign_document(doc, sg, signing_time=SIGNED_AT.replace(tzinfo=None))
    with pytest.raises(ValueError, match="timezone-aware"):
        verify_document(signed, store, now=NOW.replace(tzinfo=None))
