"""Completing an application into the CO to be signed (P1, P7, P9, P10, P11): the number from
the agreement's pattern (gap-free: the sequence row moves in the issuing transaction), the
issuer's fields, what each application kind adds (flags, markings, references to the CO it
replaces or copies) and the validity end from the profile. Issuing itself is in
:mod:`originlink.services.issuing.issuance`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Role
from originlink.domain.dataset import CODocument, Relation, Status
from originlink.domain.dataset.types import as_date
from originlink.domain.errors import Conflict, NotFound
from originlink.domain.findings import Level
from originlink.domain.lifecycle import RecordStatus, Side
from originlink.domain.profiles import AgreementProfile
from originlink.domain.validation import ValidationContext, ValidationReport, validate_model
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.applications import ApplicationRecord
from originlink.store.repos.certificates import CertificateRecord

NON_PREFERENTIAL_KEY = "NONPREF"
NON_PREFERENTIAL_PATTERN = "NP-{country}-{year}-{sequence:06d}"


def authority_party(node: Node) -> dict[str, Any]:
    """The node's issuing authority as the CO names it."""
    ident = node.identity
    return {
        "name": ident.name,
        "identifiers": [{"scheme": "TRUSTLIST", "value": ident.authority_code}],
        "address": {"country_code": ident.country},
    }


def _profile(node: Node, code: str | None) -> AgreementProfile | None:
    return node.profiles.require(code) if code else None


def _number(
    tx: UnitOfWork, node: Node, profile: AgreementProfile | None, year: int, *, preview: bool
) -> str:
    key = profile.code if profile else NON_PREFERENTIAL_KEY
    sequence = (
        1  # a preview takes no number: the pattern's first one stands in for it
        if preview
        else tx.certificates.next_number(
            authority_code=node.identity.authority_code, agreement=key, year=year
        )
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


def complete(
    node: Node,
    app: ApplicationRecord,
    tx: UnitOfWork,
    officer: Actor,
    issued_at: datetime,
    *,
    preview: bool = False,
) -> tuple[dict[str, Any], int, CertificateRecord | None]:
    """The certificate object as issued, its copy sequence and the CO it relates to.
    ``preview``: as it would be issued now, without taking a number (submission)."""
    cert = dict(app.content["certificate"])
    data = {**app.content, "certificate": cert}
    profile = _profile(node, app.agreement)
    related: CertificateRecord | None = None
    if app.related_certificate_id:
        related = tx.certificates.get(app.related_certificate_id, for_update=not preview)
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
        cert["certificate_number"] = _number(tx, node, profile, local.year, preview=preview)
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


def with_validity(node: Node, doc: CODocument, agreement: str | None) -> CODocument:
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


#: What to apply for instead, by the rule a submission fails at issuance.
_KIND_HINTS = {
    "DS-10": (
        "retroactive",
        "the shipment is past the agreement's issuance window: apply for retroactive "
        "issuance (POST /api/v1/applications?kind=retroactive)",
    ),
}


def preview_issuance(
    node: Node, app: ApplicationRecord, tx: UnitOfWork, now: datetime
) -> ValidationReport:
    """Every check issuance would run on this application if an officer issued it now: the CO
    is completed as issuance completes it (issue date, the kind's flags and markings, validity;
    no number is taken) and validated as an issued document. A submission that would fail
    issuance is refused at once, saying which kind to apply for (DS-10: retroactive)."""
    officer = Actor("preview", "issuing officer", Role.ISSUING_OFFICER, via="preview")
    data, _copy_seq, _related = complete(node, app, tx, officer, now, preview=True)
    document = with_validity(node, CODocument.model_validate(data), app.agreement)
    report = validate_model(
        document,
        registry=node.profiles,
        context=ValidationContext(
            now=now,
            clock_skew=node.settings.clock_skew,
            purpose="document",
            max_attachment_bytes=node.settings.max_attachment_bytes,
        ),
    )
    # The signatures are issuance's own act, made after these checks: not the exporter's to fix.
    kept = [f for f in report.findings if not f.path.startswith("signatures.")]
    return replace(report, findings=kept)


def kind_hint(app_kind: str, report: ValidationReport) -> tuple[str, str] | None:
    """The application kind that would pass, and why, when a finding names one."""
    for finding in report.findings:
        hint = _KIND_HINTS.get(finding.code)
        if finding.level is Level.SEVERE and hint is not None and hint[0] != app_kind:
            return hint
    return None
