"""Preference claims (P4) and the usage ledger, on the importing customs' node.

:func:`submit_declaration` decides every line of a declaration (``domain.claims``), draws the
quantity of each GRANTED line from the CO item with one conditional ``UPDATE`` and writes the
ledger row, stores the declaration with its decision, audits it and queues the ``co.utilisation``
notice for the issuing side — all in one transaction. A CO this node does not hold yet is first
pulled from the exporting partner (outside the transaction: it is network I/O).

Idempotency: the same declaration id with the same content returns the stored decision
(``REPLAYED``, nothing drawn again); with other content it is an amendment (``AMENDED``: what the
earlier revision drew is re-credited, then the new content is decided). :func:`invalidate`
re-credits everything and closes the declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.claims import (
    ClaimOutcome,
    CoFacts,
    CoMissing,
    Guarantee,
    LineOutcome,
    co_checks,
    missing_outcome,
    plan_line,
    summarise,
)
from originlink.domain.declarations import Declaration, parse_input
from originlink.domain.errors import (
    AlreadyStored,
    Conflict,
    NotFound,
    RetryableError,
    TrustError,
    ValidationFailed,
)
from originlink.domain.findings import Finding, Level
from originlink.domain.lifecycle import RecordStatus
from originlink.domain.quantities import micros_text
from originlink.services.context import Node
from originlink.services.importing import utilisation
from originlink.services.importing.pull_client import fetch_certificate
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord
from originlink.store.repos.claims import (
    ACTIVE,
    INVALIDATED,
    DeclarationRecord,
)
from originlink.store.repos.ledger import (
    DRAW,
    RECREDIT_AMENDED,
    RECREDIT_INVALIDATED,
    RECREDIT_REDECIDED,
)
from originlink.trust.digests import json_digest


@dataclass(frozen=True, slots=True)
class ClaimResult:
    outcome: ClaimOutcome
    record: DeclarationRecord

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome.value, **self.record.as_dict()}


def parse_declaration(node: Node, data: Any) -> Declaration:
    declaration = parse_input(Declaration, data, root="declaration", what="declaration")
    today = node.local_now().date()
    if declaration.date > today:
        message = f"the declaration is dated {declaration.date}, after today ({today})"
        raise ValidationFailed(
            message, [Finding(Level.SEVERE, "declaration.date", "DS-10", message, area="claim")]
        )
    return declaration


def submit_declaration(node: Node, actor: Actor, data: Any) -> ClaimResult:
    """Decide a declaration (new, replayed or amended); see the module docstring."""
    actor.require(Permission.CLAIM_DECIDE)
    declaration = parse_declaration(node, data)
    content = declaration.canonical()
    digest = json_digest(content)
    ref = declaration.certificate
    with node.store.read() as tx:
        stored = tx.declarations.get(declaration.id)
        held = bool(tx.certificates.received_copies(ref.issuing_country, ref.number))
    if stored is not None and stored.status == ACTIVE and stored.content_digest == digest:
        return ClaimResult(ClaimOutcome.REPLAYED, stored)
    missing = None if held else _obtain(node, declaration)
    for attempt in range(2):
        try:
            with node.store.transaction() as tx:
                return _decide(tx, node, actor, declaration, digest, missing)
        except AlreadyStored:
            if attempt:  # pragma: no cover - a second collision cannot happen after a commit
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def decide_again(node: Node, actor: Actor, declaration_id: str) -> ClaimResult:
    """Decide a stored declaration again (e.g. a REFERRED line once the CO arrived): what it
    drew is re-credited first, then every line is decided anew."""
    actor.require(Permission.CLAIM_DECIDE)
    with node.store.read() as tx:
        stored = tx.declarations.get(declaration_id)
    if stored is None:
        raise NotFound(f"no declaration {declaration_id}")
    declaration = Declaration.model_validate(stored.content)
    missing = _obtain(node, declaration)
    with node.store.transaction() as tx:
        return _decide(tx, node, actor, declaration, stored.content_digest, missing, again=True)


def _obtain(node: Node, declaration: Declaration) -> CoMissing | None:
    """Pull a CO this node does not hold; None when it is held now, else why it is missing."""
    ref = declaration.certificate
    try:
        fetch_certificate(node, issuing_country=ref.issuing_country, number=ref.number)
    except NotFound as exc:
        return CoMissing(unreachable=False, detail=exc.detail)
    except TrustError as exc:
        return CoMissing(unreachable=False, detail=f"{exc.code}: {exc.detail}")
    except RetryableError as exc:
        return CoMissing(unreachable=True, detail=f"{exc.code}: {exc.detail}")
    return None


def _lock_and_find(tx: UnitOfWork, country: str, number: str) -> CertificateRecord | None:
    """The record a claim uses: the first usable copy, else the newest. On PostgreSQL the rows
    are share-locked first, so a cancellation or a verification request waits for this claim
    (and lists it for review) or this claim sees their outcome."""
    copies = tx.certificates.received_copies(country, number, lock=True)
    if not copies:
        return None
    usable = [cert_id for cert_id, status in copies if status == RecordStatus.RECEIVED.value]
    return tx.certificates.get(usable[0] if usable else copies[-1][0])


def guarantee_of(node: Node, agreement: str | None) -> Guarantee | None:
    profile = node.profiles.get(agreement) if agreement else None
    if profile is None:
        return None
    rule = profile.rules.release_under_guarantee
    if rule is None:
        return Guarantee(None, profile.unset_reason("release_under_guarantee") or "not found")
    return Guarantee(rule.allowed, f"{profile.code}: {rule.source}")


def co_facts(record: CertificateRecord, *, want_identifiers: bool) -> CoFacts:
    identifiers: tuple[tuple[str, str], ...] = ()
    if want_identifiers:
        importer = record.document_dict().get("certificate", {}).get("parties", {}).get("importer")
        found = (importer or {}).get("identifiers") or []
        identifiers = tuple(
            (str(i.get("scheme")), str(i.get("value"))) for i in found if isinstance(i, dict)
        )
    return CoFacts(
        record_id=record.id,
        status=record.status,
        verification_status=record.verification_status,
        agreement=record.agreement,
        importer_name=record.importer_name,
        importer_identifiers=identifiers,
        validity_end_date=record.validity_end_date,
        replaced_by=record.replaced_by_id,
        finding_codes=tuple(str(f.get("code")) for f in record.findings or []),
    )


def _decide(
    tx: UnitOfWork,
    node: Node,
    actor: Actor,
    declaration: Declaration,
    digest: str,
    missing: CoMissing | None,
    *,
    again: bool = False,
) -> ClaimResult:
    now = node.now()
    repo = tx.declarations
    existing = repo.get(declaration.id, for_update=True)
    recredited: list[dict[str, Any]] = []
    if existing is not None:
        if existing.status == INVALIDATED:
            raise Conflict(
                f"declaration {declaration.id} was invalidated; a new claim needs a new id"
            )
        if existing.content_digest == digest and not again:
            return ClaimResult(ClaimOutcome.REPLAYED, existing)
        reason = RECREDIT_REDECIDED if again else RECREDIT_AMENDED
        recredited = recredit(tx, declaration.id, reason=reason, now=now)
    ref = declaration.certificate
    record = _lock_and_find(tx, ref.issuing_country, ref.number)
    outcomes = _outcomes(tx, node, declaration, record, missing)
    outcome = ClaimOutcome.DECIDED
    if existing is not None:
        outcome = ClaimOutcome.REDECIDED if again else ClaimOutcome.AMENDED
    revision = existing.revision + 1 if existing is not None else 1
    notice = None
    if record is not None:
        notice = utilisation.notify(
            tx,
            node,
            record,
            declaration_id=declaration.id,
            declaration_date=declaration.date,
            revision=revision,
            status="DECIDED" if outcome is ClaimOutcome.DECIDED else "AMENDED",
            outcomes=outcomes,
            recredited=recredited,
        )
    decision = {
        "lines": [o.as_dict() for o in outcomes],
        "summary": summarise(outcomes),
        "recredited": recredited,
        "decided_at": now.isoformat(),
        "utilisation_notice": notice,
    }
    stored = DeclarationRecord(
        id=declaration.id,
        importer=declaration.importer.name,
        declared_on=declaration.date,
        issuing_country=ref.issuing_country,
        number=ref.number,
        certificate_id=record.id if record is not None else None,
        agreement=declaration.agreement,
        status=ACTIVE,
        revision=revision,
        content_digest=digest,
        content=declaration.canonical(),
        decision=decision,
        actor=actor.label,
        created_at=existing.created_at if existing is not None else now,
        updated_at=now,
    )
    if existing is None:
        repo.add(stored)
    else:
        repo.replace(stored)
    tx.audit.append(
        at=now,
        actor=actor.label,
        action=f"claim.{outcome.value.lower()}",
        entity_type="declaration",
        entity_id=declaration.id,
        after={"digest": digest, "revision": revision, "summary": decision["summary"]},
        details={"via": actor.via, "certificate_id": stored.certificate_id},
    )
    return ClaimResult(outcome, stored)


def _outcomes(
    tx: UnitOfWork,
    node: Node,
    declaration: Declaration,
    record: CertificateRecord | None,
    missing: CoMissing | None,
) -> list[LineOutcome]:
    if record is None:
        gone = missing or CoMissing(False, "this node does not hold the CO")
        guarantee = guarantee_of(node, declaration.agreement)
        return [missing_outcome(line, gone, guarantee) for line in declaration.lines]
    ledger = tx.ledger
    facts = co_facts(record, want_identifiers=declaration.importer.identifier is not None)
    reasons, shared = co_checks(declaration, facts)
    items = ledger.items(record.id)
    guarantee = guarantee_of(node, record.agreement or declaration.agreement)
    now = node.now()
    outcomes = []
    for line in declaration.lines:
        plan = plan_line(
            line, co_reasons=reasons, co_facts=shared, items=items, guarantee=guarantee
        )
        if plan.outcome is not None:
            outcomes.append(plan.outcome)
            continue
        assert plan.draw_micros is not None
        remaining = ledger.draw(record.id, line.co_item, plan.draw_micros)
        if remaining is None:
            outcomes.append(plan.short(ledger.remaining(record.id, line.co_item) or 0))
            continue
        ledger.add_entry(
            certificate_id=record.id,
            sequence_number=line.co_item,
            declaration_id=declaration.id,
            line_number=line.line_number,
            delta_micros=-plan.draw_micros,
            unit_code=items[line.co_item].unit_code or "",
            reason=DRAW,
            at=now,
        )
        outcomes.append(plan.drawn(remaining))
    return outcomes


def recredit(
    tx: UnitOfWork, declaration_id: str, *, reason: str, now: datetime
) -> list[dict[str, Any]]:
    """Give back everything the declaration still holds; one ledger row per line and item."""
    ledger = tx.ledger
    out = []
    for held in ledger.held_by(declaration_id):
        if held.net_micros <= 0:
            continue
        ledger.credit(held.certificate_id, held.sequence_number, held.net_micros)
        ledger.add_entry(
            certificate_id=held.certificate_id,
            sequence_number=held.sequence_number,
            declaration_id=declaration_id,
            line_number=held.line_number,
            delta_micros=held.net_micros,
            unit_code=held.unit_code,
            reason=reason,
            at=now,
        )
        out.append(
            {
                "certificate_id": held.certificate_id,
                "item": held.sequence_number,
                "line_number": held.line_number,
                "quantity": micros_text(held.net_micros),
                "unit_code": held.unit_code,
            }
        )
    return out


def invalidate(node: Node, actor: Actor, declaration_id: str, *, reason: str) -> DeclarationRecord:
    """Invalidate a declaration: re-credit what it drew and tell the issuing side (P5)."""
    actor.require(Permission.CLAIM_DECIDE)
    if not reason.strip():
        raise ValidationFailed("an invalidation needs a reason", [])
    now = node.now()
    with node.store.transaction() as tx:
        repo = tx.declarations
        existing = repo.get(declaration_id, for_update=True)
        if existing is None:
            raise NotFound(f"no declaration {declaration_id}")
        if existing.status == INVALIDATED:
            raise Conflict(f"declaration {declaration_id} is already invalidated")
        credited = recredit(tx, declaration_id, reason=RECREDIT_INVALIDATED, now=now)
        notices = []
        by_certificate: dict[str, list[dict[str, Any]]] = {}
        for entry in credited:
            by_certificate.setdefault(entry["certificate_id"], []).append(entry)
        for certificate_id, entries in by_certificate.items():
            record = tx.certificates.get(certificate_id)
            if record is not None:
                notices.append(
                    utilisation.notify(
                        tx,
                        node,
                        record,
                        declaration_id=declaration_id,
                        declaration_date=existing.declared_on,
                        revision=existing.revision,
                        status="INVALIDATED",
                        outcomes=[],
                        recredited=entries,
                    )
                )
        decision = dict(existing.decision)
        decision["invalidated"] = {
            "at": now.isoformat(),
            "by": actor.label,
            "reason": reason.strip(),
            "recredited": credited,
            "utilisation_notices": notices,
        }
        updated = DeclarationRecord(
            **{
                **{f: getattr(existing, f) for f in DeclarationRecord.__dataclass_fields__},
                "status": INVALIDATED,
                "decision": decision,
                "updated_at": now,
            }
        )
        repo.replace(updated)
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="claim.invalidate",
            entity_type="declaration",
            entity_id=declaration_id,
            after={"status": INVALIDATED, "recredited": len(credited)},
            details={"via": actor.via, "reason": reason.strip()},
        )
    return updated
