"""Reading verification cases (P8), on either side: one case with its files, the claims it
concerns (importing side) and whether its deadline has passed; pages of cases; one evidence
file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import NotFound
from originlink.domain.lifecycle import Side
from originlink.services.context import Node
from originlink.services.verification.requests import affected_claims


def get_case(node: Node, actor: Actor, case_id: str) -> dict[str, Any]:
    actor.require(Permission.VERIFICATION_READ)
    with node.store.read() as tx:
        case = tx.cases.get(case_id)
        if case is None:
            raise NotFound(f"no verification case {case_id}")
        view = case.as_dict()
        view["files"] = tx.case_files.of(case.id)
        if case.side == Side.IMPORT.value and case.certificate_id:
            view["claims_concerned"] = affected_claims(
                tx, case.certificate_id, list(case.request.get("items", []))
            )
    view["deadline_passed"] = case.due_at is not None and case.due_at <= node.now()
    return view


def list_cases(
    node: Node,
    actor: Actor,
    *,
    side: str | None = None,
    status: str | None = None,
    certificate_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    actor.require(Permission.VERIFICATION_READ)
    with node.store.read() as tx:
        cases, total = tx.cases.search(
            side=side, status=status, certificate_id=certificate_id, limit=limit, offset=offset
        )
    return [c.as_dict() for c in cases], total


def get_file(node: Node, actor: Actor, case_id: str, file_id: str) -> tuple[str, str, bytes, str]:
    actor.require(Permission.VERIFICATION_READ)
    with node.store.read() as tx:
        found = tx.case_files.get(case_id, file_id)
    if found is None:
        raise NotFound(f"no file {file_id} in case {case_id}")
    return found


def days_left(case: dict[str, Any], now: datetime) -> int | None:
    """Whole days until the case's reply deadline (negative once passed; None: no deadline
    or the case is closed)."""
    due = case.get("due_at")
    if not due or case.get("status") in ("ANSWERED", "NO_REPLY"):
        return None
    remaining = datetime.fromisoformat(due) - now
    return remaining.days


def list_cases_with_deadlines(
    node: Node,
    actor: Actor,
    *,
    side: str,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """``list_cases`` with ``days_left`` on each case (for the officer's list)."""
    cases, total = list_cases(
        node, actor, side=side, status=status or None, limit=limit, offset=offset
    )
    now = node.now()
    for case in cases:
        case["days_left"] = days_left(case, now)
    return cases, total
