"""Reading certificates: one with its history and links, or pages of them with filters.

An ISSUED (or RECEIVED) CO whose validity has ended reads as EXPIRED (``effective_status``)
without anyone having to move it there.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Protocol

from originlink.domain.authz import Actor, Permission, Role
from originlink.domain.errors import NotFound
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.services.context import Node
from originlink.store.repos.certificates import CertificateFilter, CertificateRecord

_LIVE = {RecordStatus.ISSUED.value, RecordStatus.RECEIVED.value}


class HasValidity(Protocol):
    """A stored CO or a list row: what the effective status is read from."""

    @property
    def status(self) -> str: ...
    @property
    def validity_end_date(self) -> date | None: ...


def effective_status(record: HasValidity, today: date) -> str:
    if (
        record.status in _LIVE
        and record.validity_end_date is not None
        and record.validity_end_date < today
    ):
        return RecordStatus.EXPIRED.value
    return record.status


def business_decision(record: CertificateRecord) -> dict[str, Any]:
    """The importing side's own decision on a received CO (P3), as its business response told
    the issuer: REJECTED when a check failed, else ACCEPTED (a CO cancelled or replaced later
    was still accepted), with the findings that came with it. Shown on the CO, beside its
    status, so the importing side sees what it answered."""
    rejected = record.status == RecordStatus.REJECTED.value
    return {
        "outcome": "REJECTED" if rejected else "ACCEPTED",
        "findings": [f for f in record.findings or [] if f.get("level") != "INFO"],
        "decided_at": record.created_at.isoformat(),
    }


def certificate_view(
    node: Node,
    record: CertificateRecord,
    *,
    history: list[dict[str, Any]],
    links: list[dict[str, Any]],
    with_document: bool = True,
) -> dict[str, Any]:
    view = record.summary()
    view["effective_status"] = effective_status(record, node.now().date())
    view["history"] = history
    view["links"] = links
    if record.findings:
        view["findings"] = record.findings
    if record.side == Side.IMPORT.value:
        view["business_response"] = business_decision(record)
    if with_document:
        view["document"] = record.document_dict()
    return view


def _visible(actor: Actor, record: CertificateRecord | None) -> CertificateRecord:
    if record is None or not actor.owns(record.organisation):
        raise NotFound("no such certificate")
    return record


def get_certificate(node: Node, actor: Actor, certificate_id: str) -> dict[str, Any]:
    actor.require(Permission.CERTIFICATE_READ)
    with node.store.read() as tx:
        repo = tx.certificates
        record = _visible(actor, repo.get(certificate_id))
        return certificate_view(
            node, record, history=repo.events(record.id), links=repo.links(record.id)
        )


def get_record(node: Node, actor: Actor, certificate_id: str) -> CertificateRecord:
    actor.require(Permission.CERTIFICATE_READ)
    with node.store.read() as tx:
        return _visible(actor, tx.certificates.get(certificate_id))


def list_certificates(
    node: Node, actor: Actor, filt: CertificateFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    actor.require(Permission.CERTIFICATE_READ)
    if actor.role is Role.EXPORTER:
        filt = replace(filt, organisation=actor.organisation or "\x00")
    today = node.now().date()
    with node.store.read() as tx:
        records, total = tx.certificates.search(filt, limit=limit, offset=offset)
    items = []
    for r in records:
        summary = r.summary()
        summary["effective_status"] = effective_status(r, today)
        items.append(summary)
    return items, total
