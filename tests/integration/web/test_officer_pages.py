"""The issuing officer's pages (web/routes/officer_applications.py, officer_certificates.py,
officer_verifications.py): the queue oldest first with its filters, an application's findings
and attached documents, issuing (each kind) or refusing with reasons, cancelling, and
verification requests acknowledged and answered with evidence files."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from originlink.services.issuing import applications as apps
from originlink.services.verification import cases
from originlink.testing.network import Network
from tests.exchange_support import two_gateways
from tests.node_support import application_content
from tests.services.verification.support import Verification, open_case, received_co
from tests.web_support import WebNode, client_of, sign_in, web_app


def _content(**changes: Any) -> dict[str, Any]:
    content = application_content()
    content["certificate"]["transport"]["departure_datetime"] = "2025-04-30"
    content["certificate"].update(changes)
    return content


def _submitted(web: WebNode, content: dict[str, Any] | None = None, **kwargs: Any) -> str:
    draft = apps.create_application(web.t.node, web.t.exporter, content or _content(), **kwargs)
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    return draft.id


def _links(html: str) -> list[str]:
    return re.findall(r'href="/app/officer/applications/([0-9a-f-]{36})"', html)


def test_the_queue_lists_submitted_applications_oldest_first_with_filters(web: WebNode) -> None:
    first = _submitted(web)
    web.t.clock.advance(timedelta(days=3))
    second = _submitted(web, _content(importing_country="KR"))
    web.t.clock.advance(timedelta(days=3))
    third = _submitted(web)
    apps.create_application(web.t.node, web.t.exporter, _content())  # a draft: not queued
    client = web.client()
    sign_in(client, "officer")
    assert _links(client.get("/app/officer/queue").text) == [first, second, third]
    assert _links(client.get("/app/officer/queue?age=5").text) == [first]
    assert _links(client.get("/app/officer/queue?age=2").text) == [first, second]
    org = web.t.exporter.organisation
    assert _links(client.get(f"/app/officer/queue?exporter={org}").text) == [first, second, third]
    assert _links(client.get("/app/officer/queue?exporter=OTHER").text) == []
    assert _links(client.get("/app/officer/queue?agreement=ATIGA").text) == []
    assert "6 days" in client.get("/app/officer/queue").text


def test_an_application_page_shows_every_finding_and_the_attached_documents(
    web: WebNode,
) -> None:
    pdf = b"%PDF-1.4 invoice"
    content = _content()
    content["certificate"]["attachments"] = [
        {
            "attachment_id": "INV-1",
            "purpose": "invoice",
            "filename": "invoice.pdf",
            "mime_type": "application/pdf",
            "content_base64": base64.b64encode(pdf).decode(),
            "size_bytes": len(pdf),
            "sha256": hashlib.sha256(pdf).hexdigest(),
        }
    ]
    app_id = _submitted(web, content)
    record = apps.get_application(web.t.node, web.t.officer, app_id)
    client = web.client()
    sign_in(client, "officer")
    page = client.get(f"/app/officer/applications/{app_id}").text
    for finding in record.findings or []:
        assert finding["code"] in page and finding["message"].replace("'", "&#39;") in page
    assert "invoice.pdf" in page
    download = client.get(f"/app/officer/applications/{app_id}/attachments/INV-1")
    assert download.status_code == 200 and download.content == pdf
    assert "attachment" in download.headers["content-disposition"]
    assert client.get(f"/app/officer/applications/{app_id}/attachments/NOPE").status_code == 404


def test_an_officer_issues_and_the_exporter_sees_the_certificate(web: WebNode) -> None:
    app_id = _submitted(web)
    client = web.client()
    token = sign_in(client, "officer")
    page = client.get(f"/app/officer/applications/{app_id}").text
    assert "Issue as New" in page
    issued = client.post(f"/app/officer/applications/{app_id}/issue", data={"csrf_token": token})
    assert issued.status_code == 303
    certificate = client.get(issued.headers["location"]).text
    assert "The certificate is issued and signed" in certificate
    record = apps.get_application(web.t.node, web.t.exporter, app_id)
    assert record.status == "ISSUED" and record.certificate_id
    exporter = web.client()
    sign_in(exporter, "exporter")
    assert "Issued" in exporter.get(f"/app/exporter/certificates/{record.certificate_id}").text


def test_a_certificate_that_fails_its_checks_is_not_issued_and_says_why(web: WebNode) -> None:
    app_id = _submitted(web, application_content())  # shipped 2025-03-05
    web.t.clock.advance(timedelta(days=10))
    client = web.client()
    token = sign_in(client, "officer")
    answer = client.post(f"/app/officer/applications/{app_id}/issue", data={"csrf_token": token})
    assert answer.status_code == 422
    assert "The certificate was not issued" in answer.text and "DS-10" in answer.text
    assert apps.get_application(web.t.node, web.t.officer, app_id).status == "SUBMITTED"


def test_refusing_needs_reasons_that_the_exporter_then_reads(web: WebNode) -> None:
    app_id = _submitted(web)
    client = web.client()
    token = sign_in(client, "officer")
    empty = client.post(
        f"/app/officer/applications/{app_id}/refuse", data={"csrf_token": token, "reasons": " \n"}
    )
    assert empty.status_code == 422 and "Give at least one reason" in empty.text
    refused = client.post(
        f"/app/officer/applications/{app_id}/refuse",
        data={"csrf_token": token, "reasons": "HS code is 8482.20\nFOB value missing"},
    )
    assert refused.status_code == 303
    record = apps.get_application(web.t.node, web.t.officer, app_id)
    assert record.status == "NOT_ISSUED"
    assert record.refusal_reasons == ["HS code is 8482.20", "FOB value missing"]
    exporter = web.client()
    sign_in(exporter, "exporter")
    page = exporter.get(f"/app/exporter/applications/{app_id}").text
    assert "Refused by the issuing authority" in page and "FOB value missing" in page


def test_true_copies_and_replacements_are_issued_as_their_kind_and_cos_cancelled(
    web: WebNode,
) -> None:
    client = web.client()
    token = sign_in(client, "officer")
    original = client.post(
        f"/app/officer/applications/{_submitted(web)}/issue", data={"csrf_token": token}
    )
    cert_id = original.headers["location"].split("/")[-1].split("?")[0]
    copy_app = apps.request_true_copy(web.t.node, web.t.exporter, cert_id)
    apps.submit_application(web.t.node, web.t.exporter, copy_app.id)
    assert (
        "Issue as Certified true copy"
        in client.get(f"/app/officer/applications/{copy_app.id}").text
    )
    assert (
        client.post(
            f"/app/officer/applications/{copy_app.id}/issue", data={"csrf_token": token}
        ).status_code
        == 303
    )
    replacement = _submitted(web, kind="replacement", related_certificate_id=cert_id)
    waiting = client.get(f"/app/officer/certificates/{cert_id}").text
    assert "Replacement applications waiting" in waiting and replacement in waiting
    issued = client.post(
        f"/app/officer/applications/{replacement}/issue", data={"csrf_token": token}
    )
    assert issued.status_code == 303
    assert "Replaced" in client.get(f"/app/officer/certificates/{cert_id}").text
    other = (
        client.post(
            f"/app/officer/applications/{_submitted(web)}/issue", data={"csrf_token": token}
        )
        .headers["location"]
        .split("/")[-1]
        .split("?")[0]
    )
    no_reason = client.post(
        f"/app/officer/certificates/{other}/cancel", data={"csrf_token": token, "reason": ""}
    )
    assert no_reason.status_code == 422
    cancelled = client.post(
        f"/app/officer/certificates/{other}/cancel",
        data={"csrf_token": token, "reason": "issued in error"},
    )
    assert cancelled.status_code == 303
    page = client.get(f"/app/officer/certificates/{other}").text
    assert "Cancelled" in page and "issued in error" in page
    listing = client.get("/app/officer/certificates?status=CANCELLED").text
    assert other in listing and cert_id not in listing


@pytest.fixture
def verification(tmp_path: Path) -> Iterator[tuple[Verification, Any]]:
    net: Network = two_gateways(tmp_path)
    v = received_co(net)
    app = web_app(v.sg.node, tmp_path, ("officer-SG-CUSTOMS",))
    yield v, app
    net.close()


def test_a_verification_request_is_acknowledged_and_answered_with_evidence(
    verification: tuple[Verification, Any],
) -> None:
    v, app = verification
    open_case(v, items=[1, 2])
    v.net.drain()
    client = client_of(app)
    token = sign_in(client, "officer-SG-CUSTOMS")
    listing = client.get("/app/officer/verifications").text
    [case_id] = re.findall(r'href="/app/officer/verifications/([0-9a-f-]{36})"', listing)
    page = client.get(f"/app/officer/verifications/{case_id}").text
    assert "Provide the cost breakdown." in page and "days left" in page
    ack = client.post(
        f"/app/officer/verifications/{case_id}/acknowledge",
        data={"csrf_token": token, "remarks": "looking into it"},
    )
    assert ack.status_code == 303
    missing = client.post(
        f"/app/officer/verifications/{case_id}/answer",
        data={"csrf_token": token, "result-1": "CONFIRMED", "findings-1": "ok"},
    )
    assert missing.status_code == 422 and "not answered" in missing.text
    answer = client.post(
        f"/app/officer/verifications/{case_id}/answer",
        data={
            "csrf_token": token,
            "result-1": "CONFIRMED",
            "findings-1": "cost sheets checked",
            "result-2": "NOT_CONFIRMED",
            "findings-2": "no mill certificate",
            "summary": "item 2 not originating",
        },
        files=[("evidence", ("costs.pdf", b"%PDF-1.4 costs", "application/pdf"))],
    )
    assert answer.status_code == 303, answer.text
    case = cases.get_case(v.sg.node, v.sg.officer, case_id)
    assert case["status"] == "ANSWERED" and case["outcome"]
    [evidence] = [f for f in case["files"] if f["name"] == "costs.pdf"]
    download = client.get(f"/app/officer/verifications/{case_id}/files/{evidence['id']}")
    assert download.content == b"%PDF-1.4 costs"
    done = client.get(f"/app/officer/verifications/{case_id}").text
    assert "Answer sent" in done and "no mill certificate" in done


def test_a_back_to_back_application_by_form_is_issued_with_its_link(web: WebNode) -> None:
    from tests.integration.web.test_exporter_pages import _fields

    exporter = web.client()
    token = sign_in(exporter, "exporter")
    data = _fields(
        _content(),
        token,
        action="submit",
        kind="back_to_back",
        original_number="RCEP-JP-2025-000077",
        original_country="JP",
        original_date="2025-02-20",
    )
    assert exporter.post("/app/exporter/applications/new", data=data).status_code == 303
    client = web.client()
    officer_token = sign_in(client, "officer")
    [app_id] = _links(client.get("/app/officer/queue").text)
    assert "Issue as Back-to-back" in client.get(f"/app/officer/applications/{app_id}").text
    issued = client.post(
        f"/app/officer/applications/{app_id}/issue", data={"csrf_token": officer_token}
    )
    assert issued.status_code == 303
    page = client.get(issued.headers["location"]).text
    assert "back_to_back_of (to): JP RCEP-JP-2025-000077 (not received here)" in page
