"""Applications (P1): an exporter creates, edits, submits or withdraws; an officer refuses.

Issuing is in :mod:`originlink.services.issuing.issuance`. An application's content is a CO document
(``{"certificate": {...}}``) without issuer-owned fields (DS-05); the gateway sets ``status``,
``version``, ``uuid``, the issuing country and, when absent, the node's issuing authority.
Drafts may be incomplete: their findings are stored and returned; submitting needs no SEVERE
finding.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import replace
from typing import Any

from originlink.domain.authz import Actor, Permission, Role
from originlink.domain.dataset import Status
from originlink.domain.errors import (
    Conflict,
    InputError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from originlink.domain.findings import Level
from originlink.domain.lifecycle import RecordStatus, Side, check_transition
from originlink.domain.validation import ValidationContext, ValidationReport, validate_document
from originlink.services.context import Node
from originlink.services.issuing.applicant import require_applicant
from originlink.services.issuing.completion import authority_party, kind_hint, preview_issuance
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.applications import (
    ApplicationFilter,
    ApplicationRecord,
)

KINDS = ("new", "replacement", "true_copy", "retroactive", "back_to_back")


def normalise_content(node: Node, content: Any, *, status: Status, app_uuid: str) -> dict[str, Any]:
    """Set the gateway-owned members of an application's certificate."""
    if not isinstance(content, dict) or not isinstance(content.get("certificate"), dict):
        raise InputError(
            'an application is a JSON object {"certificate": {...}} (the CO without the '
            "issuing authority's fields)",
            pointer="certificate",
        )
    if set(content) - {"certificate"}:
        extra = ", ".join(sorted(set(content) - {"certificate"}))
        raise InputError(f"an application has only the member 'certificate' (not {extra})")
    data = copy.deepcopy(content)
    cert = data["certificate"]
    cert["status"] = status.value
    cert["version"] = 1
    cert["uuid"] = app_uuid
    cert.setdefault("issuing_country", node.identity.country)
    parties = cert.get("parties")
    if isinstance(parties, dict):
        parties.setdefault("issuing_authority", authority_party(node))
    return data


def check_application(
    node: Node, content: dict[str, Any], *, purpose: str = "application"
) -> ValidationReport:
    context = ValidationContext(
        now=node.now(),
        clock_skew=node.settings.clock_skew,
        max_attachment_bytes=node.settings.max_attachment_bytes,
        purpose="application" if purpose == "application" else "document",
    )
    return validate_document(content, registry=node.profiles, context=context)


def _summary_fields(content: dict[str, Any]) -> tuple[str | None, str | None]:
    cert = content.get("certificate", {})
    agreement = (
        cert.get("agreement", {}).get("code") if isinstance(cert.get("agreement"), dict) else None
    )
    importing = cert.get("importing_country")
    return (
        agreement if isinstance(agreement, str) else None,
        importing if isinstance(importing, str) else None,
    )


def _findings(report: ValidationReport) -> list[dict[str, Any]]:
    return [f.as_dict() for f in report.findings]


def _load_owned(
    tx: UnitOfWork, actor: Actor, app_id: str, *, for_update: bool = False
) -> ApplicationRecord:
    record = tx.applications.get(app_id, for_update=for_update)
    if record is None or not actor.owns(record.organisation):
        raise NotFound(f"no application {app_id}")
    return record


def create_application(
    node: Node,
    actor: Actor,
    content: Any,
    *,
    kind: str = "new",
    related_certificate_id: str | None = None,
) -> ApplicationRecord:
    actor.require(Permission.APPLICATION_WRITE)
    if kind not in KINDS:
        raise InputError(f"unknown application kind {kind!r}; kinds: {', '.join(KINDS)}")
    if kind in {"replacement", "true_copy"} and not related_certificate_id:
        raise InputError(
            f"a {kind} application names the certificate it is for",
            pointer="related_certificate_id",
        )
    app_id = str(uuid.uuid4())
    data = normalise_content(node, content, status=Status.DRAFT, app_uuid=app_id)
    require_applicant(actor, data["certificate"])
    report = check_application(node, data)
    agreement, importing = _summary_fields(data)
    now = node.now()
    record = ApplicationRecord(
        id=app_id,
        kind=kind,
        status=RecordStatus.DRAFT.value,
        owner_user_id=actor.user_id,
        organisation=actor.organisation,
        agreement=agreement,
        importing_country=importing,
        content=data,
        findings=_findings(report),
        refusal_reasons=None,
        related_certificate_id=related_certificate_id,
        certificate_id=None,
        revision=1,
        created_at=now,
        updated_at=now,
    )
    with node.store.transaction() as tx:
        if related_certificate_id:
            _check_related(tx, actor, related_certificate_id)
        tx.applications.add(record)
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="application.create",
            entity_type="application",
            entity_id=app_id,
            after=record.as_dict(),
            details={"via": actor.via, "kind": kind},
        )
    return record


def _check_related(tx: UnitOfWork, actor: Actor, certificate_id: str) -> None:

    cert = tx.certificates.get(certificate_id)
    if cert is None or cert.side != Side.EXPORT.value or not actor.owns(cert.organisation):
        raise NotFound(f"no certificate {certificate_id}")
    if cert.status != RecordStatus.ISSUED.value:
        raise Conflict(
            f"certificate {cert.number} is {cert.status}; only an ISSUED one can be "
            "replaced or copied"
        )


def update_application(
    node: Node, actor: Actor, app_id: str, content: Any, *, expected_revision: int | None = None
) -> ApplicationRecord:
    actor.require(Permission.APPLICATION_WRITE)
    now = node.now()
    with node.store.transaction() as tx:
        record = _load_owned(tx, actor, app_id, for_update=True)
        current = RecordStatus(record.status)
        if current is RecordStatus.NOT_ISSUED:
            check_transition(Side.EXPORT, current, RecordStatus.DRAFT)
        elif current is not RecordStatus.DRAFT:
            raise InvalidTransition(
                f"application {app_id} is {record.status}; only a DRAFT "
                "(or a refused one) can be edited"
            )
        if expected_revision is not None and expected_revision != record.revision:
            raise Conflict(
                f"application {app_id} changed since revision {expected_revision} "
                f"(now {record.revision}); reload it"
            )
        data = normalise_content(node, content, status=Status.DRAFT, app_uuid=record.id)
        require_applicant(actor, data["certificate"])
        report = check_application(node, data)
        agreement, importing = _summary_fields(data)
        updated = replace(
            record,
            status=RecordStatus.DRAFT.value,
            content=data,
            findings=_findings(report),
            agreement=agreement,
            importing_country=importing,
            revision=record.revision + 1,
            updated_at=now,
            refusal_reasons=None,
        )
        _save(tx, actor, record, updated, "application.update", {"via": actor.via})
    return updated


def submit_application(node: Node, actor: Actor, app_id: str) -> ApplicationRecord:
    """DRAFT → SUBMITTED. The exporter declares now; any SEVERE finding refuses (422)."""
    actor.require(Permission.APPLICATION_WRITE)
    now = node.now()
    with node.store.transaction() as tx:
        record = _load_owned(tx, actor, app_id, for_update=True)
        check_transition(Side.EXPORT, RecordStatus(record.status), RecordStatus.SUBMITTED)
        data = normalise_content(node, record.content, status=Status.SUBMITTED, app_uuid=record.id)
        require_applicant(actor, data["certificate"])
        declarations = data["certificate"].setdefault("declarations", {})
        if isinstance(declarations, dict):
            exporter = declarations.setdefault("exporter", {})
            if isinstance(exporter, dict) and "date" not in exporter:
                exporter["date"] = node.local_now().replace(microsecond=0).isoformat()
        report = check_application(node, data)
        if not report.ok:
            raise ValidationFailed(
                f"application {app_id} has {sum(f.level is Level.SEVERE for f in report.findings)}"
                " SEVERE finding(s); correct them and submit again",
                report.findings,
            )
        _require_issuable(node, tx, replace(record, content=data), app_id)
        updated = replace(
            record,
            status=RecordStatus.SUBMITTED.value,
            content=data,
            findings=_findings(report),
            revision=record.revision + 1,
            updated_at=now,
        )
        _save(tx, actor, record, updated, "application.submit", {"via": actor.via})
    return updated


def _require_issuable(node: Node, tx: UnitOfWork, record: ApplicationRecord, app_id: str) -> None:
    """Submission runs every check issuance runs (:func:`preview_issuance`): an application an
    officer could not issue now is refused at once, with the kind to apply for when one fits."""
    preview = preview_issuance(node, record, tx, node.now().replace(microsecond=0))
    if preview.ok:
        return
    severe = [f for f in preview.findings if f.level is Level.SEVERE]
    hint = kind_hint(record.kind, preview)
    advice = f"; {hint[1]}" if hint else "; correct them and submit again"
    raise ValidationFailed(
        f"application {app_id} could not be issued now: {len(severe)} SEVERE finding(s) at "
        f"issuance, first {severe[0].code} at {severe[0].path}: {severe[0].message}{advice}",
        preview.findings,
        **({"suggested_kind": hint[0]} if hint else {}),
    )


def withdraw_application(node: Node, actor: Actor, app_id: str) -> ApplicationRecord:
    """SUBMITTED → DRAFT, by the exporter, before an officer decides."""
    actor.require(Permission.APPLICATION_WRITE)
    return _move(node, actor, app_id, RecordStatus.DRAFT, "application.withdraw", None)


def refuse_application(
    node: Node, actor: Actor, app_id: str, reasons: list[str]
) -> ApplicationRecord:
    """SUBMITTED → NOT_ISSUED with the officer's reasons (P1)."""
    actor.require(Permission.APPLICATION_DECIDE)
    cleaned = [r.strip() for r in reasons if isinstance(r, str) and r.strip()]
    if not cleaned:
        raise InputError("refusing an application needs at least one reason", pointer="reasons")
    return _move(node, actor, app_id, RecordStatus.NOT_ISSUED, "application.refuse", cleaned)


def _move(
    node: Node,
    actor: Actor,
    app_id: str,
    target: RecordStatus,
    action: str,
    reasons: list[str] | None,
) -> ApplicationRecord:
    now = node.now()
    with node.store.transaction() as tx:
        record = _load_owned(tx, actor, app_id, for_update=True)
        check_transition(Side.EXPORT, RecordStatus(record.status), target)
        content = copy.deepcopy(record.content)
        content["certificate"]["status"] = (
            Status.DRAFT.value if target is RecordStatus.DRAFT else target.value
        )
        updated = replace(
            record,
            status=target.value,
            content=content,
            refusal_reasons=reasons,
            revision=record.revision + 1,
            updated_at=now,
        )
        _save(tx, actor, record, updated, action, {"via": actor.via, "reasons": reasons})
    return updated


def _save(
    tx: UnitOfWork,
    actor: Actor,
    record: ApplicationRecord,
    updated: ApplicationRecord,
    action: str,
    details: dict[str, Any],
) -> None:
    """Write a changed application if nobody changed it since it was read, and audit the change
    with both versions in the same transaction."""
    if not tx.applications.save(updated, expected_revision=record.revision):
        raise Conflict(f"application {record.id} was changed concurrently; reload it")
    tx.audit.append(
        at=updated.updated_at,
        actor=actor.label,
        action=action,
        entity_type="application",
        entity_id=record.id,
        before=record.as_dict(),
        after=updated.as_dict(),
        details=details,
    )


def get_application(node: Node, actor: Actor, app_id: str) -> ApplicationRecord:
    actor.require(Permission.APPLICATION_READ)
    with node.store.read() as tx:
        return _load_owned(tx, actor, app_id)


def list_applications(
    node: Node, actor: Actor, filt: ApplicationFilter, *, limit: int, offset: int
) -> tuple[list[ApplicationRecord], int]:
    actor.require(Permission.APPLICATION_READ)
    if actor.role is Role.EXPORTER:
        filt = replace(filt, organisation=actor.organisation or "\x00")
    with node.store.read() as tx:
        return tx.applications.search(filt, limit=limit, offset=offset)


def request_true_copy(node: Node, actor: Actor, certificate_id: str) -> ApplicationRecord:
    """P11: the exporter asks for a certified true copy of one of its issued COs (lost,
    stolen or destroyed original). The application carries the original's content."""
    from originlink.domain.dataset import exporter_signed_view

    actor.require(Permission.APPLICATION_WRITE)
    with node.store.read() as tx:
        original = tx.certificates.get(certificate_id)
        if original is None or not actor.owns(original.organisation):
            raise NotFound(f"no certificate {certificate_id}")
    certificate = exporter_signed_view(original.document_dict()["certificate"])
    return create_application(
        node,
        actor,
        {"certificate": certificate},
        kind="true_copy",
        related_certificate_id=certificate_id,
    )
