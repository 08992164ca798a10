"""Status changes of issued COs (P6, P7): a new version of the document with the new status,
signed again by the issuing authority, its history event and audit record, and the status hooks
(``co.status`` to the partners, the version's digest, claims listed for review) — in the
caller's unit of work. Received COs change status the same way when their issuer says so.
"""

from __future__ import annotations

import json
from datetime import datetime

from originlink.domain.authz import Actor, Permission
from originlink.domain.dataset import CODocument, Status
from originlink.domain.errors import (
    ConfigurationError,
    Conflict,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from originlink.domain.lifecycle import RecordStatus, Side, check_transition
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord
from originlink.trust.digests import certificate_digest


def change_status(
    node: Node,
    tx: UnitOfWork,
    actor: Actor,
    record: CertificateRecord,
    target: RecordStatus,
    *,
    reason: str,
    now: datetime,
    replaced_by: str | None = None,
) -> CertificateRecord:
    """Move an issued CO to CANCELLED / REPLACED / EXPIRED: a new version of the document with
    the new status, signed again by the issuing authority, and its history event."""
    side = Side(record.side)
    check_transition(side, RecordStatus(record.status), target)
    doc = record.document()
    version = record.version + 1
    if side is Side.EXPORT:
        if node.signer is None:
            raise ConfigurationError("this node has no signing key: run 'originlink keys init'")
        cert = doc.certificate.model_copy(
            update={"status": Status(target.value), "version": version}
        )
        doc = node.signer.sign(CODocument(certificate=cert), signing_time=now)
    updated = record.with_(
        status=target.value,
        version=version,
        updated_at=now,
        replaced_by_id=replaced_by or record.replaced_by_id,
        document_json=json.dumps(doc.to_json_dict(), ensure_ascii=False, separators=(",", ":"))
        if side is Side.EXPORT
        else record.document_json,
        digest=certificate_digest(doc.certificate) if side is Side.EXPORT else record.digest,
    )
    if not tx.certificates.save(updated, expected_version=record.version):
        raise Conflict(f"certificate {record.number} changed concurrently; try again")
    tx.certificates.add_event(
        certificate_id=record.id,
        from_status=record.status,
        to_status=target.value,
        version=version,
        actor=actor.label,
        reason=reason,
        at=now,
    )
    tx.audit.append(
        at=now,
        actor=actor.label,
        action=f"certificate.{target.value.lower()}",
        entity_type="certificate",
        entity_id=record.id,
        before=record.summary(),
        after=updated.summary(),
        details={"via": actor.via, "reason": reason},
    )
    for hook in node.hooks.on_status_changed:
        hook(tx, node, updated, doc, reason)
    return updated


def cancel_certificate(
    node: Node, actor: Actor, certificate_id: str, *, reason: str
) -> CertificateRecord:
    """P6: ISSUED → CANCELLED, with a reason, by an officer of the issuing authority."""
    actor.require(Permission.CERTIFICATE_CHANGE)
    if not reason.strip():
        raise ValidationFailed("a cancellation needs a reason", [])
    now = node.now().replace(microsecond=0)
    with node.store.transaction() as tx:
        record = tx.certificates.get(certificate_id, for_update=True)
        if record is None:
            raise NotFound(f"no certificate {certificate_id}")
        if record.side != Side.EXPORT.value:
            raise InvalidTransition(
                "only the issuing side cancels a CO; received COs change "
                "status through the issuer's co.status messages"
            )
        return change_status(
            node, tx, actor, record, RecordStatus.CANCELLED, reason=reason.strip(), now=now
        )
