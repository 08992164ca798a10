"""A node's own trust material on disk, and the two workflows that change it.

``<home>`` (``--home``, ``ORIGINLINK_HOME``, default ``./.originlink``) holds ``keys/`` (see
:mod:`originlink.trust.signer` for the layout), ``ca/`` (only on the node that runs the pilot
network's CA, see :mod:`originlink.trust.ca`) and ``trust/`` (pinned roots and accepted trust
lists, see :mod:`originlink.trust.trustlist`).

* :func:`init_keys` makes a participant's key and request, and the certificate when the CA is at
  hand; with ``rotate`` the current key is kept under ``keys/previous/`` first.
* :func:`export_trust_list` writes the participant's next trust list (sequence + 1, the current
  certificate added, revocations applied), signs it with a key partners already trust, and
  accepts it into the node's own store through the same checks a partner applies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from originlink.domain.clock import Clock
from originlink.domain.errors import Conflict, InputError, TrustError
from originlink.trust.ca import LEAF_VALIDITY, CertificateAuthority
from originlink.trust.certificates import (
    Identity,
    build_csr,
    certificates_pem,
    fingerprint,
    info,
    load_pem_certificates,
)
from originlink.trust.files import MAX_PEM_BYTES, ensure_dir, read_limited, write_atomic
from originlink.trust.keys import Algorithm, generate_private_key, write_private_key
from originlink.trust.listmodel import Contact, ListedCertificate, TrustList, sign_trust_list
from originlink.trust.signer import (
    PREVIOUS_DIR,
    KeyFiles,
    Signer,
    archived_signers,
    load_participant_signer,
)
from originlink.trust.trustlist import TrustStore


@dataclass(frozen=True, slots=True)
class NodeHome:
    root: Path
    ca_override: Path | None = None

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def ca_dir(self) -> Path:
        return self.ca_override or self.root / "ca"

    @property
    def trust_dir(self) -> Path:
        return self.root / "trust"

    def trust_store(self, clock: Clock | None = None) -> TrustStore:
        return TrustStore.open(self.trust_dir, clock=clock)


@dataclass(frozen=True, slots=True)
class KeyInitResult:
    files: KeyFiles
    certificate: x509.Certificate | None
    archived: str | None


def init_keys(
    home: NodeHome,
    identity: Identity,
    *,
    now: datetime,
    algorithm: Algorithm = "ES256",
    passphrase: bytes | None = None,
    ca: CertificateAuthority | None = None,
    validity: timedelta = LEAF_VALIDITY,
    rotate: bool = False,
) -> KeyInitResult:
    """Make a key (mode 0600) and a request for ``identity``; certify it when ``ca`` is given."""
    keys_dir = ensure_dir(home.keys_dir, private=True)
    files = KeyFiles.of(keys_dir, identity.participant_id)
    archived = None
    if files.key.exists():
        if not rotate:
            raise Conflict(
                f"{identity.participant_id} already has a key in {keys_dir}; "
                "use --rotate to replace it (the old key is kept for signing the next trust list)"
            )
        archived = _archive(keys_dir, files)
    key = generate_private_key(algorithm)
    write_private_key(files.key, key, passphrase)
    csr = build_csr(key, identity)
    write_atomic(files.csr, csr.public_bytes(serialization.Encoding.PEM))
    certificate = None
    if ca is not None:
        certificate = ca.issue(csr, now=now, validity=validity)
        write_atomic(files.cert, certificates_pem([certificate]))
        write_atomic(files.chain, certificates_pem([ca.certificate]))
    return KeyInitResult(files, certificate, archived)


def _archive(keys_dir: Path, files: KeyFiles) -> str:
    if not files.cert.is_file():
        raise Conflict(f"{files.key} has no certificate yet; finish or delete it before rotating")
    data = read_limited(files.cert, max_bytes=MAX_PEM_BYTES, what="certificate")
    prefix = fingerprint(load_pem_certificates(data, what=str(files.cert))[0])[:16]
    participant = files.key.name[: -len(".key.pem")]
    ensure_dir(keys_dir / PREVIOUS_DIR, private=True)
    target = KeyFiles.of(keys_dir, participant, prefix)
    for source, destination in zip(files.paths(), target.paths(), strict=True):
        if source.exists():
            source.replace(destination)
    return prefix


def next_trust_list(
    previous: TrustList | None,
    current: x509.Certificate,
    *,
    issued_at: datetime,
    name: str | None = None,
    agreements: Sequence[str] | None = None,
    endpoints: Mapping[str, str] | None = None,
    revocations: Mapping[str, tuple[datetime, str | None]] | None = None,
    contact: Contact | None = None,
) -> TrustList:
    """The list after ``previous``: same participant, next sequence, ``current`` listed,
    ``revocations`` (SHA-256 or a unique prefix of at least 16 hex digits) applied. A revocation
    already published is never moved: that would make signatures valid again."""
    identity = info(current).identity
    if identity is None:
        raise TrustError("the certificate names no participant", code="TRUSTLIST_CERT_MISMATCH")
    entries = list(previous.certificates) if previous else []
    if all(e.sha256 != fingerprint(current) for e in entries):
        entries.append(ListedCertificate.of(current))
    for wanted, (revoked_at, reason) in (revocations or {}).items():
        matches = [
            i for i, e in enumerate(entries) if len(wanted) >= 16 and e.sha256.startswith(wanted)
        ]
        if len(matches) != 1:
            raise InputError(f"no single listed certificate has the fingerprint {wanted!r}")
        entry = entries[matches[0]]
        if entry.revoked_at is None:
            entries[matches[0]] = entry.model_copy(
                update={"revoked_at": revoked_at, "revocation_reason": reason}
            )
    roles = list(previous.roles) if previous else []
    if identity.role not in roles:
        roles.append(identity.role)
    return TrustList(
        participant_id=identity.participant_id,
        name=name or (previous.name if previous else identity.name or identity.participant_id),
        country=identity.country,
        roles=roles,
        agreements=list(agreements)
        if agreements
        else list(previous.agreements if previous else []),
        endpoints=dict(endpoints) if endpoints else dict(previous.endpoints if previous else {}),
        contact=contact or (previous.contact if previous else None),
        certificates=entries,
        sequence=(previous.sequence + 1) if previous else 1,
        issued_at=issued_at,
    )


def choose_list_signer(
    previous: TrustList | None, candidates: Sequence[Signer], new: TrustList, at: datetime
) -> Signer:
    """The first candidate partners will accept for ``new`` (see the rules in
    :mod:`originlink.trust.trustlist`); ``TRUSTLIST_NO_SIGNER`` when there is none."""
    for candidate in candidates:
        sha = candidate.key_id
        newer = new.entry(sha)
        if newer is not None and newer.revoked_by(at):
            continue
        if previous is None or (
            (entry := previous.entry(sha)) is not None
            and not entry.revoked_by(at)
            and info(candidate.chain[0]).valid_at(at)
        ):
            return candidate
    raise TrustError(
        f"none of the keys of {new.participant_id} is listed (and unrevoked) in its previous "
        "trust list; sign with the network's root instead (--sign-with-ca)",
        code="TRUSTLIST_NO_SIGNER",
    )


def export_trust_list(
    home: NodeHome,
    participant_id: str,
    *,
    clock: Clock,
    passphrase: bytes | None = None,
    name: str | None = None,
    agreements: Sequence[str] | None = None,
    endpoints: Mapping[str, str] | None = None,
    revocations: Mapping[str, tuple[datetime, str | None]] | None = None,
    root_signer: Signer | None = None,
    contact: Contact | None = None,
) -> bytes:
    """Sign and accept the participant's next trust list; returns its signed JSON."""
    now = clock.now()
    store = home.trust_store(clock)
    previous = store.participant(participant_id)
    current = load_participant_signer(home.keys_dir, participant_id, passphrase)
    new = next_trust_list(
        previous,
        current.chain[0],
        issued_at=now,
        name=name,
        agreements=agreements,
        endpoints=endpoints,
        revocations=revocations,
        contact=contact,
    )
    if root_signer is not None:
        signer = root_signer
    else:
        candidates = [current, *archived_signers(home.keys_dir, participant_id, passphrase)]
        signer = choose_list_signer(previous, candidates, new, now)
    signed = sign_trust_list(new, signer, signing_time=now)
    store.import_list(signed)
    return signed
