"""Results of a signature verification: four aspects, each with its own status, code, sentence.

Keeping the aspects apart tells an officer *what* is wrong: a changed document (integrity), a
signer nobody listed (signer), a certificate used outside its validity (time), or a key revoked
before it signed (revocation). Each aspect has a stable code from
:mod:`originlink.trust.codes`, the stable sentence of that code and a ``detail`` with the facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from originlink.domain.errors import TrustError
from originlink.trust.codes import (
    NOT_APPLICABLE,
    NOT_CHECKED,
    OK,
    OK_SENTENCES,
    Aspect,
    sentence,
)
from originlink.trust.jws import format_signing_time


class Status(StrEnum):
    OK = "ok"
    FAILED = "failed"
    NOT_CHECKED = "not_checked"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class AspectResult:
    aspect: Aspect
    status: Status
    code: str
    sentence: str
    detail: str = ""

    @classmethod
    def passed(cls, aspect: Aspect, detail: str = "") -> AspectResult:
        return cls(aspect, Status.OK, OK, OK_SENTENCES[aspect], detail)

    @classmethod
    def failed(cls, aspect: Aspect, error: TrustError) -> AspectResult:
        return cls(aspect, Status.FAILED, error.code, sentence(error.code), error.detail)

    @classmethod
    def not_checked(cls, aspect: Aspect, why: str) -> AspectResult:
        return cls(aspect, Status.NOT_CHECKED, NOT_CHECKED, f"Not checked: {why}.")

    @classmethod
    def not_applicable(cls, aspect: Aspect, why: str) -> AspectResult:
        return cls(aspect, Status.NOT_APPLICABLE, NOT_APPLICABLE, f"Not applicable: {why}.")

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status.value,
            "code": self.code,
            "sentence": self.sentence,
        }
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class SignatureVerification:
    """The verification of one signature of a document."""

    kind: str
    integrity: AspectResult
    signer: AspectResult
    time: AspectResult
    revocation: AspectResult
    participant_id: str | None = None
    signing_time: datetime | None = None
    certificate_sha256: str | None = None

    @property
    def aspects(self) -> tuple[AspectResult, ...]:
        return (self.integrity, self.signer, self.time, self.revocation)

    @property
    def ok(self) -> bool:
        return all(a.status in (Status.OK, Status.NOT_APPLICABLE) for a in self.aspects)

    @property
    def failures(self) -> list[AspectResult]:
        return [a for a in self.aspects if a.status is Status.FAILED]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "participant_id": self.participant_id,
            "signing_time": (format_signing_time(self.signing_time) if self.signing_time else None),
            "certificate_sha256": self.certificate_sha256,
            **{a.aspect.value: a.as_dict() for a in self.aspects},
        }


@dataclass(frozen=True, slots=True)
class DocumentVerification:
    """A CO's verification: the issuing authority's signature, and the exporter's if present.

    The four aspects, the signer and the signing time are those of the issuing authority's
    signature; ``ok`` also requires a present exporter signature to verify.
    """

    issuing_authority: SignatureVerification
    exporter: SignatureVerification | None = None

    @property
    def aspects(self) -> tuple[AspectResult, ...]:
        return self.issuing_authority.aspects

    @property
    def integrity(self) -> AspectResult:
        return self.issuing_authority.integrity

    @property
    def signer(self) -> AspectResult:
        return self.issuing_authority.signer

    @property
    def time(self) -> AspectResult:
        return self.issuing_authority.time

    @property
    def revocation(self) -> AspectResult:
        return self.issuing_authority.revocation

    @property
    def participant_id(self) -> str | None:
        return self.issuing_authority.participant_id

    @property
    def signing_time(self) -> datetime | None:
        return self.issuing_authority.signing_time

    @property
    def ok(self) -> bool:
        return self.issuing_authority.ok and (self.exporter is None or self.exporter.ok)

    @property
    def failures(self) -> list[AspectResult]:
        own = self.issuing_authority.failures
        return own + (self.exporter.failures if self.exporter else [])

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {**self.issuing_authority.as_dict(), "ok": self.ok}
        if self.exporter is not None:
            out["exporter"] = self.exporter.as_dict()
        return out
