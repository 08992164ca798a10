"""Private keys on disk and signers: mode 0600, optional passphrase, key/certificate pairing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from originlink.domain.errors import InputError, InputTooLarge, TrustError
from originlink.testing import TestCA
from originlink.trust.certificates import certificates_pem
from originlink.trust.files import write_atomic
from originlink.trust.keys import (
    generate_private_key,
    load_private_key,
    parse_algorithm,
    private_key_pem,
    write_private_key,
)
from originlink.trust.signer import (
    PREVIOUS_DIR,
    KeyFiles,
    KeySigner,
    archived_signers,
    load_participant_signer,
    load_signer,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("algorithm", ["ES256", "EdDSA"])
def test_private_keys_are_written_with_mode_0600(tmp_path: Path, algorithm: str) -> None:
    key = generate_private_key(parse_algorithm(algorithm))
    path = tmp_path / "k.pem"
    write_private_key(path, key)
    assert mode(path) == 0o600
    assert load_private_key(path).public_key() == key.public_key()


def test_replacing_a_file_keeps_the_requested_mode_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("old")
    path.chmod(0o666)
    write_atomic(path, b"new")
    assert path.read_bytes() == b"new"
    assert mode(path) == 0o600  # what a node writes is its own (issue 22)
    write_atomic(path, b"shared", mode=0o644)
    assert mode(path) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["list.json"]


def test_an_encrypted_key_needs_its_passphrase(tmp_path: Path) -> None:
    key = generate_private_key("ES256")
    path = tmp_path / "k.pem"
    write_private_key(path, key, b"correct horse")
    assert b"ENCRYPTED" in path.read_bytes()
    with pytest.raises(InputError, match="encrypted"):
        load_private_key(path)
    with pytest.raises(InputError, match="wrong passphrase"):
        load_private_key(path, b"wrong")
    assert load_private_key(path, b"correct horse").public_key() == key.public_key()


def test_a_passphrase_given_for_a_plain_key_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "k.pem"
    write_private_key(path, generate_private_key("EdDSA"))
    load_private_key(path, b"unused")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a key", "not a PEM private key"), (None, "no such file")],
)
def test_unreadable_keys_are_input_errors(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "k.pem"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        load_private_key(path)


def test_other_key_types_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "rsa.pem"
    path.write_bytes(private_key_pem(rsa.generate_private_key(65537, 2048)))  # type: ignore[arg-type]
    with pytest.raises(TrustError) as info:
        load_private_key(path)
    assert info.value.code == "KEY_ALGORITHM_UNSUPPORTED"
    p384 = tmp_path / "p384.pem"
    p384.write_bytes(private_key_pem(ec.generate_private_key(ec.SECP384R1())))
    with pytest.raises(TrustError):
        load_private_key(p384)
    with pytest.raises(TrustError):
        parse_algorithm("RS256")


def test_a_signer_refuses_a_key_that_is_not_the_certificates() -> None:
    ca = TestCA()
    one, other = ca.issue("A", "SG"), ca.issue("B", "SG")
    with pytest.raises(TrustError) as info:
        KeySigner(one.private_key, other.chain)
    assert info.value.code == "KEY_CERT_MISMATCH"


def test_signers_load_from_a_key_folder(tmp_path: Path) -> None:
    ca = TestCA()
    signer = ca.issue("SG-CUSTOMS", "SG")
    files = KeyFiles.of(tmp_path, "SG-CUSTOMS")
    write_private_key(files.key, signer.private_key, b"pw")
    with pytest.raises(InputError, match="no certificate yet"):
        load_participant_signer(tmp_path, "SG-CUSTOMS", "pw")
    files.cert.write_bytes(certificates_pem(signer.chain[:1]))
    assert load_participant_signer(tmp_path, "SG-CUSTOMS", "pw").chain == signer.chain[:1]
    files.chain.write_bytes(certificates_pem(signer.chain[1:]))
    loaded = load_participant_signer(tmp_path, "SG-CUSTOMS", b"pw")
    assert loaded.chain == signer.chain
    assert loaded.key_id == signer.key_id
    assert loaded.algorithm == "ES256"
    direct = load_signer(files.key, files.cert, files.chain, "pw")
    assert direct.sign(b"x") != direct.sign(b"x")  # ECDSA: fresh nonce each time
    with pytest.raises(InputError, match="no key for participant"):
        load_participant_signer(tmp_path, "JP-CUSTOMS")
    with pytest.raises(InputError, match="participant id"):
        KeyFiles.of(tmp_path, "../etc/passwd")


def test_archived_signers_are_found_only_for_their_participant(tmp_path: Path) -> None:
    ca = TestCA()
    old, namesake = ca.issue("SG", "SG"), ca.issue("SG.X", "SG")
    for participant, signer in (("SG", old), ("SG.X", namesake)):
        files = KeyFiles.of(tmp_path, participant, signer.key_id[:16])
        files.key.parent.mkdir(exist_ok=True)
        write_private_key(files.key, signer.private_key)
        files.cert.write_bytes(certificates_pem(signer.chain[:1]))
    assert (tmp_path / PREVIOUS_DIR / f"SG.{old.key_id[:16]}.key.pem").is_file()
    assert [s.key_id for s in archived_signers(tmp_path, "SG")] == [old.key_id]
    assert [s.key_id for s in archived_signers(tmp_path, "SG.X")] == [namesake.key_id]


def test_oversized_or_special_key_files_are_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.pem"
    big.write_bytes(b"x" * (300 * 1024))
    with pytest.raises(InputTooLarge):
        load_private_key(big)
    with pytest.raises(InputError, match="not a regular file"):
        load_private_key(tmp_path)
