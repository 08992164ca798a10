"""Trust lists: the model, the import rules (pinned root, first list, rotation), the store."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from originlink.domain.clock import FrozenClock
from originlink.domain.errors import InputError, TrustError
from originlink.testing import TEST_EPOCH, TestCA
from originlink.trust.certificates import Role
from originlink.trust.jws import read_header
from originlink.trust.listmodel import ListedCertificate, TrustList, parse_signed
from originlink.trust.signer import KeySigner
from originlink.trust.trustlist import TrustStore

LATER = TEST_EPOCH + timedelta(days=30)


@pytest.fixture
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
def sg(ca: TestCA) -> KeySigner:
    return ca.issue("SG-CUSTOMS", "SG")


def empty_store(ca: TestCA, directory: Path | None = None) -> TrustStore:
    return TrustStore([ca.root], directory=directory, clock=FrozenClock(LATER + timedelta(days=1)))


def refusal(store: TrustStore, signed: bytes | str | dict[str, Any]) -> str:
    with pytest.raises(TrustError) as info:
        store.import_list(signed)
    return info.value.code


def test_first_list_signed_by_the_participants_own_certificate_is_accepted(
    ca: TestCA, sg: KeySigner
) -> None:
    store = empty_store(ca)
    accepted = store.import_list(ca.signed_trust_list(ca.trust_list(sg), sg))
    assert accepted.participant_id == "SG-CUSTOMS"
    assert store.participant("SG-CUSTOMS") == accepted
    assert [tl.participant_id for tl in store.participants()] == ["SG-CUSTOMS"]
    assert store.listing(sg.key_id) is not None


def test_first_list_signed_by_the_pinned_root_is_accepted(ca: TestCA, sg: KeySigner) -> None:
    assert empty_store(ca).import_list(ca.signed_trust_list(ca.trust_list(sg))).sequence == 1


def test_first_list_signed_by_someone_else_is_refused(ca: TestCA, sg: KeySigner) -> None:
    jp = ca.issue("JP-CUSTOMS", "JP")
    signed = ca.signed_trust_list(ca.trust_list(sg), jp)
    assert refusal(empty_store(ca), signed) == "TRUSTLIST_UNTRUSTED_SIGNER"
    rogue = TestCA().issue("SG-CUSTOMS", "SG")
    signed = ca.signed_trust_list(ca.trust_list(rogue), rogue)
    assert refusal(empty_store(ca), signed) == "TRUSTLIST_UNTRUSTED_SIGNER"


def test_key_rotation_old_key_vouches_for_new_then_new_revokes_old(
    ca: TestCA, sg: KeySigner
) -> None:
    store = empty_store(ca)
    store.import_list(ca.signed_trust_list(ca.trust_list(sg), sg))
    new = ca.issue("SG-CUSTOMS", "SG")
    second = ca.trust_list(sg, new, sequence=2, issued_at=LATER)
    # the new key is not in the accepted list: it cannot introduce itself
    assert refusal(store, ca.signed_trust_list(second, new)) == "TRUSTLIST_UNTRUSTED_SIGNER"
    store.import_list(ca.signed_trust_list(second, sg))
    third = ca.trust_list(sg, new, sequence=3, issued_at=LATER, revoked={sg.key_id: LATER})
    store.import_list(ca.signed_trust_list(third, new, signing_time=LATER + timedelta(hours=1)))
    entry = store.participant("SG-CUSTOMS")
    assert entry is not None and entry.entry(sg.key_id) is not None
    # the revoked key can no longer publish, even with a higher sequence
    fourth = ca.trust_list(sg, sequence=4, issued_at=LATER, revoked={sg.key_id: LATER})
    signed = ca.signed_trust_list(fourth, sg, signing_time=LATER + timedelta(hours=2))
    assert refusal(store, signed) == "TRUSTLIST_UNTRUSTED_SIGNER"


def test_a_participant_certificate_of_the_root_cannot_take_over_an_existing_list(
    ca: TestCA, sg: KeySigner
) -> None:
    store = empty_store(ca)
    store.import_list(ca.signed_trust_list(ca.trust_list(sg), sg))
    usurper = ca.issue("SG-CUSTOMS", "SG")
    signed = ca.signed_trust_list(ca.trust_list(usurper, sequence=2), usurper)
    assert refusal(store, signed) == "TRUSTLIST_UNTRUSTED_SIGNER"
    # the network operator (root) can still recover the participant
    assert store.import_list(ca.signed_trust_list(ca.trust_list(usurper, sequence=2))).sequence == 2


def test_an_older_sequence_is_refused_and_the_same_list_again_is_a_no_op(
    ca: TestCA, sg: KeySigner
) -> None:
    store = empty_store(ca)
    first = ca.signed_trust_list(ca.trust_list(sg))
    second = ca.signed_trust_list(ca.trust_list(sg, sequence=2, agreements=["RCEP", "ATIGA"]))
    store.import_list(second)
    assert refusal(store, first) == "TRUSTLIST_OLDER_SEQUENCE"
    assert store.import_list(second).sequence == 2
    conflicting = ca.signed_trust_list(ca.trust_list(sg, sequence=2, agreements=["CPTPP"]))
    assert refusal(store, conflicting) == "TRUSTLIST_SEQUENCE_CONFLICT"


def test_a_list_may_not_move_a_participant_to_another_country(ca: TestCA, sg: KeySigner) -> None:
    store = empty_store(ca)
    store.import_list(ca.signed_trust_list(ca.trust_list(sg)))
    moved = ca.issue("SG-CUSTOMS", "MY")
    signed = ca.signed_trust_list(ca.trust_list(moved, sequence=2))
    assert refusal(store, signed) == "TRUSTLIST_IDENTITY_CHANGED"


def test_a_list_signed_in_the_future_is_refused(ca: TestCA, sg: KeySigner) -> None:
    store = empty_store(ca)
    signed = ca.signed_trust_list(ca.trust_list(sg), signing_time=LATER + timedelta(days=2))
    assert refusal(store, signed) == "TRUSTLIST_FUTURE_SIGNING_TIME"


def test_a_changed_list_fails_its_signature(ca: TestCA, sg: KeySigner) -> None:
    document = json.loads(ca.signed_trust_list(ca.trust_list(sg)))
    document["trust_list"]["endpoints"]["g2g"] = "https://attacker.example/g2g"
    assert refusal(empty_store(ca), document) == "TRUSTLIST_SIGNATURE_INVALID"


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda d: d.pop("signature"), "TRUSTLIST_MALFORMED"),
        (lambda d: d["trust_list"].update(sequence=0), "TRUSTLIST_MALFORMED"),
        (lambda d: d["trust_list"].update(roles=["exporter"]), "TRUSTLIST_MALFORMED"),
        (lambda d: d["trust_list"].update(agreements=["RCEP", "RCEP"]), "TRUSTLIST_MALFORMED"),
        (lambda d: d["trust_list"].update(extra=1), "TRUSTLIST_MALFORMED"),
        (lambda d: d["trust_list"].update(participant_id="OTHER"), "TRUSTLIST_CERT_MISMATCH"),
        (lambda d: d["trust_list"].update(country="MY"), "TRUSTLIST_CERT_MISMATCH"),
        (
            lambda d: d["trust_list"]["certificates"][0].update(sha256="0" * 64),
            "TRUSTLIST_CERT_MISMATCH",
        ),
        (
            lambda d: d["trust_list"]["certificates"][0].update(not_after="2099-01-01T00:00:00Z"),
            "TRUSTLIST_CERT_MISMATCH",
        ),
        (
            lambda d: d["trust_list"]["certificates"][0].update(role="gateway"),
            "TRUSTLIST_CERT_MISMATCH",
        ),
        (
            lambda d: d["trust_list"]["certificates"].append(d["trust_list"]["certificates"][0]),
            "TRUSTLIST_CERT_MISMATCH",
        ),
    ],
)
def test_malformed_lists_are_refused_before_any_signature_check(
    ca: TestCA, sg: KeySigner, mutate: Any, code: str
) -> None:
    document = json.loads(ca.signed_trust_list(ca.trust_list(sg)))
    mutate(document)
    assert refusal(empty_store(ca), document) == code


def test_unreadable_json_is_a_malformed_list(ca: TestCA) -> None:
    assert refusal(empty_store(ca), b'{"trust_list": 1, "trust_list": 2}') == "TRUSTLIST_MALFORMED"
    assert refusal(empty_store(ca), b"\xff") == "TRUSTLIST_MALFORMED"


def test_a_trust_list_jws_has_its_own_type_so_it_is_no_co_signature(
    ca: TestCA, sg: KeySigner
) -> None:
    token = parse_signed(ca.signed_trust_list(ca.trust_list(sg), sg)).signature.value
    assert read_header(token)["typ"] == "originlink-trustlist+jws"


def test_queries_filter_by_country_agreement_and_role(ca: TestCA, sg: KeySigner) -> None:
    gateway = ca.issue("SG-CUSTOMS", "SG", "gateway")
    jp = ca.issue("JP-CUSTOMS", "JP")
    store = ca.trust_store(
        ca.signed_trust_list(ca.trust_list(sg, gateway, agreements=["RCEP", "ATIGA"])),
        ca.signed_trust_list(ca.trust_list(jp, agreements=["RCEP"])),
    )
    found = store.certificates_for(agreement="RCEP", role=Role.ISSUING_AUTHORITY)
    assert [s.participant.participant_id for s in found] == ["JP-CUSTOMS", "SG-CUSTOMS"]
    assert [s.entry.sha256 for s in store.certificates_for(country="SG", role="gateway")] == [
        gateway.key_id
    ]
    assert store.certificates_for(agreement="ATIGA", country="JP") == []
    sg_list = store.participant("SG-CUSTOMS")
    assert sg_list is not None and sg_list.endpoints == {"g2g": "https://sg-customs.example/g2g"}
    assert store.participant("NOBODY") is None


def test_is_trusted_signer_checks_chain_listing_validity_and_revocation(ca: TestCA) -> None:
    sg = ca.issue("SG-CUSTOMS", "SG", not_after=TEST_EPOCH + timedelta(days=100))
    revoked_at = TEST_EPOCH + timedelta(days=50)
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(sg, revoked={sg.key_id: revoked_at})))
    leaf = sg.chain[0]
    ask = {"country": "SG", "agreement": "RCEP", "role": "issuing-authority"}
    assert store.is_trusted_signer(leaf, at=TEST_EPOCH + timedelta(days=10), **ask)
    assert not store.is_trusted_signer(leaf, at=revoked_at, **ask)
    assert not store.is_trusted_signer(
        leaf, at=TEST_EPOCH + timedelta(days=10), **{**ask, "country": "JP"}
    )
    assert not store.is_trusted_signer(
        leaf, at=TEST_EPOCH + timedelta(days=10), **{**ask, "agreement": "X"}
    )
    assert not store.is_trusted_signer(
        leaf, at=TEST_EPOCH + timedelta(days=10), **{**ask, "role": "gateway"}
    )
    with pytest.raises(TrustError) as info:
        store.check_signer(leaf, at=TEST_EPOCH - timedelta(days=1), **ask)
    assert info.value.code == "SIG_CERT_NOT_YET_VALID"
    with pytest.raises(TrustError) as info:
        store.check_signer(leaf, at=revoked_at, **ask)
    assert info.value.code == "SIG_REVOKED"
    rogue = TestCA().issue("SG-CUSTOMS", "SG").chain[0]
    assert not store.is_trusted_signer(rogue, at=TEST_EPOCH + timedelta(days=10), **ask)


def test_the_store_persists_roots_and_lists_and_reads_them_back(
    tmp_path: Path, ca: TestCA, sg: KeySigner
) -> None:
    store = empty_store(ca, tmp_path)
    store.pin_root(ca.root)
    signed = ca.signed_trust_list(ca.trust_list(sg), sg)
    store.import_list(signed)
    assert (tmp_path / "lists" / "SG-CUSTOMS.json").read_bytes() == signed
    assert len(list((tmp_path / "roots").glob("*.pem"))) == 1
    reopened = TrustStore.open(tmp_path, clock=FrozenClock(LATER))
    assert reopened.roots == (ca.root,)
    assert reopened.participant("SG-CUSTOMS") == store.participant("SG-CUSTOMS")
    assert reopened.signed_form("SG-CUSTOMS") == signed
    assert reopened.listing(sg.key_id) is not None
    assert (
        refusal(reopened, ca.signed_trust_list(ca.trust_list(sg, agreements=["X"])))
        == "TRUSTLIST_SEQUENCE_CONFLICT"
    )


def test_a_misplaced_list_file_is_refused_on_open(
    tmp_path: Path, ca: TestCA, sg: KeySigner
) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "JP-CUSTOMS.json").write_bytes(ca.signed_trust_list(ca.trust_list(sg)))
    with pytest.raises(InputError, match="holds the list of SG-CUSTOMS"):
        TrustStore.open(tmp_path)


def test_only_self_signed_ca_certificates_can_be_pinned(ca: TestCA, sg: KeySigner) -> None:
    with pytest.raises(TrustError) as info:
        TrustStore([sg.chain[0]])
    assert info.value.code == "CA_NOT_A_CA"


def test_listed_certificate_entries_state_what_the_certificate_says(sg: KeySigner) -> None:
    cert: x509.Certificate = sg.chain[0]
    entry = ListedCertificate.of(cert, revoked_at=LATER, revocation_reason="key compromise")
    assert entry.sha256 == sg.key_id
    assert entry.not_before == cert.not_valid_before_utc
    assert entry.revoked_by(LATER) and not entry.revoked_by(LATER - timedelta(seconds=1))
    trust_list = TrustList(
        participant_id="SG-CUSTOMS",
        name="Singapore Customs",
        country="SG",
        roles=[Role.ISSUING_AUTHORITY],
        certificates=[entry],
        sequence=1,
        issued_at=TEST_EPOCH,
    )
    assert trust_list.to_json()["certificates"][0]["revocation_reason"] == "key compromise"
    assert trust_list.entry("0" * 64) is None
