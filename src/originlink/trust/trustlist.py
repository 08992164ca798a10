"""Trust lists and the store that decides whom to trust.

A :class:`TrustStore` holds the pinned roots and the accepted trust list of each participant.
It answers the questions the rest of the system asks (who is participant X, which certificates
sign for country C under agreement A in role R, is this certificate a trusted signer at time T)
and it is the only way in for a new trust list (:meth:`TrustStore.import_list`).

Why a new list is trusted (else ``TRUSTLIST_UNTRUSTED_SIGNER``):

1. it is signed by a pinned root itself (a network operator's endorsement, e.g. the first list
   or a recovery after the participant lost its keys); or
2. it is the participant's first list and it is signed by the participant's own certificate
   (``CN`` = its id), chaining to a pinned root; or
3. it follows an accepted list and is signed by a certificate that list names, valid and not
   revoked at the signing time (key rotation: the old key vouches for the new one).

A sequence number lower than the accepted one is refused (``TRUSTLIST_OLDER_SEQUENCE``), as is a
different list under the same number (``TRUSTLIST_SEQUENCE_CONFLICT``); the very same list again is
a no-op. On disk (``<home>/trust``): ``roots/<sha256-prefix>.pem`` and
``lists/<participant>.json`` (the signed form as received); writes are atomic. Lists read back
from disk are not re-verified: they were when imported, and the folder is the node's own state.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509

from originlink.domain.clock import Clock, SystemClock
from originlink.domain.errors import InputError, TrustError
from originlink.trust.certificates import (
    CertificateInfo,
    Role,
    certificates_pem,
    info,
    load_pem_certificates,
)
from originlink.trust.chain import ChainValidator, check_validity
from originlink.trust.files import (
    MAX_PEM_BYTES,
    MAX_TRUSTLIST_BYTES,
    ensure_dir,
    read_limited,
    write_atomic,
)
from originlink.trust.jws import parse_signing_time, verify_detached
from originlink.trust.listmodel import (
    TRUSTLIST_TYPE,
    ListedCertificate,
    SignedTrustList,
    TrustList,
    parse_signed,
    sign_trust_list,
)

__all__ = [
    "DEFAULT_SKEW",
    "TRUSTLIST_TYPE",
    "ListedCertificate",
    "ListedSigner",
    "SignedTrustList",
    "TrustList",
    "TrustStore",
    "parse_signed",
    "sign_trust_list",
]

#: Allowed clock difference between a signer and this node.
DEFAULT_SKEW = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class ListedSigner:
    """A certificate as one accepted trust list lists it."""

    participant: TrustList
    entry: ListedCertificate
    info: CertificateInfo


class TrustStore:
    """Pinned roots plus accepted trust lists; thread-safe; optionally backed by a folder."""

    def __init__(
        self,
        roots: Iterable[x509.Certificate] = (),
        *,
        directory: Path | None = None,
        clock: Clock | None = None,
        skew: timedelta = DEFAULT_SKEW,
    ) -> None:
        self._directory = directory
        self._clock: Clock = clock or SystemClock()
        self.skew = skew
        self._lock = threading.RLock()
        self._roots: dict[str, x509.Certificate] = {}
        self._lists: dict[str, TrustList] = {}
        self._signed: dict[str, bytes] = {}
        self._by_fingerprint: dict[str, ListedSigner] = {}
        for root in roots:
            self._add_root(root)
        self._chains = ChainValidator(self._roots.values())

    # --- persistence -----------------------------------------------------------------------

    @classmethod
    def open(
        cls, directory: Path, *, clock: Clock | None = None, skew: timedelta = DEFAULT_SKEW
    ) -> TrustStore:
        """The store kept in ``directory`` (``roots/``, ``lists/``); empty when new."""
        roots: list[x509.Certificate] = []
        for path in sorted((directory / "roots").glob("*.pem")):
            data = read_limited(path, max_bytes=MAX_PEM_BYTES, what="pinned root")
            roots.extend(load_pem_certificates(data, what=str(path)))
        store = cls(roots, directory=directory, clock=clock, skew=skew)
        for path in sorted((directory / "lists").glob("*.json")):
            data = read_limited(path, max_bytes=MAX_TRUSTLIST_BYTES, what="trust list")
            signed = parse_signed(data, what=str(path))
            if f"{signed.trust_list.participant_id}.json" != path.name:
                raise InputError(f"{path} holds the list of {signed.trust_list.participant_id}")
            store._accept(signed.trust_list, data, persist=False)
        return store

    def _write(self, folder: str, name: str, data: bytes) -> None:
        if self._directory is not None:
            target = ensure_dir(self._directory / folder)
            write_atomic(target / name, data)

    # --- roots ------------------------------------------------------------------------------

    def _add_root(self, root: x509.Certificate) -> str:
        facts = info(root)
        if not facts.is_ca or root.subject != root.issuer:
            raise TrustError(
                f"{root.subject.rfc4514_string()!r} is not a self-signed CA certificate",
                code="CA_NOT_A_CA",
            )
        self._roots[facts.sha256] = root
        return facts.sha256

    def pin_root(self, root: x509.Certificate) -> str:
        """Trust ``root`` from now on; returns its SHA-256 fingerprint."""
        with self._lock:
            sha = self._add_root(root)
            self._chains = ChainValidator(self._roots.values())
            self._write("roots", f"{sha[:16]}.pem", certificates_pem([root]))
            return sha

    @property
    def roots(self) -> tuple[x509.Certificate, ...]:
        return tuple(self._roots.values())

    def chain_path(self, chain: Sequence[CertificateInfo]) -> tuple[CertificateInfo, ...]:
        """The path from ``chain[0]`` to a pinned root (cached; raises ``SIG_CHAIN_*``)."""
        return self._chains.path(chain)

    def now(self) -> datetime:
        return self._clock.now()

    # --- queries ----------------------------------------------------------------------------

    def participant(self, participant_id: str) -> TrustList | None:
        return self._lists.get(participant_id)

    def participants(self) -> list[TrustList]:
        return [self._lists[k] for k in sorted(self._lists)]

    def signed_form(self, participant_id: str) -> bytes | None:
        """The signed trust list of ``participant_id`` as it was accepted (to pass it on)."""
        return self._signed.get(participant_id)

    def listing(self, sha256: str) -> ListedSigner | None:
        return self._by_fingerprint.get(sha256)

    def certificates_for(
        self,
        *,
        country: str | None = None,
        agreement: str | None = None,
        role: Role | str | None = None,
    ) -> list[ListedSigner]:
        """Listed certificates matching every filter given (revoked ones included: a revoked
        certificate still verifies what it signed before its revocation)."""
        found = []
        for listed in self._by_fingerprint.values():
            tl = listed.participant
            if country is not None and tl.country != country:
                continue
            if agreement is not None and agreement not in tl.agreements:
                continue
            if role is not None and listed.entry.role != Role(role):
                continue
            found.append(listed)
        return sorted(found, key=lambda s: (s.participant.participant_id, s.entry.sha256))

    def listed_signer(
        self, leaf: CertificateInfo, *, country: str, agreement: str | None, role: Role | str
    ) -> ListedSigner:
        """The listing of ``leaf`` for this use, or a :class:`TrustError` saying why not
        (``SIG_SIGNER_NOT_LISTED``, ``SIG_ROLE_NOT_LISTED``, ``SIG_COUNTRY_MISMATCH``,
        ``SIG_AGREEMENT_NOT_LISTED``)."""
        listed = self._by_fingerprint.get(leaf.sha256)
        if listed is None:
            raise TrustError(
                f"certificate sha256:{leaf.sha256[:16]}… is in no accepted trust list",
                code="SIG_SIGNER_NOT_LISTED",
            )
        tl = listed.participant
        if listed.entry.role != Role(role) or Role(role) not in tl.roles:
            raise TrustError(
                f"{tl.participant_id} lists this certificate for {listed.entry.role.value}, "
                f"not {Role(role).value}",
                code="SIG_ROLE_NOT_LISTED",
            )
        if tl.country != country:
            raise TrustError(
                f"{tl.participant_id} is listed for {tl.country}, not {country}",
                code="SIG_COUNTRY_MISMATCH",
            )
        if agreement is not None and agreement not in tl.agreements:
            listed_agreements = ", ".join(tl.agreements) or "none"
            raise TrustError(
                f"{tl.participant_id} is listed for {listed_agreements}, not {agreement}",
                code="SIG_AGREEMENT_NOT_LISTED",
            )
        return listed

    def check_signer(
        self,
        cert: x509.Certificate,
        *,
        country: str,
        agreement: str | None,
        role: Role | str,
        at: datetime,
        chain: Sequence[x509.Certificate] = (),
    ) -> ListedSigner:
        """All of it at once: chain to a pinned root, listing for this use, validity and
        revocation at ``at``. Raises :class:`TrustError` with the first failing code."""
        leaf = info(cert)
        path = self.chain_path((leaf, *(info(c) for c in chain)))
        listed = self.listed_signer(leaf, country=country, agreement=agreement, role=role)
        check_validity(path, at)
        if listed.entry.revoked_by(at):
            raise TrustError(
                f"revoked at {listed.entry.revoked_at}, not after {at}", code="SIG_REVOKED"
            )
        return listed

    def is_trusted_signer(
        self,
        cert: x509.Certificate,
        *,
        country: str,
        agreement: str | None,
        role: Role | str,
        at: datetime,
        chain: Sequence[x509.Certificate] = (),
    ) -> bool:
        """Whether :meth:`check_signer` accepts ``cert``."""
        try:
            self.check_signer(
                cert, country=country, agreement=agreement, role=role, at=at, chain=chain
            )
        except TrustError:
            return False
        return True

    # --- import -----------------------------------------------------------------------------

    def import_list(self, signed: bytes | str | Mapping[str, Any]) -> TrustList:
        """Verify and accept a signed trust list; returns it, or raises :class:`TrustError`."""
        document = parse_signed(signed)
        new = document.trust_list
        try:
            verified = verify_detached(
                document.signature.value, new.canonical(), expected_type=TRUSTLIST_TYPE
            )
            signed_at = parse_signing_time(verified.header)
        except TrustError as exc:
            raise TrustError(
                f"trust list of {new.participant_id}: {exc.code}: {exc.detail}",
                code="TRUSTLIST_SIGNATURE_INVALID",
            ) from None
        if signed_at > self.now() + self.skew:
            raise TrustError(
                f"trust list of {new.participant_id} claims to be signed at {signed_at}",
                code="TRUSTLIST_FUTURE_SIGNING_TIME",
            )
        with self._lock:
            previous = self._lists.get(new.participant_id)
            if previous is not None:
                if self._same_or_older(previous, new):
                    return previous
                if previous.country != new.country:
                    raise TrustError(
                        f"{new.participant_id} was listed for {previous.country}, "
                        f"now for {new.country}",
                        code="TRUSTLIST_IDENTITY_CHANGED",
                    )
            self._check_list_signer(verified.chain, new, previous, signed_at)
            if isinstance(signed, bytes):
                raw = signed
            elif isinstance(signed, str):
                raw = signed.encode("utf-8")
            else:
                raw = _serialise(document)
            self._accept(new, raw, persist=True)
            return new

    def _same_or_older(self, previous: TrustList, new: TrustList) -> bool:
        if new.sequence < previous.sequence:
            raise TrustError(
                f"trust list of {new.participant_id} has sequence {new.sequence}; "
                f"{previous.sequence} is already accepted",
                code="TRUSTLIST_OLDER_SEQUENCE",
            )
        if new.sequence == previous.sequence:
            if new.canonical() == previous.canonical():
                return True
            raise TrustError(
                f"another trust list of {new.participant_id} with sequence {new.sequence} "
                "was already accepted",
                code="TRUSTLIST_SEQUENCE_CONFLICT",
            )
        return False

    def _check_list_signer(
        self,
        chain: Sequence[CertificateInfo],
        new: TrustList,
        previous: TrustList | None,
        signed_at: datetime,
    ) -> None:
        leaf = chain[0]
        who = f"sha256:{leaf.sha256[:16]}… ({leaf.certificate.subject.rfc4514_string()})"
        try:
            if self._chains.is_root(leaf):
                check_validity((leaf,), signed_at)
                return
            if previous is None:
                path = self.chain_path(chain)
                if leaf.identity is None or leaf.identity.participant_id != new.participant_id:
                    raise TrustError(f"{who} is not a certificate of {new.participant_id}")
                check_validity(path, signed_at)
                return
            entry = previous.entry(leaf.sha256)
            if entry is None:
                raise TrustError(f"{who} is not in the previous list of {new.participant_id}")
            check_validity((leaf,), signed_at)
            newer = new.entry(leaf.sha256)
            if entry.revoked_by(signed_at) or (newer is not None and newer.revoked_by(signed_at)):
                raise TrustError(f"{who} was revoked before it signed")
        except TrustError as exc:
            raise TrustError(
                f"trust list of {new.participant_id}, sequence {new.sequence}: {exc.detail}",
                code="TRUSTLIST_UNTRUSTED_SIGNER",
            ) from None

    def _accept(self, trust_list: TrustList, raw: bytes, *, persist: bool) -> None:
        pid = trust_list.participant_id
        if persist:
            self._write("lists", f"{pid}.json", raw)
        for sha in [
            s for s, v in self._by_fingerprint.items() if v.participant.participant_id == pid
        ]:
            del self._by_fingerprint[sha]
        for entry in trust_list.certificates:
            self._by_fingerprint[entry.sha256] = ListedSigner(trust_list, entry, entry.info)
        self._lists[pid] = trust_list
        self._signed[pid] = raw


def _serialise(document: SignedTrustList) -> bytes:
    return (document.model_dump_json(exclude_none=True, indent=2) + "\n").encode("utf-8")
