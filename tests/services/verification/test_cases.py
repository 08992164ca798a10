"""services/verification/cases.py: reading verification cases on either side — one case with
its files, the claims it concerns (importing side only) and whether its deadline has passed;
pages of cases by side, status and CO, with the days left until each deadline; one evidence
file; who may read them."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest

from originlink.domain.errors import Forbidden, NotFound
from originlink.services.verification import answers, cases
from tests.services.verification.support import Verification, open_case

EVIDENCE = b"%PDF-1.4 bill of materials\n"


def _attachment() -> dict[str, str]:
    return {
        "name": "bom.pdf",
        "media_type": "application/pdf",
        "content": base64.b64encode(EVIDENCE).decode(),
    }


def test_a_case_shows_its_files_the_claims_it_concerns_and_its_deadline(
    v: Verification,
) -> None:
    case = open_case(v, items=[2], attachments=[_attachment()])
    view = cases.get_case(v.jp.node, v.jp.customs, case.id)
    assert (view["id"], view["status"], view["side"]) == (case.id, "OPEN", "import")
    assert [(f["part"], f["name"], f["size"], f["sha256"]) for f in view["files"]] == [
        ("request", "bom.pdf", len(EVIDENCE), hashlib.sha256(EVIDENCE).hexdigest())
    ]
    assert view["claims_concerned"] == [
        {"declaration_id": "JP-1", "line_number": 2, "item": 2, "holds": "100", "unit_code": "KGM"}
    ]
    assert view["deadline_passed"] is False
    assert case.due_at is not None
    v.net.advance(case.due_at - v.net.clock.now() - timedelta(seconds=1))
    assert cases.get_case(v.jp.node, v.jp.customs, case.id)["deadline_passed"] is False
    v.net.advance(timedelta(seconds=1))
    assert cases.get_case(v.jp.node, v.jp.customs, case.id)["deadline_passed"] is True


def test_the_list_gives_the_days_left_until_the_deadline(v: Verification) -> None:
    case = open_case(v, reply_days=30)
    assert case.due_at is not None

    def listed() -> int | None:
        found, total = cases.list_cases_with_deadlines(v.jp.node, v.jp.customs, side="import")
        assert total == 1
        days: int | None = found[0]["days_left"]
        return days

    assert listed() == (case.due_at - v.net.clock.now()).days in (29, 30)
    v.net.advance(case.due_at - v.net.clock.now() - timedelta(days=5, hours=1))
    assert listed() == 5
    v.net.advance(timedelta(days=5, hours=2))
    assert listed() == -1  # overdue
    closed = {**cases.get_case(v.jp.node, v.jp.customs, case.id), "status": "ANSWERED"}
    assert cases.days_left(closed, v.net.clock.now()) is None


def test_the_issuers_mirror_case_concerns_no_claims_of_its_own(v: Verification) -> None:
    open_case(v)
    v.net.drain()
    (mirror,), _ = cases.list_cases(v.sg.node, v.sg.officer)
    view = cases.get_case(v.sg.node, v.sg.officer, mirror["id"])
    assert view["side"] == "export" and "claims_concerned" not in view


def test_cases_are_found_by_side_status_and_co(v: Verification) -> None:
    first = open_case(v)
    v.net.drain()
    (mirror,), _ = cases.list_cases(v.sg.node, v.sg.officer, side="export")
    answers.acknowledge(v.sg.node, v.sg.officer, mirror["id"], {})
    v.net.drain()

    def ids(**filters: object) -> list[str]:
        found, total = cases.list_cases(v.jp.node, v.jp.customs, **filters)  # type: ignore[arg-type]
        assert total == len(found)
        return [c["id"] for c in found]

    assert ids() == [first.id]
    assert ids(side="import", status="ACKNOWLEDGED") == [first.id]
    assert ids(status="OPEN") == []
    assert ids(side="export") == []
    assert ids(certificate_id=v.received_id) == [first.id]
    assert ids(certificate_id="other") == []
    assert cases.list_cases(v.jp.node, v.jp.customs, limit=1, offset=1) == ([], 1)


def test_an_evidence_file_is_given_back_as_it_was_sent(v: Verification) -> None:
    case = open_case(v, attachments=[_attachment()])
    (stored,) = cases.get_case(v.jp.node, v.jp.customs, case.id)["files"]
    assert cases.get_file(v.jp.node, v.jp.customs, case.id, stored["id"]) == (
        "bom.pdf",
        "application/pdf",
        EVIDENCE,
        hashlib.sha256(EVIDENCE).hexdigest(),
    )
    with pytest.raises(NotFound, match=f"no file nope in case {case.id}"):
        cases.get_file(v.jp.node, v.jp.customs, case.id, "nope")
    with pytest.raises(NotFound):
        cases.get_file(v.jp.node, v.jp.customs, "other-case", stored["id"])


def test_exporters_read_no_verification_and_unknown_cases_are_not_found(
    v: Verification,
) -> None:
    case = open_case(v, attachments=[_attachment()])
    exporter = v.jp.exporter
    with pytest.raises(Forbidden, match="may not verification read"):
        cases.get_case(v.jp.node, exporter, case.id)
    with pytest.raises(Forbidden, match="may not verification read"):
        cases.list_cases(v.jp.node, exporter)
    with pytest.raises(Forbidden, match="may not verification read"):
        cases.get_file(v.jp.node, exporter, case.id, "x")
    with pytest.raises(NotFound, match="no verification case nope"):
        cases.get_case(v.jp.node, v.jp.customs, "nope")
    assert cases.get_case(v.jp.node, v.jp.officer, case.id)["id"] == case.id
