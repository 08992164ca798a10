"""The whole path with the real services: issue a CO, print it, cancel it; the QR code printed
before the cancellation still verifies as authentic and says CANCELLED."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from fastapi.testclient import TestClient

from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.clock import FrozenClock
from originlink.services.context import Node
from originlink.services.issuing import applications, issuance, status_changes
from originlink.services.issuing.rendering import certificate_pdf
from originlink.services.node import users
from originlink.testing import TestCA
from originlink.trust.document_signer import TrustDocumentSigner
from tests.conftest import load_example
from tests.public_verify_support import make_app, make_node


def actor(node: Node, username: str, role: Role, organisation: str | None = None) -> Actor:
    user = users.add_user(
        node, SYSTEM_ACTOR, username=username, role=role.value, organisation=organisation
    )
    return Actor(user.id, username, role, organisation)


DocumentSigner = TrustDocumentSigner


def application_content() -> dict[str, Any]:
    cert = copy.deepcopy(load_example("valid/rcep-sg-jp-minimal.json"))["certificate"]
    for member in ("certificate_number", "issue_datetime", "status", "version"):
        cert.pop(member)
    cert["parties"].pop("certifying_official")
    cert["parties"].pop("issuing_authority")
    cert["declarations"] = {"exporter": {"date": "2025-03-03T16:40:00+08:00"}}
    return {"certificate": cert}


@pytest.fixture
def issued(db_url: str) -> Any:
    node = make_node(db_url, FrozenClock(datetime(2025, 3, 4, 1, 15, tzinfo=UTC)))
    node.signer = DocumentSigner(TestCA().issue("SG-CUSTOMS", "SG"))
    exporter = actor(node, "exporter1", Role.EXPORTER, "SG-UEN-201912345K")
    officer = actor(node, "officer1", Role.ISSUING_OFFICER)
    app = applications.create_application(node, exporter, application_content())
    applications.submit_application(node, exporter, app.id)
    return node, officer, issuance.issue_application(node, officer, app.id)


def test_the_qr_of_the_print_verifies_before_and_after_cancellation(
    issued: Any, tmp_path: Path
) -> None:
    node, officer, result = issued
    printed = certificate_pdf(node, officer, result.certificate.id)
    image = pdfium.PdfDocument(printed.pdf.data)[0].render(scale=200 / 72).to_pil()
    payload = [code.text for code in zxingcpp.read_barcodes(image)]
    assert payload == [printed.pdf.qr_payload]
    url = payload[0]
    assert url.startswith("https://verify.customs.example.sg/verify/SG/RCEP-SG-2025-")
    path = url.removeprefix("https://verify.customs.example.sg")
    with TestClient(make_app(node, tmp_path)) as client:
        before = client.get(path, headers={"Accept": "application/json"}).json()
        assert (before["outcome"], before["status"]) == ("authentic", "ISSUED")
        status_changes.cancel_certificate(node, officer, result.certificate.id, reason="goods lost")
        after = client.get(path, headers={"Accept": "application/json"}).json()
        assert after["outcome"] == "authentic_earlier_version"
        assert after["status"] == "CANCELLED"
        assert "Authentic, but CANCELLED" in client.get(path).text
    reprint = certificate_pdf(node, officer, result.certificate.id)
    assert reprint.pdf.qr_payload != printed.pdf.qr_payload  # the new version's digest


def test_the_pdf_endpoint_needs_a_reader_and_serves_the_print(issued: Any, tmp_path: Path) -> None:
    node, _, result = issued
    token = users.create_token(node, SYSTEM_ACTOR, username="officer1")
    with TestClient(make_app(node, tmp_path)) as client:
        anonymous = client.get(f"/api/v1/certificates/{result.certificate.id}.pdf")
        assert anonymous.status_code == 401
        response = client.get(
            f"/api/v1/certificates/{result.certificate.id}.pdf",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert result.certificate.number in response.headers["content-disposition"]


def test_the_pdf_endpoint_names_characters_no_font_has_unless_allowed(
    db_url: str, tmp_path: Path
) -> None:
    node = make_node(db_url, FrozenClock(datetime(2025, 3, 4, 1, 15, tzinfo=UTC)))
    node.signer = DocumentSigner(TestCA().issue("SG-CUSTOMS", "SG"))
    exporter = actor(node, "exporter1", Role.EXPORTER, "SG-UEN-201912345K")
    officer = actor(node, "officer1", Role.ISSUING_OFFICER)
    content = application_content()
    content["certificate"]["parties"]["importer"]["name"] = "Importer \ue000"
    app = applications.create_application(node, exporter, content)
    applications.submit_application(node, exporter, app.id)
    certificate_id = issuance.issue_application(node, officer, app.id).certificate.id
    token = users.create_token(node, SYSTEM_ACTOR, username="officer1")
    path = f"/api/v1/certificates/{certificate_id}.pdf"
    auth = {"Authorization": f"Bearer {token}"}
    with TestClient(make_app(node, tmp_path)) as client:
        refused = client.get(path, headers=auth)
        allowed = client.get(path, params={"allow_missing_glyphs": "true"}, headers=auth)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "MISSING_GLYPHS" and "U+E000" in refused.json()["detail"]
    assert allowed.status_code == 200 and allowed.content.startswith(b"%PDF-")
