"""The customs officer's verification cases: the list with each deadline and the days left,
and one case with the request sent, the answer received and its evidence files.

Cases are opened from a certificate's page (``customs_certificates``); reading is
:mod:`originlink.services.verification.cases`'.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from originlink.domain.lifecycle import Side
from originlink.domain.verification import REASON_TEXT, CaseStatus, RequestReason
from originlink.services.verification.cases import days_left, get_case, list_cases_with_deadlines
from originlink.web.guards import CustomsOfficer, NodeDep
from originlink.web.security import WebRoute
from originlink.web.templating import render

router = APIRouter(prefix="/app/customs", route_class=WebRoute, include_in_schema=False)

PAGE = 50


@router.get("/verifications")
def verification_list(request: Request, node: NodeDep, session: CustomsOfficer) -> Response:
    status = request.query_params.get("status", "")[:20]
    offset_text = request.query_params.get("offset", "0")
    offset = min(int(offset_text), 100_000) if offset_text.isdigit() else 0
    cases, total = list_cases_with_deadlines(
        node,
        session.actor,
        side=Side.IMPORT.value,
        status=status if status in CaseStatus.__members__ else None,
        limit=PAGE,
        offset=offset,
    )
    return render(
        request,
        "app/customs/verifications.html",
        cases=cases,
        total=total,
        offset=offset,
        page_size=PAGE,
        status_filter=status,
        statuses=[s.value for s in CaseStatus],
    )


@router.get("/verifications/{case_id}")
def verification(
    request: Request, node: NodeDep, session: CustomsOfficer, case_id: str
) -> Response:
    case = get_case(node, session.actor, case_id[:64])
    return render(
        request,
        "app/customs/verification.html",
        case=case,
        days_left=days_left(case, node.now()),
        reason_texts={r.value: REASON_TEXT[r] for r in RequestReason},
    )
