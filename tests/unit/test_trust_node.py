"""A node's own workflows: make keys, publish trust lists, rotate and revoke keys."""

from __future__ import annotations

import json
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from originlink.domain.clock import FrozenClock
from originlink.domain.errors import Conflict, InputError, TrustError
from originlink.testing import TEST_EPOCH
from originlink.trust.ca import CertificateAuthority
from originlink.trust.certificates import Identity, Role
from originlink.trust.node import NodeHome, export_trust_list, init_keys
from originlink.trust.signer import load_participant_signer
from originlink.trust.trustlist import TrustStore

SG = Identity("SG-CUSTOMS", "SG", Role.ISSUING_AUTHORITY, "Singapore Customs")


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(TEST_EPOCH)


@pytest.fixture
def home(tmp_path: Path, clock: FrozenClock) -> NodeHome:
    node = NodeHome(tmp_path / "home")
    ca = CertificateAuthority.create(name="Pilot Root", now=clock.now()).save(node.ca_dir)
    node.trust_store(clock).pin_root(ca.certificate)
    return node


def ca_of(home: NodeHome) -> CertificateAuthority:
    return CertificateAuthority.load(home.ca_dir)


def test_keys_init_writes_a_private_key_a_request_and_the_certificate(
    home: NodeHome, clock: FrozenClock
) -> None:
    result = init_keys(home, SG, now=clock.now(), ca=ca_of(home), passphrase=b"pw")
    assert stat.S_IMODE(result.files.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(home.keys_dir.stat().st_mode) == 0o700
    assert (
        result.files.csr.is_file() and result.files.cert.is_file() and result.files.chain.is_file()
    )
    signer = load_participant_signer(home.keys_dir, "SG-CUSTOMS", b"pw")
    assert signer.chain[1] == ca_of(home).certificate
    with pytest.raises(Conflict, match="--rotate"):
        init_keys(home, SG, now=clock.now(), ca=ca_of(home))


def test_without_a_ca_only_the_request_is_written(home: NodeHome, clock: FrozenClock) -> None:
    result = init_keys(home, SG, now=clock.now(), algorithm="EdDSA")
    assert result.certificate is None and not result.files.cert.exists()
    with pytest.raises(Conflict, match="no certificate yet"):
        init_keys(home, SG, now=clock.now(), rotate=True)


def test_export_publishes_the_first_list_and_trusts_it_locally(
    home: NodeHome, clock: FrozenClock
) -> None:
    init_keys(home, SG, now=clock.now(), ca=ca_of(home))
    signed = export_trust_list(
        home,
        "SG-CUSTOMS",
        clock=clock,
        agreements=["RCEP"],
        endpoints={"g2g": "https://gw.sg.example/g2g"},
    )
    document = json.loads(signed)
    assert document["trust_list"]["sequence"] == 1
    assert document["trust_list"]["name"] == "Singapore Customs"
    assert document["trust_list"]["agreements"] == ["RCEP"]
    # a partner that pinned the same root accepts it
    partner = TrustStore(TrustStore.open(home.trust_dir).roots, clock=clock)
    assert partner.import_list(signed).participant_id == "SG-CUSTOMS"
    # the next export keeps the metadata and increments the sequence
    clock.advance(timedelta(hours=1))
    again = json.loads(export_trust_list(home, "SG-CUSTOMS", clock=clock))
    assert again["trust_list"]["sequence"] == 2
    assert again["trust_list"]["endpoints"] == {"g2g": "https://gw.sg.example/g2g"}


def test_rotation_then_revocation_through_two_exports(home: NodeHome, clock: FrozenClock) -> None:
    partner = TrustStore(TrustStore.open(home.trust_dir).roots, clock=clock)
    init_keys(home, SG, now=clock.now(), ca=ca_of(home))
    old = load_participant_signer(home.keys_dir, "SG-CUSTOMS")
    partner.import_list(export_trust_list(home, "SG-CUSTOMS", clock=clock, agreements=["RCEP"]))

    clock.advance(timedelta(days=1))
    rotated = init_keys(home, SG, now=clock.now(), ca=ca_of(home), rotate=True)
    assert rotated.archived == old.key_id[:16]
    new = load_participant_signer(home.keys_dir, "SG-CUSTOMS")
    second = export_trust_list(home, "SG-CUSTOMS", clock=clock)  # signed by the old key
    assert json.loads(second)["signature"]["value"]
    partner.import_list(second)

    clock.advance(timedelta(days=1))
    revoke_at = clock.now()
    third = export_trust_list(
        home, "SG-CUSTOMS", clock=clock, revocations={old.key_id[:16]: (revoke_at, "rotated")}
    )
    partner.import_list(third)  # signed by the new key, listed since the second list
    listed = partner.participant("SG-CUSTOMS")
    assert listed is not None
    old_entry, new_entry = listed.entry(old.key_id), listed.entry(new.key_id)
    assert old_entry is not None and old_entry.revoked_at == revoke_at
    assert new_entry is not None and new_entry.revoked_at is None

    with pytest.raises(InputError, match="fingerprint"):
        export_trust_list(home, "SG-CUSTOMS", clock=clock, revocations={"abc": (revoke_at, None)})


def test_a_key_the_previous_list_does_not_know_cannot_sign_the_next_one(
    home: NodeHome, clock: FrozenClock
) -> None:
    init_keys(home, SG, now=clock.now(), ca=ca_of(home))
    export_trust_list(home, "SG-CUSTOMS", clock=clock)
    for path in home.keys_dir.glob("SG-CUSTOMS.*"):
        path.unlink()  # keys lost, a new one made without --rotate
    init_keys(home, SG, now=clock.now(), ca=ca_of(home))
    with pytest.raises(TrustError) as refused:
        export_trust_list(home, "SG-CUSTOMS", clock=clock)
    assert refused.value.code == "TRUSTLIST_NO_SIGNER"
    recovered = export_trust_list(home, "SG-CUSTOMS", clock=clock, root_signer=ca_of(home).signer)
    assert json.loads(recovered)["trust_list"]["sequence"] == 2
