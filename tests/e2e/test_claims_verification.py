"""Retroactive verification between two gateways: request with evidence, acknowledgement, answer
per item updating both COs and listing the claims affected; and NO_REPLY on both sides when the
deadline passes on the moved clock."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest

from originlink.domain.errors import Conflict
from originlink.services.importing import claims, reviews
from originlink.services.verification import answers as verification_issuer
from originlink.services.verification import cases
from originlink.services.verification import requests as verification
from originlink.testing.network import Gateway
from tests.claims_support import declaration
from tests.exchange_support import issue, two_gateways

EVIDENCE = b"%PDF-1.4 cost breakdown of the bearings\n"


def _received_id(jp: Gateway, number: str) -> str:
    with jp.node.store.read() as tx:
        return tx.certificates.find(side="import", issuing_country="SG", number=number)[0].id


def _export_case(sg: Gateway) -> dict:
    items, total = cases.list_cases(sg.node, sg.officer, side="export")
    assert total == 1
    return cases.get_case(sg.node, sg.officer, items[0]["id"])


def test_request_acknowledge_answer_round_trip(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    number = issued.certificate.number
    claims.submit_declaration(jp.node, jp.customs, declaration("JP-1", "400", number=number))
    co_id = _received_id(jp, number)
    case = verification.request_verification(
        jp.node,
        jp.customs,
        {
            "certificate_id": co_id,
            "reasons": ["ORIGINATING_STATUS", "VALUE_CONTENT"],
            "questions": ["Provide the cost breakdown supporting RVC 45%."],
            "attachments": [
                {
                    "name": "breakdown.pdf",
                    "media_type": "application/pdf",
                    "content": base64.b64encode(EVIDENCE).decode(),
                }
            ],
        },
    )
    assert case.due_at == case.opened_at + timedelta(days=90)
    assert "RCEP-TXT Art 3.24" in (case.deadline_note or "")
    referred = claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-2", "1", number=number)
    )
    assert referred.record.decision["lines"][0]["reason_codes"] == [
        "CO_UNDER_VERIFICATION",
        "RELEASE_UNDER_GUARANTEE",
    ]
    net.drain()
    mirror = _export_case(sg)
    assert mirror["status"] == "OPEN" and mirror["due_at"] == case.due_at.isoformat()
    assert mirror["request"]["reasons"] == ["ORIGINATING_STATUS", "VALUE_CONTENT"]
    assert mirror["files"][0]["sha256"] == hashlib.sha256(EVIDENCE).hexdigest()
    name, _, content, _ = cases.get_file(
        sg.node, sg.officer, mirror["id"], mirror["files"][0]["id"]
    )
    assert (name, content) == ("breakdown.pdf", EVIDENCE)

    verification_issuer.acknowledge(sg.node, sg.officer, mirror["id"], {})
    net.drain()
    assert cases.get_case(jp.node, jp.customs, case.id)["status"] == "ACKNOWLEDGED"
    verification_issuer.answer(
        sg.node,
        sg.officer,
        mirror["id"],
        {
            "items": [{"item": 1, "result": "NOT_CONFIRMED", "findings": "RVC is 31%, not 45%."}],
            "summary": "The producer's records do not support the criterion.",
        },
    )
    net.drain()
    answered = cases.get_case(jp.node, jp.customs, case.id)
    assert answered["status"] == "ANSWERED" and answered["outcome"] == "NOT_CONFIRMED"
    affected = answered["response"]["affected_claims"]
    assert [(a["declaration_id"], a["item_result"]) for a in affected] == [
        ("JP-1", "NOT_CONFIRMED")
    ]
    with jp.node.store.read() as tx:
        assert tx.certificates.get(co_id).verification_status == "NOT_CONFIRMED"
    with sg.node.store.read() as tx:
        exported = tx.certificates.get(issued.certificate.id)
        assert exported.verification_status == "NOT_CONFIRMED"
    listed, _ = reviews.list_reviews(jp.node, jp.customs, status="OPEN")
    assert [(r["declaration_id"], r["reason"]) for r in listed] == [
        ("JP-1", "ORIGIN_NOT_CONFIRMED")
    ]
    denied = claims.submit_declaration(jp.node, jp.customs, declaration("JP-3", "1", number=number))
    assert denied.record.decision["lines"][0]["reason_codes"] == ["ORIGIN_NOT_CONFIRMED"]
    net.close()


def test_a_request_without_answer_lapses_to_no_reply_on_both_sides(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    number = issued.certificate.number
    claims.submit_declaration(jp.node, jp.customs, declaration("JP-1", "10", number=number))
    case = verification.request_verification(
        jp.node,
        jp.customs,
        {
            "certificate_id": _received_id(jp, number),
            "reasons": ["RANDOM"],
            "items": [1],
            "questions": ["Confirm the origin of item 1."],
            "reply_days": 30,
        },
    )
    assert case.due_at == case.opened_at + timedelta(days=30)
    net.drain()
    mirror = _export_case(sg)
    assert mirror["due_at"] == case.due_at.isoformat()
    net.advance(timedelta(days=29, hours=23))
    net.drain()
    assert cases.get_case(jp.node, jp.customs, case.id)["status"] == "OPEN"
    net.advance(timedelta(hours=2))
    net.drain()
    assert cases.get_case(jp.node, jp.customs, case.id)["status"] == "NO_REPLY"
    assert cases.get_case(sg.node, sg.officer, mirror["id"])["status"] == "NO_REPLY"
    with pytest.raises(Conflict, match="NO_REPLY"):
        verification_issuer.answer(
            sg.node,
            sg.officer,
            mirror["id"],
            {"items": [{"item": 1, "result": "CONFIRMED", "findings": "late"}]},
        )
    listed, _ = reviews.list_reviews(jp.node, jp.customs, status="OPEN")
    assert [(r["declaration_id"], r["reason"]) for r in listed] == [
        ("JP-1", "VERIFICATION_NO_REPLY")
    ]
    net.close()
