"""An in-memory test certificate authority with the trust lists of its participants.

Example::

    ca = TestCA()
    sg = ca.issue("SG-CUSTOMS", "SG")                 # a KeySigner, chain (leaf, root)
    store = ca.trust_store(ca.signed_trust_list(ca.trust_list(sg, agreements=["RCEP"])))
    signed = sign_document(doc, sg, signing_time=TEST_EPOCH + timedelta(days=60))
    assert verify_document(signed, store, now=...).ok

Every time is explicit and defaults to :data:`TEST_EPOCH`, so tests do not depend on the wall
clock: the root is valid for ten years from the epoch, a participant's certificate for two.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509

from originlink.domain.clock import Clock, FrozenClock
from originlink.trust.ca import CertificateAuthority
from originlink.trust.certificates import Identity, Role, build_leaf, build_root
from originlink.trust.keys import Algorithm, generate_private_key
from originlink.trust.listmodel import ListedCertificate, TrustList, sign_trust_list
from originlink.trust.signer import KeySigner, Signer
from originlink.trust.trustlist import TrustStore

#: The start of every default validity period (the appendix CO is issued two months later).
TEST_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)


class TestCA:
    """A root key and certificate in memory, issuing participants' signers."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        name: str = "OriginLink Test Root",
        *,
        algorithm: Algorithm = "ES256",
        not_before: datetime = TEST_EPOCH,
        validity: timedelta = timedelta(days=3650),
    ) -> None:
        key = generate_private_key(algorithm)
        root = build_root(key, name=name, not_before=not_before, not_after=not_before + validity)
        self.authority = CertificateAuthority(key, root)

    @property
    def root(self) -> x509.Certificate:
        return self.authority.certificate

    @property
    def signer(self) -> KeySigner:
        """The root itself as a signer."""
        return self.authority.signer

    def issue(
        self,
        participant_id: str,
        country: str = "SG",
        role: Role | str = Role.ISSUING_AUTHORITY,
        *,
        name: str | None = None,
        algorithm: Algorithm = "ES256",
        not_before: datetime = TEST_EPOCH,
        not_after: datetime | None = None,
    ) -> KeySigner:
        """A fresh key certified by this root for the given identity."""
        key = generate_private_key(algorithm)
        leaf = build_leaf(
            key.public_key(),
            Identity(participant_id, country, Role(role), name),
            issuer=self.root,
            issuer_key=self.authority.key,
            not_before=not_before,
            not_after=not_after or not_before + timedelta(days=730),
        )
        return KeySigner(key, (leaf, self.root))

    def trust_list(
        self,
        *signers: Signer,
        agreements: Sequence[str] = ("RCEP",),
        endpoints: Mapping[str, str] | None = None,
        sequence: int = 1,
        issued_at: datetime = TEST_EPOCH,
        revoked: Mapping[str, datetime] | None = None,
        name: str | None = None,
    ) -> TrustList:
        """The trust list of the participant the ``signers``' certificates belong to;
        ``revoked`` maps a signer's ``key_id`` to its revocation time."""
        entries = [
            ListedCertificate.of(s.chain[0], revoked_at=(revoked or {}).get(s.key_id))
            for s in signers
        ]
        first = entries[0].info.identity
        assert first is not None
        roles = list(dict.fromkeys(e.role for e in entries))
        return TrustList(
            participant_id=first.participant_id,
            name=name or first.participant_id,
            country=first.country,
            roles=roles,
            agreements=list(agreements),
            endpoints=dict(
                endpoints or {"g2g": f"https://{first.participant_id.lower()}.example/g2g"}
            ),
            certificates=entries,
            sequence=sequence,
            issued_at=issued_at,
        )

    def signed_trust_list(
        self,
        trust_list: TrustList,
        signer: Signer | None = None,
        *,
        signing_time: datetime | None = None,
    ) -> bytes:
        """``trust_list`` signed by ``signer`` (default: this root)."""
        return sign_trust_list(
            trust_list, signer or self.signer, signing_time=signing_time or trust_list.issued_at
        )

    def trust_store(
        self,
        *signed_lists: bytes,
        clock: Clock | None = None,
        directory: Path | None = None,
    ) -> TrustStore:
        """A store pinning this root with ``signed_lists`` imported (clock default: frozen
        one year after the epoch)."""
        store = TrustStore(
            [self.root],
            directory=directory,
            clock=clock or FrozenClock(TEST_EPOCH + timedelta(days=365)),
        )
        for signed in signed_lists:
            store.import_list(signed)
        return store
