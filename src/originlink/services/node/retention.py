"""Record keeping (P12's agreements): each agreement's profile says how many years its COs and
what concerns them must be kept (``rules.record_keeping``). :func:`run` finds the COs whose
period — counted from issue, else from when the node first stored them — is over, writes each
one's evidence bundle to the archive, removes it and everything about it, and adds an audit
record saying so (the audit log itself is never shortened). A CO still in use (a message to
deliver, an open verification case) waits for the next run; a CO under an agreement whose
profile sets no period is kept.

The archive is written and flushed to disk before the removal commits: a crash between the two
leaves the CO in place and its bundle archived once more at the next run, never a CO removed
without its archive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.services.context import Node
from originlink.services.node import evidence

#: Writes one sealed bundle to the archive and returns where it went.
ArchiveWriter = Callable[[dict[str, Any]], str]


@dataclass
class RetentionReport:
    dry_run: bool
    removed: list[dict[str, Any]] = field(default_factory=list)
    kept_in_use: list[dict[str, Any]] = field(default_factory=list)
    no_period: list[str] = field(default_factory=list)
    within_period: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "removed": self.removed,
            "kept_in_use": self.kept_in_use,
            "agreements_without_period": sorted(set(self.no_period)),
            "within_period": self.within_period,
        }


def expires(since: datetime, years: int) -> datetime:
    """``since`` plus ``years`` calendar years (29 February becomes 28 February)."""
    try:
        return since.replace(year=since.year + years)
    except ValueError:
        return since.replace(year=since.year + years, day=28)


def run(
    node: Node,
    actor: Actor,
    *,
    archive: ArchiveWriter,
    dry_run: bool = False,
    limit: int = 100_000,
) -> RetentionReport:
    """Apply every agreement's record-keeping period; with ``dry_run`` only say what would go."""
    actor.require(Permission.AUDIT_READ)
    now = node.now()
    report = RetentionReport(dry_run=dry_run)
    with node.store.read() as tx:
        candidates = tx.records.retention_candidates(limit)
    for row in candidates:
        agreement = row["agreement"] or ""
        profile = node.profiles.get(agreement) if agreement else None
        rule = profile.rules.record_keeping if profile is not None else None
        if rule is None:
            report.no_period.append(agreement or "(none)")
            continue
        until = expires(row["since"], rule.years)
        if until > now:
            report.within_period += 1
            continue
        entry = {
            "certificate_id": row["id"],
            "number": row["number"],
            "agreement": agreement,
            "years": rule.years,
            "expired_on": until.date().isoformat(),
        }
        _retire(node, actor, entry, archive=archive, dry_run=dry_run, report=report)
    return report


def _retire(
    node: Node,
    actor: Actor,
    entry: dict[str, Any],
    *,
    archive: ArchiveWriter,
    dry_run: bool,
    report: RetentionReport,
) -> None:
    certificate_id = entry["certificate_id"]
    with node.store.transaction() as tx:
        reason = tx.records.still_in_use(certificate_id)
        if reason is not None:
            report.kept_in_use.append({**entry, "reason": reason})
            return
        if dry_run:
            report.removed.append(entry)
            return
        bundle = evidence.seal(node, evidence.gather(tx, certificate_id))
        where = archive(bundle)
        rows = tx.records.remove_certificate(certificate_id)
        tx.audit.append(
            at=node.now(),
            actor=actor.label,
            action="certificate.retention_removed",
            entity_type="certificate",
            entity_id=certificate_id,
            details={
                **entry,
                "archive": where,
                "rows": rows,
                "content_digest": bundle["content_digest"],
            },
        )
    report.removed.append({**entry, "archive": where, "content_digest": bundle["content_digest"]})
