"""Public verification (P13): anyone holding a CO checks it is authentic and still good.

The QR code on a printed CO points at ``/verify/{issuing country}/{number}?d={digest}`` on the
issuing authority's node. The digest is compared with the digest of every version of the CO
this node issued (and of its certified true copies): a print made before a cancellation stays
*authentic* and the answer says the CO is now CANCELLED. Without a matching digest nobody
learns more than whether the number exists and its status; the minimal summary (form,
agreement, countries, dates, HS codes and descriptions; never prices, quantities, addresses or
names) is given only to whoever holds the document, i.e. presents its digest.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from originlink.domain.dataset.certificate import Certificate
from originlink.domain.errors import InputError
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.domain.profiles import CERTIFICATE_NUMBER_RE
from originlink.services.context import Node
from originlink.services.issuing.certificates import effective_status
from originlink.services.unit_of_work import UnitOfWork
from originlink.services.verification.issuers import own_issuer
from originlink.store.repos.certificates import CertificateRecord

DIGEST_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


class Outcome(StrEnum):
    AUTHENTIC = "authentic"
    """The digest is that of the CO's current version."""
    AUTHENTIC_EARLIER_VERSION = "authentic_earlier_version"
    """The digest is that of an earlier version (printed before a status change)."""
    NOT_AUTHENTIC = "not_authentic"
    """A CO with this number exists, but no version of it has this digest."""
    NOT_CHECKED = "not_checked"
    """No digest was given: only existence and status are answered."""
    NOT_FOUND = "not_found"
    """This node issued no CO with this number."""


@dataclass(frozen=True, slots=True)
class PublicItem:
    sequence_number: int
    hs_code: str
    description: str


@dataclass(frozen=True, slots=True)
class PublicSummary:
    form_code: str
    form_name: str | None
    agreement_code: str | None
    agreement_name: str | None
    exporting_country: str
    importing_country: str
    item_count: int
    items: tuple[PublicItem, ...]


@dataclass(frozen=True, slots=True)
class Reference:
    """Another CO the answer points to (the one that replaced this one)."""

    issuing_country: str
    number: str
    path: str


@dataclass(frozen=True, slots=True)
class PublicVerification:
    issuing_country: str
    number: str
    outcome: Outcome
    checked_at: datetime
    status: str | None = None
    issuing_authority: str | None = None
    issue_date: str | None = None
    valid_until: str | None = None
    replaced_by: Reference | None = None
    true_copy_date: str | None = None
    matched_version: int | None = None
    current_version: int | None = None
    summary: PublicSummary | None = None
    #: The issuing authority's contact details from its trust list (this node's own).
    contact: dict[str, str] | None = None

    @property
    def authentic(self) -> bool | None:
        if self.outcome in (Outcome.AUTHENTIC, Outcome.AUTHENTIC_EARLIER_VERSION):
            return True
        if self.outcome is Outcome.NOT_AUTHENTIC:
            return False
        return None

    def as_json(self) -> dict[str, Any]:
        """The JSON twin of the page: absent values omitted."""
        data = asdict(self)
        data["outcome"] = self.outcome.value
        data["authentic"] = self.authentic
        data["checked_at"] = self.checked_at.isoformat()
        return {k: v for k, v in data.items() if v is not None}


def verification_path(issuing_country: str, number: str) -> str:
    return f"/verify/{issuing_country}/{number}"


def check_input(issuing_country: str, number: str, digest: str | None) -> None:
    if not COUNTRY_RE.match(issuing_country):
        raise InputError(
            f"{issuing_country!r} is not an ISO 3166-1 alpha-2 country code (two capital letters)",
            pointer="path:issuing_country",
        )
    if not CERTIFICATE_NUMBER_RE.match(number):
        raise InputError(
            "a certificate number has 1-35 letters, digits, '/', '.' or '-'",
            pointer="path:number",
        )
    if digest is not None and not DIGEST_RE.match(digest):
        raise InputError(
            "the d parameter must be the 43-character base64url digest printed in the QR code",
            pointer="query:d",
        )


def _summary(cert: Certificate, node: Node) -> PublicSummary:
    profile = node.profiles.get(cert.agreement_code) if cert.agreement_code else None
    items = tuple(
        PublicItem(item.sequence_number, item.hs_digits[:6], item.description)
        for item in cert.goods_items
    )
    return PublicSummary(
        form_code=cert.form_code,
        form_name=profile.form_name if profile else cert.title,
        agreement_code=cert.agreement_code,
        agreement_name=profile.name
        if profile
        else (cert.agreement.name if cert.agreement else None),
        exporting_country=cert.exporting_country,
        importing_country=cert.importing_country,
        item_count=len(items),
        items=items,
    )


def _match(
    tx: UnitOfWork, records: list[CertificateRecord], digest: str
) -> tuple[CertificateRecord, int] | None:
    """The record and version whose digest this is, if any (constant-time comparisons)."""
    by_id = {r.id: r for r in records}
    candidates = [(r.id, r.version, r.digest) for r in records]
    candidates += [
        (v.certificate_id, v.version, v.digest) for v in tx.certificate_digests.of(list(by_id))
    ]
    found: tuple[CertificateRecord, int] | None = None
    for cert_id, version, known in candidates:
        if hmac.compare_digest(known.encode(), digest.encode()) and found is None:
            found = (by_id[cert_id], version)
    return found


def verify_public(
    node: Node, issuing_country: str, number: str, digest: str | None
) -> PublicVerification:
    """Answer a public verification request; never needs a login."""
    check_input(issuing_country, number, digest)
    now = node.now()
    with node.store.read() as tx:
        records = tx.certificates.find(
            side=Side.EXPORT.value, issuing_country=issuing_country, number=number
        )
        if not records:
            return PublicVerification(
                issuing_country, number, Outcome.NOT_FOUND, now, contact=_contact(node)
            )
        if digest is None:
            record, matched_version, outcome = records[0], None, Outcome.NOT_CHECKED
        else:
            match = _match(tx, records, digest)
            if match is None:
                return PublicVerification(
                    issuing_country, number, Outcome.NOT_AUTHENTIC, now, contact=_contact(node)
                )
            record, matched_version = match
            outcome = (
                Outcome.AUTHENTIC
                if matched_version == record.version
                else Outcome.AUTHENTIC_EARLIER_VERSION
            )
        replaced_by = None
        if record.status == RecordStatus.REPLACED.value and record.replaced_by_id:
            successor = tx.certificates.get(record.replaced_by_id)
            if successor is not None:
                replaced_by = Reference(
                    successor.issuing_country,
                    successor.number,
                    verification_path(successor.issuing_country, successor.number),
                )
    cert = record.document().certificate
    flags = cert.flags
    return PublicVerification(
        issuing_country=issuing_country,
        number=number,
        outcome=outcome,
        checked_at=now,
        status=effective_status(record, now.date()),
        issuing_authority=cert.parties.issuing_authority.name,
        issue_date=record.issue_datetime.date().isoformat() if record.issue_datetime else None,
        valid_until=record.validity_end_date.isoformat() if record.validity_end_date else None,
        replaced_by=replaced_by,
        true_copy_date=(
            flags.true_copy_issue_date.isoformat()
            if record.copy_seq > 0 and flags and flags.true_copy_issue_date
            else None
        ),
        matched_version=matched_version,
        current_version=record.version if matched_version is not None else None,
        summary=_summary(cert, node) if matched_version is not None else None,
        contact=_contact(node),
    )


def _contact(node: Node) -> dict[str, str] | None:
    own = own_issuer(node)
    return own.contact if own is not None and own.contact else None


def record_version_digest(tx: UnitOfWork, _node: Node, record: CertificateRecord, *_: Any) -> None:
    """Hook for :class:`~originlink.services.context.NodeHooks` (``on_issued`` and
    ``on_status_changed``): remember the digest of the version just made, in its transaction."""
    tx.certificate_digests.record(
        certificate_id=record.id,
        version=record.version,
        status=record.status,
        digest=record.digest,
        at=record.updated_at,
    )
