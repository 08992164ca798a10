"""The trust list of one participant (``processes.md`` P12) and its signed JSON form.

A trust list says, for one participant: who it is (id, name, country), what it does (roles),
under which agreements, where its gateway listens (endpoints, e.g. ``g2g``), which certificates
sign for it (each with validity and, once revoked, the revocation time) and a sequence number
that only grows. Signed form, as published and imported::

    {"trust_list": {...}, "signature": {"format": "jws", "value": "<detached compact JWS>"}}

The JWS covers the RFC 8785 canonical bytes of ``trust_list`` (``typ`` =
``originlink-trustlist+jws``), exactly as a CO's document signature covers its ``certificate``.
Every listed certificate is checked against its entry (fingerprint, validity, participant,
country, role), so what a human reads in the entry is what the certificate says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from cryptography import x509
from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from originlink.domain.dataset.types import (
    Code,
    CountryCode,
    DateTime,
    HttpsUri,
    Pattern,
    PositiveInt,
    Sha256Hex,
    StrictModel,
    Text256,
)
from originlink.domain.errors import InputError, TrustError
from originlink.domain.safejson import loads_bounded
from originlink.trust.canonical import canonical_bytes
from originlink.trust.certificates import (
    LISTED_ROLES,
    PARTICIPANT_ID_PATTERN,
    CertificateInfo,
    Role,
    certificate_b64,
    certificate_from_b64,
    info,
)
from originlink.trust.jws import format_signing_time, sign_detached
from originlink.trust.signer import Signer

#: ``typ`` of a trust list's JWS.
TRUSTLIST_TYPE = "originlink-trustlist+jws"

ParticipantId = Annotated[
    str, Pattern(PARTICIPANT_ID_PATTERN, "SCHEMA-VALUE", "a participant id", 64)
]
EndpointName = Annotated[
    str, Pattern(r"[a-z][a-z0-9_.-]{0,31}", "SCHEMA-VALUE", "an endpoint name")
]
CertificateB64 = Annotated[
    str, Pattern(r"[A-Za-z0-9+/]+={0,2}", "SCHEMA-VALUE", "base64 DER", 16384)
]


def _mismatch(message: str) -> PydanticCustomError:
    return PydanticCustomError("TRUSTLIST_CERT_MISMATCH", message)


class ListedCertificate(StrictModel):
    """One signing certificate of the participant, as the participant publishes it."""

    sha256: Sha256Hex
    role: Role
    not_before: DateTime
    not_after: DateTime
    revoked_at: DateTime | None = None
    revocation_reason: Text256 | None = None
    certificate: CertificateB64

    @model_validator(mode="after")
    def _matches_certificate(self) -> ListedCertificate:
        try:
            facts = certificate_from_b64(self.certificate)
        except TrustError as exc:
            raise _mismatch(exc.detail) from None
        if facts.sha256 != self.sha256:
            raise _mismatch(f"the certificate's SHA-256 is {facts.sha256}, not {self.sha256}")
        if facts.not_before != self.not_before or facts.not_after != self.not_after:
            raise _mismatch("not_before/not_after differ from the certificate's validity")
        if facts.identity is None:
            raise _mismatch("the certificate names no participant, country and role")
        if facts.identity.role is not self.role:
            raise _mismatch(f"the certificate's role is {facts.identity.role.value}")
        if self.role not in LISTED_ROLES:
            raise _mismatch(f"role {self.role.value} cannot be listed in a trust list")
        return self

    @property
    def info(self) -> CertificateInfo:
        return certificate_from_b64(self.certificate)

    def revoked_by(self, moment: datetime) -> bool:
        """Revoked at or before ``moment``: signatures made then are not valid."""
        return self.revoked_at is not None and self.revoked_at <= moment

    @classmethod
    def of(
        cls,
        cert: x509.Certificate,
        *,
        revoked_at: datetime | None = None,
        revocation_reason: str | None = None,
    ) -> ListedCertificate:
        """An entry for ``cert`` with the facts it states."""
        facts = info(cert)
        if facts.identity is None:
            raise TrustError(
                "the certificate names no participant, country and role",
                code="TRUSTLIST_CERT_MISMATCH",
            )
        return cls(
            sha256=facts.sha256,
            role=facts.identity.role,
            not_before=facts.not_before,
            not_after=facts.not_after,
            revoked_at=revoked_at,
            revocation_reason=revocation_reason,
            certificate=certificate_b64(cert),
        )


class Contact(StrictModel):
    """How a person reaches the participant (shown on the public verification page: whoever
    doubts a certificate asks its issuing authority, at the address the authority published)."""

    email: Text256 | None = None
    phone: Text256 | None = None
    address: Text256 | None = None
    web: HttpsUri | None = None

    def present(self) -> dict[str, str]:
        """The details given, in reading order."""
        return {k: str(v) for k, v in self.model_dump(mode="json").items() if v}


class TrustList(StrictModel):
    """What one participant says about itself; signed, sequenced."""

    participant_id: ParticipantId
    name: Text256
    country: CountryCode
    roles: list[Role] = Field(min_length=1)
    agreements: list[Code] = Field(default_factory=list)
    endpoints: dict[EndpointName, HttpsUri] = Field(default_factory=dict)
    contact: Contact | None = None
    certificates: list[ListedCertificate] = Field(min_length=1, max_length=64)
    sequence: PositiveInt
    issued_at: DateTime

    @model_validator(mode="after")
    def _consistent(self) -> TrustList:
        if len(set(self.roles)) != len(self.roles) or not set(self.roles) <= LISTED_ROLES:
            raise PydanticCustomError(
                "SCHEMA-VALUE", "roles must be distinct, from issuing-authority, customs, gateway"
            )
        if len(set(self.agreements)) != len(self.agreements):
            raise PydanticCustomError("SCHEMA-VALUE", "agreements must be distinct")
        seen: set[str] = set()
        for entry in self.certificates:
            identity = entry.info.identity
            assert identity is not None  # checked by ListedCertificate
            if identity.participant_id != self.participant_id or identity.country != self.country:
                raise _mismatch(
                    f"certificate sha256:{entry.sha256[:16]}… belongs to "
                    f"{identity.participant_id} ({identity.country})"
                )
            if entry.role not in self.roles:
                raise _mismatch(f"certificate role {entry.role.value} is not among the roles")
            if entry.sha256 in seen:
                raise _mismatch(f"certificate sha256:{entry.sha256[:16]}… is listed twice")
            seen.add(entry.sha256)
        return self

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)

    def canonical(self) -> bytes:
        return canonical_bytes(self.to_json())

    def entry(self, sha256: str) -> ListedCertificate | None:
        return next((e for e in self.certificates if e.sha256 == sha256), None)


class SignatureMember(StrictModel):
    format: Literal["jws"]
    value: str = Field(min_length=1, max_length=65536)


class SignedTrustList(StrictModel):
    trust_list: TrustList
    signature: SignatureMember


def sign_trust_list(trust_list: TrustList, signer: Signer, *, signing_time: datetime) -> bytes:
    """The signed JSON form of ``trust_list`` (UTF-8, indented for people)."""
    token = sign_detached(
        trust_list.canonical(),
        signer,
        extra_headers={"typ": TRUSTLIST_TYPE, "sigT": format_signing_time(signing_time)},
    )
    document = {"trust_list": trust_list.to_json(), "signature": {"format": "jws", "value": token}}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def parse_signed(
    data: bytes | str | Mapping[str, Any], *, what: str = "trust list"
) -> SignedTrustList:
    """Read a signed trust list (not yet verified); ``TRUSTLIST_MALFORMED`` or
    ``TRUSTLIST_CERT_MISMATCH`` with the first problem's path."""
    try:
        raw = data if isinstance(data, Mapping) else loads_bounded(data, what=what)
    except InputError as exc:
        raise TrustError(exc.detail, code="TRUSTLIST_MALFORMED") from None
    try:
        return SignedTrustList.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        code = (
            "TRUSTLIST_CERT_MISMATCH"
            if first["type"] == "TRUSTLIST_CERT_MISMATCH"
            else "TRUSTLIST_MALFORMED"
        )
        raise TrustError(f"{what}: {where}: {first['msg']}", code=code) from None
