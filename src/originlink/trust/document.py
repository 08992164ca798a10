"""Document signatures of a CO (``processes.md`` §7): sign, and verify in four aspects.

The issuing authority signs the RFC 8785 canonical bytes of the whole ``certificate`` member; the
exporter's optional declaration signature covers the exporter's view of it (without the
issuer-owned and gateway-owned members). Both are detached compact JWS (see
:mod:`originlink.trust.jws`), stored in ``signatures.issuing_authority`` and
``signatures.exporter`` as ``{"format": "jws", "value": ...}``. Because the payload is detached and
recomputed, the transport form (key order, whitespace) may change freely; any change of content
breaks the signature.

Verification runs on every received CO, so it keeps to one canonicalisation, one signature check
and dictionary look-ups: certificates, keys and chain validations are cached by fingerprint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from originlink.domain.dataset import (
    Certificate,
    CODocument,
    SignatureBlock,
    SignatureFormat,
    Signatures,
)
from originlink.domain.errors import TrustError
from originlink.trust.canonical import certificate_canonical_bytes, exporter_canonical_bytes
from originlink.trust.certificates import CertificateInfo, Role, info
from originlink.trust.chain import check_validity
from originlink.trust.codes import Aspect
from originlink.trust.jws import (
    VerifiedJws,
    chain_of_header,
    format_signing_time,
    parse_signing_time,
    read_header,
    sign_detached,
    verify_detached,
)
from originlink.trust.signer import Signer
from originlink.trust.trustlist import DEFAULT_SKEW, ListedSigner, TrustStore
from originlink.trust.verification import (
    AspectResult,
    DocumentVerification,
    SignatureVerification,
)

#: ``typ`` of the issuing authority's document signature.
CO_SIGNATURE_TYPE = "originlink-co+jws"
#: ``typ`` of the exporter's declaration signature.
EXPORTER_SIGNATURE_TYPE = "originlink-co-exporter+jws"
#: Identifier scheme under which a CO names its issuing authority's participant id.
TRUSTLIST_SCHEME = "TRUSTLIST"


def _require_aware(moment: datetime, what: str) -> None:
    if moment.tzinfo is None:
        raise ValueError(f"{what} must be timezone-aware (UTC)")


def _check_signer_can_sign(signer: Signer, signing_time: datetime, role: Role) -> None:
    _require_aware(signing_time, "signing_time")
    leaf = info(signer.chain[0])
    if leaf.identity is None or leaf.identity.role is not role:
        found = leaf.identity.role.value if leaf.identity else "no role"
        raise TrustError(
            f"this signature needs a {role.value} certificate; the signer's has {found}",
            code="SIGN_ROLE_MISMATCH",
        )
    if not leaf.valid_at(signing_time):
        raise TrustError(
            f"the signer's certificate is valid from {leaf.not_before} to {leaf.not_after}, "
            f"not at {signing_time}",
            code="SIGN_CERT_NOT_VALID",
        )


def _sign(payload: bytes, signer: Signer, signing_time: datetime, typ: str) -> SignatureBlock:
    token = sign_detached(
        payload, signer, extra_headers={"typ": typ, "sigT": format_signing_time(signing_time)}
    )
    return SignatureBlock(format=SignatureFormat.JWS, value=token)


def sign_document(
    doc: CODocument, signer: Signer, *, signing_time: datetime, canonical: bytes | None = None
) -> CODocument:
    """A copy of ``doc`` with ``signatures.issuing_authority`` set to a fresh JWS. A caller
    that already holds the certificate's canonical bytes may pass them (they must be
    ``certificate_canonical_bytes(doc.certificate)``) to spare a second canonicalisation."""
    _check_signer_can_sign(signer, signing_time, Role.ISSUING_AUTHORITY)
    payload = canonical if canonical is not None else certificate_canonical_bytes(doc.certificate)
    block = _sign(payload, signer, signing_time, CO_SIGNATURE_TYPE)
    signatures = (doc.signatures or Signatures()).model_copy(update={"issuing_authority": block})
    return doc.model_copy(update={"signatures": signatures})


def sign_exporter_declaration(
    doc: CODocument, signer: Signer, *, signing_time: datetime
) -> CODocument:
    """A copy of ``doc`` with ``signatures.exporter`` set: the exporter's declaration, signed
    over the certificate without issuer-owned and gateway-owned members."""
    _check_signer_can_sign(signer, signing_time, Role.EXPORTER)
    block = _sign(
        exporter_canonical_bytes(doc.certificate), signer, signing_time, EXPORTER_SIGNATURE_TYPE
    )
    signatures = (doc.signatures or Signatures()).model_copy(update={"exporter": block})
    return doc.model_copy(update={"signatures": signatures})


@dataclass(frozen=True, slots=True)
class _Expectation:
    """What one kind of signature must be: over what, of which type, by whom."""

    kind: str
    typ: str
    payload: Callable[[Certificate], bytes]
    role: Role


_ISSUER = _Expectation(
    "issuing_authority", CO_SIGNATURE_TYPE, certificate_canonical_bytes, Role.ISSUING_AUTHORITY
)
_EXPORTER = _Expectation(
    "exporter", EXPORTER_SIGNATURE_TYPE, exporter_canonical_bytes, Role.EXPORTER
)


def verify_document(
    doc: CODocument,
    trust: TrustStore,
    *,
    now: datetime,
    skew: timedelta = DEFAULT_SKEW,
    canonical: bytes | None = None,
) -> DocumentVerification:
    """Verify the issuing authority's signature of ``doc`` (and the exporter's, if present).
    A caller holding ``certificate_canonical_bytes(doc.certificate)`` may pass them."""
    _require_aware(now, "now")
    signatures = doc.signatures or Signatures()
    issuer = _verify_one(
        signatures.issuing_authority,
        doc.certificate,
        _ISSUER,
        trust,
        now=now,
        skew=skew,
        canonical=canonical,
    )
    exporter = None
    if signatures.exporter is not None:
        exporter = _verify_one(
            signatures.exporter, doc.certificate, _EXPORTER, trust, now=now, skew=skew
        )
    return DocumentVerification(issuer, exporter)


def _integrity(
    block: SignatureBlock | None,
    certificate: Certificate,
    expect: _Expectation,
    canonical: bytes | None = None,
) -> tuple[AspectResult, VerifiedJws | None]:
    """The integrity aspect, and the header and chain to judge the other aspects by (also
    after a content mismatch, so the report still says who claims to have signed)."""
    try:
        if block is None:
            raise TrustError(f"signatures.{expect.kind} is absent", code="SIG_MISSING")
        if block.format is not SignatureFormat.JWS:
            raise TrustError(f"the format is {block.format.value}", code="SIG_FORMAT_UNSUPPORTED")
        payload = canonical if canonical is not None else expect.payload(certificate)
        verified = verify_detached(block.value, payload, expected_type=expect.typ)
    except TrustError as exc:
        claimed = None
        if exc.code == "SIG_INTEGRITY" and block is not None:
            header = read_header(block.value)
            claimed = VerifiedJws(header, chain_of_header(header))
        return AspectResult.failed(Aspect.INTEGRITY, exc), claimed
    return AspectResult.passed(Aspect.INTEGRITY), verified


def _signer(
    jws: VerifiedJws, certificate: Certificate, expect: _Expectation, trust: TrustStore
) -> tuple[AspectResult, tuple[CertificateInfo, ...] | None, ListedSigner | None]:
    leaf = jws.leaf
    try:
        path = trust.chain_path(jws.chain)
        if leaf.is_ca or not leaf.can_sign:
            raise TrustError(
                "the certificate is a CA or lacks digitalSignature", code="SIG_CERT_NOT_FOR_SIGNING"
            )
        if leaf.identity is None:
            raise TrustError(
                f"subject {leaf.certificate.subject.rfc4514_string()!r}",
                code="SIG_CERT_NO_IDENTITY",
            )
        if expect.role is Role.EXPORTER:
            if leaf.identity.role is not Role.EXPORTER:
                raise TrustError(
                    f"the certificate's role is {leaf.identity.role.value}, not exporter",
                    code="SIG_ROLE_NOT_LISTED",
                )
            detail = f"exporter certificate of {leaf.identity.participant_id}"
            return AspectResult.passed(Aspect.SIGNER, detail), path, None
        listed = trust.listed_signer(
            leaf,
            country=certificate.issuing_country,
            agreement=certificate.agreement_code,
            role=expect.role,
        )
        named = {
            i.value
            for i in certificate.parties.issuing_authority.identifiers or ()
            if i.scheme == TRUSTLIST_SCHEME
        }
        signer_id = listed.participant.participant_id
        if named and signer_id not in named:
            raise TrustError(
                f"the CO names {', '.join(sorted(named))}; {signer_id} signed it",
                code="SIG_AUTHORITY_MISMATCH",
            )
    except TrustError as exc:
        return AspectResult.failed(Aspect.SIGNER, exc), None, None
    agreement = certificate.agreement_code or "no agreement"
    detail = f"{signer_id} ({certificate.issuing_country}, {agreement}, {expect.role.value})"
    return AspectResult.passed(Aspect.SIGNER, detail), path, listed


def _time(
    jws: VerifiedJws,
    path: tuple[CertificateInfo, ...] | None,
    *,
    now: datetime,
    skew: timedelta,
) -> tuple[AspectResult, datetime | None]:
    signing_time = None
    try:
        signing_time = parse_signing_time(jws.header)
        if signing_time > now + skew:
            raise TrustError(
                f"signed at {format_signing_time(signing_time)}, now is "
                f"{format_signing_time(now)} (skew {skew})",
                code="SIG_FUTURE_SIGNING_TIME",
            )
        check_validity(path or jws.chain, signing_time)
    except TrustError as exc:
        return AspectResult.failed(Aspect.TIME, exc), signing_time
    return AspectResult.passed(Aspect.TIME, f"signed at {format_signing_time(signing_time)}"), (
        signing_time
    )


def _revocation(listed: ListedSigner | None, signing_time: datetime | None) -> AspectResult:
    if listed is None:
        return AspectResult.not_checked(Aspect.REVOCATION, "the signer is not a listed signer")
    if signing_time is None:
        return AspectResult.not_checked(Aspect.REVOCATION, "the signing time is unknown")
    revoked_at = listed.entry.revoked_at
    if revoked_at is None:
        return AspectResult.passed(Aspect.REVOCATION)
    when = format_signing_time(revoked_at)
    if listed.entry.revoked_by(signing_time):
        reason = f" ({listed.entry.revocation_reason})" if listed.entry.revocation_reason else ""
        return AspectResult.failed(
            Aspect.REVOCATION,
            TrustError(
                f"revoked at {when}{reason}; signed at {format_signing_time(signing_time)}",
                code="SIG_REVOKED",
            ),
        )
    return AspectResult.passed(
        Aspect.REVOCATION, f"revoked later, at {when}: signatures made before stay valid"
    )


def _verify_one(
    block: SignatureBlock | None,
    certificate: Certificate,
    expect: _Expectation,
    trust: TrustStore,
    *,
    now: datetime,
    skew: timedelta,
    canonical: bytes | None = None,
) -> SignatureVerification:
    integrity, jws = _integrity(block, certificate, expect, canonical)
    if jws is None:
        why = "the signature could not be read"
        return SignatureVerification(
            expect.kind,
            integrity,
            AspectResult.not_checked(Aspect.SIGNER, why),
            AspectResult.not_checked(Aspect.TIME, why),
            AspectResult.not_checked(Aspect.REVOCATION, why),
        )
    signer, path, listed = _signer(jws, certificate, expect, trust)
    time, signing_time = _time(jws, path, now=now, skew=skew)
    if expect.role is Role.EXPORTER:
        revocation = AspectResult.not_applicable(
            Aspect.REVOCATION, "exporters' certificates are in no trust list"
        )
    else:
        revocation = _revocation(listed, signing_time)
    identity = jws.leaf.identity
    return SignatureVerification(
        expect.kind,
        integrity,
        signer,
        time,
        revocation,
        participant_id=(
            listed.participant.participant_id
            if listed
            else identity.participant_id
            if identity
            else None
        ),
        signing_time=signing_time,
        certificate_sha256=jws.leaf.sha256,
    )
