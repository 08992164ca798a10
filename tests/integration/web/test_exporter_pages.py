"""The exporter's pages (web/routes/exporter_applications.py, exporter_certificates.py): an
application by form (labelled fields, rows added and removed, findings next to their fields,
live check, HS suggestions, save, submit, withdraw), by file upload, and the certificates with
their PDF, true-copy and replacement requests and their use."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from originlink.services.importing import claims
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.store.repos.applications import ApplicationFilter
from originlink.web.application_form import form_of
from tests.claims_support import declaration
from tests.conftest import load_example
from tests.exchange_support import issue, two_gateways
from tests.node_support import application_content
from tests.web_support import WebNode, client_of, sign_in, web_app


def _fields(content: dict[str, Any], token: str, **extra: str) -> dict[str, str]:
    form = form_of(content)
    data = {"csrf_token": token, **form.values, **extra}
    for i, row in enumerate(form.items):
        for name, value in row.items():
            data[f"items-{i}-{name}"] = value
    return data


def _exporter(web: WebNode) -> tuple[TestClient, str]:
    client = web.client()
    return client, sign_in(client, "exporter")


def _drafts(web: WebNode) -> list[Any]:
    return apps.list_applications(
        web.t.node, web.t.exporter, ApplicationFilter(), limit=50, offset=0
    )[0]


def test_the_new_application_form_offers_the_agreements_choices(web: WebNode) -> None:
    client, token = _exporter(web)
    page = client.get("/app/exporter/applications/new").text
    for name in ("agreement", "importing_country", "exporter_name", "transport_mode"):
        assert f'<label for="{name}">' in page and f'id="{name}" name="{name}"' in page
    assert '<option value="KGM">kilogram (KGM)</option>' in page  # units by name (Rec 20)
    assert 'hx-get="/app/exporter/hs-codes"' in page
    refreshed = client.post(
        "/app/exporter/applications/new",
        data={"csrf_token": token, "agreement": "RCEP", "action": "refresh",
              "items-0-description": "Bearings"},
    )  # fmt: skip
    assert refreshed.status_code == 200
    assert '<option value="RVC">RVC — Regional value content' in refreshed.text
    assert 'value="Bearings"' in refreshed.text  # nothing typed is lost
    assert _drafts(web) == []  # choosing is not saving


def test_rows_are_added_and_removed_without_saving(web: WebNode) -> None:
    client, token = _exporter(web)
    data = _fields(application_content(), token, action="add_item")
    added = client.post("/app/exporter/applications/new", data=data)
    assert 'id="items-1-description"' in added.text and "autofocus" in added.text
    data = _fields(application_content(), token, action="remove_item:0")
    data["items-1-description"] = "Second"
    removed = client.post("/app/exporter/applications/new", data=data)
    assert 'id="items-1-description"' not in removed.text
    assert 'id="items-0-description" name="items-0-description" value="Second"' in removed.text
    assert _drafts(web) == []


def test_an_exporter_applies_through_the_form_and_submits(web: WebNode) -> None:
    client, token = _exporter(web)
    saved = client.post(
        "/app/exporter/applications/new", data=_fields(application_content(), token, action="save")
    )
    assert saved.status_code == 303
    draft_page = client.get(saved.headers["location"])
    assert "The draft is saved." in draft_page.text
    [draft] = _drafts(web)
    assert draft.status == "DRAFT" and draft.organisation == web.t.exporter.organisation
    assert (
        draft.content["certificate"]["parties"]["exporter"]["name"] == "Example Precision Pte Ltd"
    )
    data = _fields(draft.content, token, action="submit", revision=str(draft.revision))
    submitted = client.post(f"/app/exporter/applications/{draft.id}", data=data)
    assert submitted.status_code == 303 and submitted.headers["location"].endswith("submitted=1")
    assert _drafts(web)[0].status == "SUBMITTED"
    listing = client.get("/app/exporter/applications?status=SUBMITTED").text
    assert f'/app/exporter/applications/{draft.id}"' in listing and "Submitted" in listing
    view = client.get(f"/app/exporter/applications/{draft.id}").text
    assert "Withdraw the application" in view
    token_of_view = re.search(r'name="csrf_token" value="([^"]+)"', view)
    assert token_of_view
    withdrawn = client.post(
        f"/app/exporter/applications/{draft.id}/withdraw", data={"csrf_token": token}
    )
    assert withdrawn.status_code == 303 and _drafts(web)[0].status == "DRAFT"


def test_a_draft_that_cannot_be_submitted_shows_each_finding_at_its_field(web: WebNode) -> None:
    client, token = _exporter(web)
    content = application_content()
    content["certificate"]["goods_items"][0]["description"] = ""
    answer = client.post(
        "/app/exporter/applications/new", data=_fields(content, token, action="submit")
    )
    assert answer.status_code == 422
    assert "cannot be submitted yet" in answer.text
    field = re.search(r'<input id="items-0-description"[^>]*>', answer.text)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'aria-describedby="finding-items-0-description-1"' in field.group(0)
    assert 'id="finding-items-0-description-1">SEVERE SCHEMA-REQUIRED' in answer.text
    [draft] = _drafts(web)
    assert draft.status == "DRAFT"  # saved, not submitted


def test_the_live_check_lists_findings_without_saving(web: WebNode) -> None:
    client, token = _exporter(web)
    content = application_content()
    del content["certificate"]["importing_country"]
    answer = client.post(
        "/app/exporter/applications/check",
        data=_fields(content, token),
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and "<html" not in answer.text
    assert 'href="#importing_country"' in answer.text
    complete = client.post(
        "/app/exporter/applications/check", data=_fields(application_content(), token)
    )
    assert "0 to correct before submitting" in complete.text
    assert _drafts(web) == []


def test_hs_codes_are_suggested_as_one_types(web: WebNode) -> None:
    client, _token = _exporter(web)
    answer = client.get("/app/exporter/hs-codes", params={"items-3-hs_code": "8482.1"})
    assert answer.text.strip() == '<option value="848210">848210 — Ball bearings</option>'
    words = client.get("/app/exporter/hs-codes", params={"q": "ball bearings"}).text
    assert "848210" in words


def test_an_uploaded_file_becomes_a_draft_shown_in_the_form(web: WebNode) -> None:
    client, token = _exporter(web)
    document = load_example("valid/rcep-sg-jp-minimal.json")
    del document["certificate"]["transport"]["loading_location"]["locode"]
    document["certificate"]["transport"]["loading_location"]["locode"] = "SG SIN"
    answer = client.post(
        "/app/exporter/applications/upload",
        data={"csrf_token": token, "kind": "new"},
        files={"document": ("co.json", json.dumps(document).encode(), "application/json")},
    )
    assert answer.status_code == 200
    assert "The file was read as canonical and saved as a draft" in answer.text
    assert (
        'id="exporter_name" name="exporter_name" type="text" value="Example Precision Pte Ltd"'
        in answer.text
    )
    field = re.search(r'<input id="loading_locode"[^>]*>', answer.text)
    assert field and 'aria-describedby="finding-loading_locode-1"' in field.group(0)
    [draft] = _drafts(web)
    assert draft.status == "DRAFT"


def test_a_file_or_form_too_empty_to_be_an_application_stores_nothing(web: WebNode) -> None:
    client, token = _exporter(web)
    document = load_example("valid/rcep-sg-jp-minimal.json")
    del document["certificate"]["importing_country"]
    answer = client.post(
        "/app/exporter/applications/upload",
        data={"csrf_token": token},
        files={"document": ("co.json", json.dumps(document).encode(), "application/json")},
    )
    assert answer.status_code == 422
    assert "The file cannot be an application" in answer.text
    assert "certificate.importing_country" in answer.text
    content = application_content()
    del content["certificate"]["importing_country"]
    typed = client.post(
        "/app/exporter/applications/new", data=_fields(content, token, action="save")
    )
    assert typed.status_code == 422
    field = re.search(r'<select id="importing_country"[^>]*>', typed.text)
    assert field and 'aria-invalid="true"' in field.group(0)
    assert 'value="Example Precision Pte Ltd"' in typed.text  # nothing typed is lost
    assert _drafts(web) == []


def test_a_file_that_cannot_be_read_says_why_and_stores_nothing(web: WebNode) -> None:
    client, token = _exporter(web)
    answer = client.post(
        "/app/exporter/applications/upload",
        data={"csrf_token": token},
        files={"document": ("scan.pdf", b"%PDF-1.7", "application/pdf")},
    )
    assert answer.status_code == 422
    assert "The file could not be read: the document is neither XML nor JSON" in answer.text
    assert _drafts(web) == []


def test_certificates_with_status_pdf_use_and_requests(web: WebNode) -> None:
    client, token = _exporter(web)
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    cert = issuance.issue_application(web.t.node, web.t.officer, draft.id).certificate
    listing = client.get("/app/exporter/certificates").text
    assert cert.number in listing and "Issued" in listing
    page = client.get(f"/app/exporter/certificates/{cert.id}").text
    assert "Ball bearings, 10 cartons" in page and "Not used yet" in page
    pdf = client.get(f"/app/exporter/certificates/{cert.id}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    copy = client.post(
        f"/app/exporter/certificates/{cert.id}/true-copy", data={"csrf_token": token}
    )
    assert copy.status_code == 303
    again = client.post(
        f"/app/exporter/certificates/{cert.id}/replacement", data={"csrf_token": token}
    )
    assert again.status_code == 303
    kinds = sorted(d.kind for d in _drafts(web))
    assert kinds == ["new", "replacement", "true_copy"]


def test_another_organisations_records_are_not_found(web: WebNode) -> None:
    from originlink.domain.authz import SYSTEM_ACTOR
    from originlink.services.node import credentials, users

    users.add_user(web.t.node, SYSTEM_ACTOR, username="other", role="exporter", organisation="X")
    credentials.set_password(web.t.node, SYSTEM_ACTOR, username="other", password="another secret")
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    client = web.client()
    sign_in(client, "other", "another secret")
    answer = client.get(f"/app/exporter/applications/{draft.id}")
    assert answer.status_code == 404 and "Example Precision" not in answer.text


def test_the_exporter_sees_how_its_certificate_was_used_abroad(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    try:
        sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
        cert = issue(sg).certificate
        net.drain()
        claims.submit_declaration(
            jp.node, jp.customs, declaration("JP-7", "400", number=cert.number)
        )
        net.drain()
        client = client_of(web_app(sg.node, tmp_path, ("exporter-SG-CUSTOMS",)))
        sign_in(client, "exporter-SG-CUSTOMS")
        page = client.get(f"/app/exporter/certificates/{cert.id}").text
        used = re.search(r"<tr>\s*<td>1</td>.*?</tr>", page, re.S)
        assert used is not None
        assert ">1,200 H87<" in used.group(0) and ">400<" in used.group(0)
        assert "JP-7" in used.group(0) and "JP-CUSTOMS" in used.group(0)
    finally:
        net.close()
