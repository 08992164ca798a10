"""Issuing (P1, P9, P10, P11): number, complete, sign, validate, store, audit — in one unit of
work. A failure anywhere rolls everything back, including the CO number, so numbers stay
gap-free.

What each application kind adds at issuance:

* ``new``: nothing more (a late issue fails DS-10 and says to apply for retroactive issuance).
* ``retroactive`` (P10): ``flags.issued_retroactively`` and the profile's marking; DS-10 checks
  the agreement's ceiling.
* ``replacement`` (P7): a ``replaces`` reference; the replaced CO becomes REPLACED.
* ``true_copy`` (P11): the original's number and issue date, ``flags.certified_true_copy``, the
  copy's date and the profile's marking, within the profile's window.
* ``back_to_back`` (P9): ``flags.back_to_back``; the ``back_to_back_of`` reference is the
  exporter's to give (DS-28 checks it).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.canonical import canonical_bytes
from originlink.domain.dataset import CODocument, Relation, Status, certificate_json
from originlink.domain.dataset.types import as_date
from originlink.domain.errors import (
    AlreadyStored,
    ConfigurationError,
    Conflict,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from originlink.domain.findings import Level
from originlink.domain.lifecycle import RecordStatus, Side, check_transition
from originlink.domain.profiles import AgreementProfile
from originlink.domain.validation import ValidationContext, validate_model
from originlink.services.context import Node, NodeIdentity
from originlink.services.issuing.applications import authority_party
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.applications import ApplicationRecord
from originlink.store.repos.certificates import CertificateRecord, Certificates
from originlink.trust.digests import certificate_digest, digest_bytes

NON_PREFERENTIAL_KEY = "NONPREF"
NON_PREFERENTIAL_PATTERN = "NP-{country}-{year}-{sequence:06d}"


@dataclass(frozen=True, slots=True)
class Issued:
    certificate: CertificateRecord
    application: ApplicationRecord
    document: CODocument


def _profile(node: Node, code: str | None) -> AgreementProfile | None:
    return node.profiles.require(code) if code else None


def _number(tx: UnitOfWork, node: Node, profile: AgreementProfile | None, year: int) -> str:
    key = profile.code if profile else NON_PREFERENTIAL_KEY
    sequence = tx.certificates.next_number(
        authority_code=node.identity.authority_code, agreement=key, year=year
    )
    if profile is not None:
        return profile.format_number(country=node.identity.country, year=year, sequence=sequence)
    return NON_PREFERENTIAL_PATTERN.format(
        country=node.identity.country, year=year, sequence=sequence
    )


def _writable_dict(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """A copy of ``parent[key]`` put back in ``parent``. The issued CO is built from the
    application's content by copy on write (one level at a time), so that content is never
    changed and no deep copy of the whole CO is needed."""
    copied = dict(parent.get(key) or {})
    parent[key] = copied
    return copied


def _writable_list(parent: dict[str, Any], key: str) -> list[Any]:
    """As :func:`_writable_dict`, for a list member."""
    copied = list(parent.get(key) or [])
    parent[key] = copied
    return copied


def _add_remark(cert: dict[str, Any], text: str | None) -> None:
    if text:
        remarks = _writable_list(cert, "official_remarks")
        if text not in remarks:
            remarks.append(text)


def _add_reference(cert: dict[str, Any], relation: Relation, original: CertificateRecord) -> None:
    refs = _writable_list(_writable_dict(cert, "references"), "related_certificates")
    issue_date = original.document().certificate.issue_datetime
    entry = {
        "relation": relation.value,
        "number": original.number,
        "issue_date": issue_date.date().isoformat() if issue_date else None,
        "issuing_country": original.issuing_country,
    }
    if not any(
        r.get("relation") == relation.value and r.get("number") == original.number for r in refs
    ):
        refs.append({k: v for k, v in entry.items() if v is not None})


def _complete(
    node: Node, app: ApplicationRecord, tx: UnitOfWork, officer: Actor, issued_at: datetime
) -> tuple[dict[str, Any], int, CertificateRecord | None]:
    """The certificate object as issued, its copy sequence and the CO it relates to."""
    cert = dict(app.content["certificate"])
    data = {**app.content, "certificate": cert}
    profile = _profile(node, app.agreement)
    related: CertificateRecord | None = None
    if app.related_certificate_id:
        related = tx.certificates.get(app.related_certificate_id, for_update=True)
        if related is None:
            raise NotFound(f"no certificate {app.related_certificate_id}")
        if related.status != RecordStatus.ISSUED.value:
            raise Conflict(f"certificate {related.number} is {related.status}, not ISSUED")
    copy_seq = 0
    cert["status"] = Status.ISSUED.value
    cert["version"] = 1
    cert["uuid"] = str(uuid.uuid4())
    cert["issuing_country"] = node.identity.country
    parties = _writable_dict(cert, "parties")
    parties["issuing_authority"] = authority_party(node)
    parties["certifying_official"] = {"name": officer.username}
    local = issued_at.astimezone(node.identity.tz)
    if app.kind == "true_copy":
        assert related is not None
        original = related.document().certificate
        copy_seq = len(
            tx.certificates.find(
                side=Side.EXPORT.value,
                issuing_country=related.issuing_country,
                number=related.number,
            )
        )
        cert["certificate_number"] = related.number
        cert["issue_datetime"] = original.model_dump(mode="json")["issue_datetime"]
        flags = _writable_dict(cert, "flags")
        flags["certified_true_copy"] = True
        flags["true_copy_issue_date"] = local.date().isoformat()
        _add_reference(cert, Relation.TRUE_COPY_OF, related)
        copy_rule = profile.rules.true_copy if profile else None
        _add_remark(
            cert, copy_rule.marking if copy_rule and copy_rule.marking else "CERTIFIED TRUE COPY"
        )
        if original.validity_end_date:
            cert["validity_end_date"] = original.validity_end_date.isoformat()
    else:
        cert["certificate_number"] = _number(tx, node, profile, local.year)
        cert["issue_datetime"] = local.isoformat()
    if app.kind == "retroactive":
        _writable_dict(cert, "flags")["issued_retroactively"] = True
        rule = profile.rules.retroactive if profile else None
        if rule is not None and not rule.allowed:
            raise Conflict(
                f"{profile.code if profile else ''} does not allow retroactive "
                f"issuance ({rule.source})"
            )
        _add_remark(cert, rule.marking if rule and rule.marking else "ISSUED RETROACTIVELY")
    if app.kind == "replacement":
        assert related is not None
        _add_reference(cert, Relation.REPLACES, related)
    if app.kind == "back_to_back":
        _writable_dict(cert, "flags")["back_to_back"] = True
    if node.identity.issue_place_locode or node.identity.issue_place_name:
        place = {"locode": node.identity.issue_place_locode, "name": node.identity.issue_place_name}
        cert["issue_place"] = {k: v for k, v in place.items() if v}
    declarations = _writable_dict(cert, "declarations")
    declarations["certification"] = {"datetime": local.isoformat()}
    if node.identity.public_base_url:
        declarations["certification"]["verification_url"] = (
            f"{node.identity.public_base_url.rstrip('/')}/verify/{node.identity.country}/"
            f"{cert['certificate_number']}"
        )
    return data, copy_seq, related


def _with_validity(node: Node, doc: CODocument, agreement: str | None) -> CODocument:
    """Fill ``validity_end_date`` from the profile when the CO does not carry one."""
    cert = doc.certificate
    profile = _profile(node, agreement)
    if cert.validity_end_date is not None or profile is None or cert.issue_datetime is None:
        return doc
    departure = cert.transport.departure_datetime if cert.transport else None
    end = profile.validity_end(
        issued=cert.issue_datetime.date(),
        shipped=as_date(departure) if departure is not None else None,
        retroactive=cert.flag("issued_retroactively"),
    )
    if end is None:
        return doc
    return doc.model_copy(
        update={"certificate": cert.model_copy(update={"validity_end_date": end})}
    )


def issue_application(node: Node, actor: Actor, app_id: str) -> Issued:
    """SUBMITTED → ISSUED: the CO is numbered, completed, signed, validated and stored."""
    actor.require(Permission.APPLICATION_DECIDE)
    if node.signer is None:
        raise ConfigurationError("this node has no signing key: run 'originlink keys init'")
    now = node.now().replace(microsecond=0)
    with node.store.transaction() as tx:
        apps = tx.applications
        app = apps.get(app_id, for_update=True)
        if app is None:
            raise NotFound(f"no application {app_id}")
        check_transition(Side.EXPORT, RecordStatus(app.status), RecordStatus.ISSUED)
        data, copy_seq, related = _complete(node, app, tx, actor, now)
        unsigned = _with_validity(node, CODocument.model_validate(data), app.agreement)
        certificate_data = certificate_json(unsigned.certificate)
        canonical = canonical_bytes(certificate_data)
        signed = node.signer.sign(unsigned, signing_time=now, canonical=canonical)
        certs = tx.certificates
        allocated = None if app.kind == "true_copy" else data["certificate"]["certificate_number"]
        report = validate_model(
            signed,
            registry=node.profiles,
            context=ValidationContext(
                now=now,
                clock_skew=node.settings.clock_skew,
                purpose="document",
                max_attachment_bytes=node.settings.max_attachment_bytes,
                number_in_use=None
                if allocated is None
                else _NumberRegister(certs, node.identity, allocated),
            ),
        )
        if not report.ok:
            severe = [f for f in report.findings if f.level is Level.SEVERE]
            raise ValidationFailed(
                f"the CO cannot be issued: {len(severe)} SEVERE finding(s), first: "
                f"{severe[0].code} at {severe[0].path}: {severe[0].message}",
                report.findings,
            )
        record = _record(
            node,
            signed,
            app,
            copy_seq,
            report_findings=report.findings,
            now=now,
            canonical=canonical,
            digest=digest_bytes(canonical),
        )
        _add_issued(certs, record)
        certs.add_event(
            certificate_id=record.id,
            from_status=None,
            to_status=record.status,
            version=record.version,
            actor=actor.label,
            reason=app.kind,
            at=now,
        )
        if related is not None:
            relation = {"replacement": Relation.REPLACES, "true_copy": Relation.TRUE_COPY_OF}[
                app.kind
            ]
            certs.add_link(
                from_id=record.id,
                to_id=related.id,
                relation=relation.value,
                to_issuing_country=related.issuing_country,
                to_number=related.number,
                at=now,
            )
            if app.kind == "replacement":
                change_status(
                    node,
                    tx,
                    actor,
                    related,
                    RecordStatus.REPLACED,
                    reason=f"replaced by {record.number}",
                    replaced_by=record.id,
                    now=now,
                )
        _link_back_to_back(certs, record, signed, now)
        updated_app = replace(
            app,
            status=RecordStatus.ISSUED.value,
            certificate_id=record.id,
            revision=app.revision + 1,
            updated_at=now,
        )
        apps.set_outcome(
            app.id,
            status=updated_app.status,
            certificate_id=record.id,
            expected_revision=app.revision,
            updated_at=now,
        )
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="certificate.issue",
            entity_type="certificate",
            entity_id=record.id,
            after=record.summary(),
            details={
                "via": actor.via,
                "application": app.id,
                "kind": app.kind,
                "number": record.number,
            },
        )
        for hook in node.hooks.on_issued:
            hook(tx, node, record, signed)
    return Issued(record, updated_app, signed)


class _NumberRegister:
    """DS-07's register of issued numbers at issuance. The number this issuance has just taken
    from the authority's gap-free sequence is unused by construction, so it is answered without
    a query; the unique key on the certificates table (see :func:`_add_issued`) backs this up
    should the sequence ever have been set back. Any other number is looked up."""

    def __init__(self, certs: Certificates, identity: NodeIdentity, allocated: str) -> None:
        self._certs = certs
        self._allocated = (identity.country, identity.authority_code, allocated)

    def __call__(self, issuing_country: str, authority: str, number: str) -> bool:
        if (issuing_country, authority, number) == self._allocated:
            return False
        return self._certs.number_in_use(issuing_country, authority, number)


def _add_issued(certs: Certificates, record: CertificateRecord) -> None:
    """Store the issued CO; a number already held by another CO of this authority (a sequence
    set back by hand, a CO imported with its old number) is a conflict, not a server error."""
    try:
        certs.add(record)
    except AlreadyStored as exc:
        raise Conflict(
            f"DS-07: certificate number {record.number} of {record.authority_code} "
            f"({record.issuing_country}) is already used by another CO; the number sequence "
            f"for {record.agreement or NON_PREFERENTIAL_KEY} must be set past it"
        ) from exc


def _link_back_to_back(
    certs: Certificates, record: CertificateRecord, doc: CODocument, now: datetime
) -> None:
    refs = doc.certificate.references
    for ref in refs.related(Relation.BACK_TO_BACK_OF) if refs else []:
        certs.link_to_received(
            from_id=record.id,
            relation=Relation.BACK_TO_BACK_OF.value,
            issuing_country=ref.issuing_country,
            number=ref.number,
            at=now,
        )


def _record(
    node: Node,
    doc: CODocument,
    app: ApplicationRecord,
    copy_seq: int,
    *,
    report_findings: list[Any],
    now: datetime,
    digest: str,
    canonical: bytes,
) -> CertificateRecord:
    cert = doc.certificate
    importer = cert.parties.importer
    return CertificateRecord(
        id=str(uuid.uuid4()),
        side=Side.EXPORT.value,
        status=RecordStatus.ISSUED.value,
        verification_status=None,
        issuing_country=cert.issuing_country,
        authority_code=node.identity.authority_code,
        number=cert.certificate_number or "",
        copy_seq=copy_seq,
        agreement=cert.agreement_code,
        form_code=cert.form_code,
        exporting_country=cert.exporting_country,
        importing_country=cert.importing_country,
        organisation=app.organisation,
        importer_name=importer.name if importer else None,
        partner=None,
        issue_datetime=cert.issue_datetime,
        validity_end_date=cert.validity_end_date,
        version=cert.version,
        digest=digest,
        document_json=_document_json(doc, canonical),
        application_id=app.id,
        replaced_by_id=None,
        findings=[f.as_dict() for f in report_findings if f.level is not Level.INFO] or None,
        created_at=node.now(),
        updated_at=node.now(),
    )


def _document_json(doc: CODocument, canonical: bytes) -> str:
    """The stored JSON of a signed CO, built around the certificate's RFC 8785 bytes (valid
    JSON already, just made for the signature) instead of serialising the CO a second time."""
    signatures = (
        doc.signatures.model_dump(mode="json", exclude_none=True) if doc.signatures else None
    )
    tail = (
        ',"signatures":' + json.dumps(signatures, ensure_ascii=False, separators=(",", ":"))
        if signatures
        else ""
    )
    return '{"certificate":' + canonical.decode("utf-8") + tail + "}"


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
