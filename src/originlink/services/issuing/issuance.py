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
from originlink.domain.dataset import CODocument, Relation, certificate_json
from originlink.domain.errors import (
    AlreadyStored,
    ConfigurationError,
    Conflict,
    NotFound,
    ValidationFailed,
)
from originlink.domain.findings import Level
from originlink.domain.lifecycle import RecordStatus, Side, check_transition
from originlink.domain.validation import ValidationContext, validate_model
from originlink.services.context import Node, NodeIdentity
from originlink.services.issuing.completion import NON_PREFERENTIAL_KEY, complete, with_validity
from originlink.services.issuing.status_changes import change_status
from originlink.store.repos.applications import ApplicationRecord
from originlink.store.repos.certificates import CertificateRecord, Certificates
from originlink.trust.digests import digest_bytes


@dataclass(frozen=True, slots=True)
class Issued:
    certificate: CertificateRecord
    application: ApplicationRecord
    document: CODocument


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
        data, copy_seq, related = complete(node, app, tx, actor, now)
        unsigned = with_validity(node, CODocument.model_validate(data), app.agreement)
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
