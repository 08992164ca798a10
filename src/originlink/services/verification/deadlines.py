"""Deadlines that pass while nobody acts: verification cases past their reply deadline become
NO_REPLY, visits past their consent deadline NO_CONSENT — on both sides, since each side computes
the same deadline from the same profile and request time.

:func:`run_due` is a periodic task: the worker loop inside ``serve`` calls it every round
(``node.hooks.periodic``, listed by :func:`originlink.bootstrap.node_hooks`). Time comes from
the node's clock, so tests and the demo move a frozen clock to make deadlines pass.
"""

from __future__ import annotations

from datetime import datetime

from originlink.domain.lifecycle import Side, VerificationStatus
from originlink.domain.verification import WAITING, CaseStatus, VisitStatus, check_case_transition
from originlink.services.context import Node
from originlink.services.importing import reviews
from originlink.services.unit_of_work import UnitOfWork
from originlink.services.verification.requests import SYSTEM, audit_case, set_overlay
from originlink.store.repos.verification import CaseRecord

BATCH = 500


def run_due(node: Node) -> int:
    """Apply every deadline that has passed; the number of cases changed."""
    now = node.now()
    with node.store.read() as tx:
        due = tx.cases.due(now, [s.value for s in WAITING], limit=BATCH)
    return sum(lapse(node, case.id) for case in due)


def lapse(node: Node, case_id: str) -> int:
    """Mark one case NO_REPLY (and/or its visit NO_CONSENT) if its deadline has passed."""
    now = node.now()
    changed = 0
    with node.store.transaction() as tx:
        case = tx.cases.get(case_id, for_update=True)
        if case is None:
            return 0
        visit_due = case.visit_due_at
        if case.visit_status == VisitStatus.PROPOSED.value and visit_due and visit_due <= now:
            case = case.with_(visit_status=VisitStatus.NO_CONSENT.value)
            changed += 1
        if CaseStatus(case.status) in WAITING and case.due_at is not None and case.due_at <= now:
            check_case_transition(CaseStatus(case.status), CaseStatus.NO_REPLY)
            case = case.with_(status=CaseStatus.NO_REPLY.value)
            _no_reply_effects(tx, case, now)
            changed += 1
        if changed:
            tx.cases.save(case.with_(updated_at=now))
            audit_case(tx, case, SYSTEM, "verification.deadline", now)
    return changed


def _no_reply_effects(tx: UnitOfWork, case: CaseRecord, now: datetime) -> None:
    record = tx.certificates.get(case.certificate_id or "", for_update=True)
    if record is None:
        return
    items = list(case.request.get("items", []))
    if record.verification_status == VerificationStatus.UNDER_VERIFICATION.value:
        set_overlay(
            tx,
            record,
            VerificationStatus.NOT_CONFIRMED,
            actor=SYSTEM,
            reason=f"no reply by {case.due_at.isoformat() if case.due_at else '?'} ({case.id})",
            now=now,
        )
    if case.side == Side.IMPORT.value:
        tx.ledger.set_origin_status(record.id, items, "NO_REPLY")
        reviews.list_claims(
            tx,
            certificate_id=record.id,
            reason="VERIFICATION_NO_REPLY",
            details={"case_id": case.id, "co_number": record.number},
            now=now,
            items=items,
        )
