"""A received CO's status changed by its issuer (P6, P7): the ``co.status`` message carries the
new version of the CO, signed again by the issuing authority; it is checked against the trust
lists and applied at once to every usable received record of that CO (claims that used it are
then listed for review by the status hooks).
"""

from __future__ import annotations

import json

from originlink.domain.authz import Actor, Role
from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError, TrustError
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.services.context import Node
from originlink.services.issuing.status_changes import change_status
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.unit_of_work import UnitOfWork
from originlink.trust.document import verify_document


def on_co_status(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """P6/P7: the issuer cancelled or replaced a CO; apply it at once."""
    payload = inbound.payload_json()
    if not isinstance(payload, dict) or "document" not in payload:
        raise InputError("a co.status carries the new signed version of the CO as 'document'")
    doc = CODocument.model_validate(payload["document"])
    verification = verify_document(
        doc, node.require_trust(), now=node.now(), skew=node.settings.clock_skew
    )
    if not verification.ok:
        failure = verification.failures[0]
        raise TrustError(
            f"the new version is not signed by a trusted issuer: {failure.detail}",
            code=failure.code or "SIGNATURE_INVALID",
        )
    cert = doc.certificate
    target = RecordStatus(cert.status.value)
    if target not in {RecordStatus.CANCELLED, RecordStatus.REPLACED}:
        raise InputError(f"co.status announces {cert.status.value}; expected CANCELLED or REPLACED")
    repo = tx.certificates
    records = repo.find(
        side=Side.IMPORT.value,
        issuing_country=cert.issuing_country,
        number=cert.certificate_number or "",
        for_update=True,
    )
    live = [r for r in records if r.status == RecordStatus.RECEIVED.value]
    if not live:
        return HandlerResult(
            status="NO_RECORD",
            warnings=[f"no usable received CO {cert.certificate_number}; status noted only"],
        )
    reason = str(payload.get("reason") or target.value.lower())
    replaced_by = None
    replacing = payload.get("replaced_by")
    if isinstance(replacing, dict) and isinstance(replacing.get("number"), str):
        found = repo.find(
            side=Side.IMPORT.value,
            issuing_country=str(replacing.get("issuing_country", cert.issuing_country)),
            number=replacing["number"],
        )
        replaced_by = found[0].id if found else None
    for record in live:
        updated = change_status(
            node,
            tx,
            _partner_actor(inbound.sender),
            record,
            target,
            reason=reason,
            now=node.now(),
            replaced_by=replaced_by,
        )
        repo.save(
            updated.with_(document_json=json.dumps(payload["document"], separators=(",", ":"))),
            expected_version=updated.version,
        )
    return HandlerResult(status=target.value, certificate_id=live[0].id)


def _partner_actor(participant: str) -> Actor:
    return Actor(user_id=participant, username=participant, role=Role.SYSTEM, via="partner")
