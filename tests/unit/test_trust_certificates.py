"""Certificates, the pilot CA and chain validation against pinned roots."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from originlink.domain.errors import Conflict, InputError, TrustError
from originlink.testing import TEST_EPOCH, TestCA
from originlink.trust.ca import CertificateAuthority, load_csr
from originlink.trust.certificates import (
    Identity,
    Role,
    build_csr,
    build_leaf,
    certificates_pem,
    identity_from_name,
    info,
)
from originlink.trust.chain import ChainValidator, check_validity
from originlink.trust.keys import generate_private_key

SG = Identity("SG-CUSTOMS", "SG", Role.ISSUING_AUTHORITY, "Singapore Customs")


def chain_error(validator: ChainValidator, *certs: x509.Certificate) -> str:
    with pytest.raises(TrustError) as info_:
        validator.path(tuple(info(c) for c in certs))
    return info_.value.code


def test_participant_certificate_names_its_holder_and_has_signer_extensions() -> None:
    ca = TestCA()
    cert = ca.issue("SG-CUSTOMS", "SG", name="Singapore Customs").chain[0]
    assert identity_from_name(cert.subject) == SG
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.digital_signature and usage.value.content_commitment
    assert not usage.value.key_cert_sign
    constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.critical and not constraints.value.ca
    ski = ca.root.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)


def test_root_certificate_is_a_ca_for_certificates_only() -> None:
    facts = info(TestCA(algorithm="EdDSA").root)
    assert facts.is_ca and facts.can_sign_certificates and facts.path_length == 0
    assert facts.identity is None
    assert facts.algorithm == "EdDSA"


def test_ca_issues_from_a_request_with_the_identity_the_request_names(tmp_path: Path) -> None:
    now = TEST_EPOCH
    ca = CertificateAuthority.create(name="Pilot Root", now=now).save(tmp_path / "ca", b"pw")
    key = generate_private_key("EdDSA")
    (tmp_path / "req.pem").write_bytes(build_csr(key, SG).public_bytes(_pem()))
    issued = ca.issue(load_csr(tmp_path / "req.pem"), now=now, validity=timedelta(days=30))
    assert identity_from_name(issued.subject) == SG
    assert issued.not_valid_after_utc == now + timedelta(days=30)
    assert issued.not_valid_before_utc == now - timedelta(minutes=5)
    assert list((tmp_path / "ca" / "issued").iterdir())
    assert ChainValidator([ca.certificate]).path((info(issued),))[-1].certificate == ca.certificate
    reloaded = CertificateAuthority.load(tmp_path / "ca", b"pw")
    assert reloaded.certificate == ca.certificate
    with pytest.raises(Conflict):
        CertificateAuthority.create(name="again", now=now).save(tmp_path / "ca")


def test_ca_never_issues_beyond_its_own_validity() -> None:
    ca = CertificateAuthority.create(name="Short", now=TEST_EPOCH, validity=timedelta(days=10))
    request = build_csr(generate_private_key("ES256"), SG)
    issued = ca.issue(request, now=TEST_EPOCH, validity=timedelta(days=365))
    assert issued.not_valid_after_utc == ca.certificate.not_valid_after_utc


def test_ca_refuses_a_request_without_identity_or_with_a_foreign_signature() -> None:
    ca = CertificateAuthority.create(name="Root", now=TEST_EPOCH)
    key = generate_private_key("ES256")
    anonymous = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "someone")]))
        .sign(key, hashes.SHA256())
    )
    with pytest.raises(TrustError) as refused:
        ca.issue(anonymous, now=TEST_EPOCH)
    assert refused.value.code == "CA_CSR_INVALID"
    good = build_csr(generate_private_key("EdDSA"), SG).public_bytes(_pem())
    other = build_csr(generate_private_key("EdDSA"), SG).public_bytes(_pem())
    spliced = x509.load_pem_x509_csr(_swap_signature(good, other))
    with pytest.raises(TrustError) as forged:
        ca.issue(spliced, now=TEST_EPOCH)
    assert forged.value.code == "CA_CSR_INVALID"


def test_chain_is_anchored_by_fingerprint_or_by_issuer_and_cut_at_the_root() -> None:
    ca = TestCA()
    leaf = ca.issue("SG-CUSTOMS", "SG").chain[0]
    validator = ChainValidator([ca.root])
    assert len(validator.path((info(leaf),))) == 2
    junk_above = TestCA().root
    assert len(validator.path((info(leaf), info(ca.root), info(junk_above)))) == 2


def test_chain_errors_have_their_own_codes() -> None:
    ca, other = TestCA(), TestCA("Other Root")
    leaf = ca.issue("SG-CUSTOMS", "SG").chain[0]
    validator = ChainValidator([ca.root])
    assert chain_error(validator, other.issue("X", "SG").chain[0]) == "SIG_CHAIN_UNTRUSTED"
    assert chain_error(validator, leaf, other.root) == "SIG_CHAIN_UNTRUSTED"
    # a leaf that claims a pinned root's name but was signed by another key
    impostor = TestCA("OriginLink Test Root").issue("X", "SG").chain[0]
    assert chain_error(validator, impostor, ca.root) == "SIG_CHAIN_BROKEN"
    # a participant certificate used as an issuer
    issued_by_leaf = build_leaf(
        generate_private_key("ES256").public_key(),
        SG,
        issuer=leaf,
        issuer_key=ca.issue("Y", "SG").private_key,
        not_before=TEST_EPOCH,
        not_after=TEST_EPOCH + timedelta(days=1),
    )
    assert chain_error(validator, issued_by_leaf, leaf) == "SIG_CHAIN_NOT_CA"
    assert chain_error(validator) == "SIG_CHAIN_MISSING"


def test_path_length_zero_root_refuses_an_intermediate() -> None:
    ca = TestCA()
    key = generate_private_key("ES256")
    intermediate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "Intermediate")]))
        .issuer_name(ca.root.subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(TEST_EPOCH)
        .not_valid_after(TEST_EPOCH + timedelta(days=99))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca.authority.key, hashes.SHA256())
    )
    leaf = build_leaf(
        generate_private_key("ES256").public_key(),
        SG,
        issuer=intermediate,
        issuer_key=key,
        not_before=TEST_EPOCH,
        not_after=TEST_EPOCH + timedelta(days=9),
    )
    validator = ChainValidator([ca.root])
    assert chain_error(validator, leaf, intermediate) == "SIG_CHAIN_NOT_CA"
    assert len(ChainValidator([intermediate]).path((info(leaf),))) == 2


def test_validity_is_checked_for_every_certificate_of_the_path() -> None:
    ca = TestCA(validity=timedelta(days=100))
    leaf = ca.issue("SG-CUSTOMS", "SG", not_after=TEST_EPOCH + timedelta(days=300)).chain[0]
    path = ChainValidator([ca.root]).path((info(leaf),))
    check_validity(path, TEST_EPOCH + timedelta(days=50))
    for moment, code in (
        (TEST_EPOCH - timedelta(seconds=1), "SIG_CERT_NOT_YET_VALID"),
        (TEST_EPOCH + timedelta(days=200), "SIG_CERT_EXPIRED"),  # the root has expired
    ):
        with pytest.raises(TrustError) as info_:
            check_validity(path, moment)
        assert info_.value.code == code


def test_chain_results_are_cached_including_refusals() -> None:
    ca = TestCA()
    validator = ChainValidator([ca.root], cache_size=2)
    leaves = [info(ca.issue(f"P{i}", "SG").chain[0]) for i in range(3)]
    for leaf in leaves:
        validator.path((leaf,))
    assert validator.path((leaves[2],)) == validator.path((leaves[2],))
    rogue = info(TestCA().issue("R", "SG").chain[0])
    for _ in range(2):
        with pytest.raises(TrustError):
            validator.path((rogue,))


def _pem() -> Encoding:
    return Encoding.PEM


def _swap_signature(good: bytes, other: bytes) -> bytes:
    """``good``'s request body with ``other``'s signature (Ed25519 signatures have one length)."""
    a, b = x509.load_pem_x509_csr(good), x509.load_pem_x509_csr(other)
    assert len(a.signature) == len(b.signature) == 64
    der = a.public_bytes(Encoding.DER).replace(a.signature, b.signature)
    return x509.load_der_x509_csr(der).public_bytes(Encoding.PEM)


def test_ca_folder_problems_are_reported(tmp_path: Path) -> None:
    ca = CertificateAuthority.create(name="Root", now=TEST_EPOCH).save(tmp_path / "ca")
    leaf = TestCA().issue("X", "SG")
    (tmp_path / "ca" / "ca.cert.pem").write_bytes(certificates_pem(leaf.chain[:1]))
    with pytest.raises(TrustError) as not_ca:
        CertificateAuthority.load(tmp_path / "ca")
    assert not_ca.value.code == "CA_NOT_A_CA"
    (tmp_path / "ca" / "ca.cert.pem").write_bytes(certificates_pem([TestCA().root]))
    with pytest.raises(TrustError) as mismatch:
        CertificateAuthority.load(tmp_path / "ca")
    assert mismatch.value.code == "KEY_CERT_MISMATCH"
    with pytest.raises(InputError, match="ca init"):
        CertificateAuthority.load(tmp_path / "nowhere")
    p384 = ec.generate_private_key(ec.SECP384R1())
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(SG.subject())
        .sign(p384, hashes.SHA256())
    )
    with pytest.raises(TrustError) as unsupported:
        ca.issue(request, now=TEST_EPOCH)
    assert unsupported.value.code == "KEY_ALGORITHM_UNSUPPORTED"
