"""The generic detached JWS: strict header checks before the key is touched, standard output."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import rfc8785
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jws as joserfc_jws
from joserfc.jwk import ECKey

from originlink.domain.errors import TrustError
from originlink.testing import TestCA
from originlink.trust.certificates import Identity, Role, certificate_b64, fingerprint
from originlink.trust.jws import (
    b64url_payload,
    format_signing_time,
    parse_signing_time,
    sign_detached,
    verify_detached,
)
from originlink.trust.signer import KeySigner

PAYLOAD = rfc8785.dumps({"b": [1, "two"], "a": "ü"})


@pytest.fixture(scope="module")
def signer() -> KeySigner:
    return TestCA().issue("SG-GW", "SG", "gateway")


def header_of(token: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    return data


def with_header(token: str, **changes: Any) -> str:
    header = header_of(token)
    header.update(changes)
    for key in [k for k, v in changes.items() if v is None]:
        del header[key]
    segment = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    return f"{segment}..{token.split('.')[2]}"


def refused(token: str, payload: bytes = PAYLOAD, **kwargs: Any) -> str:
    with pytest.raises(TrustError) as info:
        verify_detached(token, payload, **kwargs)
    return info.value.code


def test_round_trip_returns_header_and_chain(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={"typ": "t", "sigT": "x"})
    verified = verify_detached(token, PAYLOAD, expected_type="t")
    assert verified.header["kid"] == signer.key_id
    assert verified.certificates == signer.chain
    assert verified.leaf.identity is not None and verified.leaf.identity.participant_id == "SG-GW"


def test_any_standard_jose_library_verifies_after_reattaching_the_payload(
    signer: KeySigner,
) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={"sigT": "2025-01-01T00:00:00Z"})
    header_segment, _, signature = token.split(".")
    compact = f"{header_segment}.{b64url_payload(PAYLOAD)}.{signature}"
    # a third party: joserfc with its own registry, the leaf certificate's key from x5c
    leaf = x509.load_der_x509_certificate(base64.b64decode(header_of(token)["x5c"][0]))
    key = ECKey.import_key(
        leaf.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    registry = joserfc_jws.JWSRegistry(algorithms=["ES256"], strict_check_header=False)
    registry.max_header_length = 8192
    result = joserfc_jws.deserialize_compact(compact, key, registry=registry)
    assert result.payload == PAYLOAD


def test_extra_headers_cannot_override_what_the_signer_sets(signer: KeySigner) -> None:
    with pytest.raises(ValueError, match="alg"):
        sign_detached(PAYLOAD, signer, extra_headers={"alg": "none"})


def test_a_changed_payload_is_an_integrity_failure(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    assert refused(token, PAYLOAD + b" ") == "SIG_INTEGRITY"


@pytest.mark.parametrize("alg", ["none", "HS256", "HS512", "RS256", "PS256", "ES384", None, 7])
def test_only_es256_and_eddsa_are_accepted(signer: KeySigner, alg: Any) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    assert refused(with_header(token, alg=alg)) == "SIG_ALG_REFUSED"


def test_the_key_type_must_match_the_algorithm(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    assert refused(with_header(token, alg="EdDSA")) == "SIG_KEY_ALG_MISMATCH"


def test_a_p384_certificate_is_refused_even_under_es256(signer: KeySigner) -> None:
    ca = TestCA()
    key = ec.generate_private_key(ec.SECP384R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(Identity("SG-GW", "SG", Role.GATEWAY).subject())
        .issuer_name(ca.root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ca.root.not_valid_before_utc)
        .not_valid_after(ca.root.not_valid_after_utc)
        .sign(ca.authority.key, hashes.SHA256())
    )
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    forged = with_header(token, x5c=[certificate_b64(leaf)], kid=fingerprint(leaf))
    assert refused(forged) == "SIG_KEY_ALG_MISMATCH"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"kid": "0" * 64}, "SIG_KID_MISMATCH"),
        ({"kid": None}, "SIG_KID_MISMATCH"),
        ({"x5c": None}, "SIG_CHAIN_MISSING"),
        ({"x5c": []}, "SIG_CHAIN_MALFORMED"),
        ({"x5c": ["not base64!"]}, "SIG_CHAIN_MALFORMED"),
        ({"x5c": [base64.b64encode(b"junk").decode()]}, "SIG_CHAIN_MALFORMED"),
        ({"x5c": ["AA=="] * 6}, "SIG_CHAIN_MALFORMED"),
        ({"crit": ["sigT"]}, "SIG_MALFORMED"),
        ({"b64": False}, "SIG_MALFORMED"),
        ({"typ": "other"}, "SIG_TYPE_MISMATCH"),
    ],
)
def test_header_problems_have_their_own_codes(
    signer: KeySigner, change: dict[str, Any], code: str
) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={"typ": "expected"})
    assert refused(with_header(token, **change), expected_type="expected") == code


def test_an_embedded_payload_is_refused(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    header, _, signature = token.split(".")
    embedded = f"{header}.{b64url_payload(PAYLOAD)}.{signature}"
    assert refused(embedded) == "SIG_PAYLOAD_NOT_DETACHED"


@pytest.mark.parametrize(
    "token",
    ["", "a.b", "a..b..c", "!!!..sig", "bm90IGpzb24..sig", "WzFd..sig", "é..x", "x" * 70000],
)
def test_malformed_tokens_are_refused(token: str) -> None:
    assert refused(token) == "SIG_MALFORMED"


def test_a_header_with_a_duplicate_member_is_refused(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    raw = json.dumps(header_of(token))[:-1] + ', "alg": "none"}'
    segment = base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode()
    assert refused(f"{segment}..{token.split('.')[2]}") == "SIG_MALFORMED"


def test_a_truncated_signature_is_an_integrity_failure(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    assert refused(token[:-8]) == "SIG_INTEGRITY"
    assert refused(token.rsplit(".", 1)[0] + ".") == "SIG_INTEGRITY"


@pytest.mark.parametrize("value", [None, "2025-03-04", "2025-13-01T00:00:00Z", 1741046400])
def test_signing_time_must_be_iso_utc_seconds(value: Any) -> None:
    with pytest.raises(TrustError) as info:
        parse_signing_time({} if value is None else {"sigT": value})
    assert info.value.code == "SIG_SIGNING_TIME_INVALID"


def test_signer_chain_is_embedded_leaf_first(signer: KeySigner) -> None:
    token = sign_detached(PAYLOAD, signer, extra_headers={})
    assert header_of(token)["x5c"] == [certificate_b64(c) for c in signer.chain]


def test_signing_time_is_utc_to_the_second_and_reads_back() -> None:
    tokyo = timezone(timedelta(hours=9))
    moment = datetime(2026, 3, 1, 9, 30, 15, 987654, tzinfo=tokyo)
    text = format_signing_time(moment)
    assert text == "2026-03-01T00:30:15Z"
    assert parse_signing_time({"sigT": text}) == moment.replace(microsecond=0)
    assert format_signing_time(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05Z"
    with pytest.raises(ValueError, match="timezone-aware"):
        format_signing_time(datetime(2026, 3, 1))
