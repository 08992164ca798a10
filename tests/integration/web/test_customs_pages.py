"""The customs officer's pages at JP-CUSTOMS after SG-CUSTOMS issued a CO: received
certificates with filters and refused filters, a certificate's page (signature check, items
with what remains, history), a claim entered on the form and decided per line (an
over-claim denied with its reason), a verification case opened with its deadline and days
left, the claims listed for review."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from originlink.testing.network import Network
from tests.exchange_support import issue, two_gateways
from tests.network_web_support import GatewayWeb, gateway_web
from tests.web_support import csrf_of, sign_in


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    network = two_gateways(tmp_path)
    yield network
    network.close()


@pytest.fixture
def jp(net: Network, tmp_path: Path) -> GatewayWeb:
    return gateway_web(net, "JP-CUSTOMS", tmp_path / "jp-home")


def received(net: Network) -> tuple[str, str]:
    """SG issues a CO for JP and JP receives it: (number, JP's record id)."""
    number = issue(net["SG-CUSTOMS"]).certificate.number
    net.drain()
    with net["JP-CUSTOMS"].node.store.read() as tx:
        (record,) = tx.certificates.find(side="import", issuing_country="SG", number=number)
    return number, record.id


def customs(jp: GatewayWeb) -> tuple[TestClient, str]:
    client = jp.client()
    return client, sign_in(client, "customs")


def test_the_list_shows_received_certificates_with_filters(net: Network, jp: GatewayWeb) -> None:
    number, record_id = received(net)
    client, _ = customs(jp)
    page = client.get("/app/customs/certificates")
    assert page.status_code == 200
    assert f'href="/app/customs/certificates/{record_id}">SG {number}</a>' in page.text
    assert "1 certificate matches." in page.text
    assert number in client.get("/app/customs/certificates?partner=SG-CUSTOMS").text
    assert number not in client.get("/app/customs/certificates?status=CANCELLED").text
    refused = client.get("/app/customs/certificates?issued_from=2025-02-30")
    assert refused.status_code == 400
    assert "is not a date (YYYY-MM-DD)" in refused.text
    assert 'name="issued_from" type="date" value="2025-02-30" aria-invalid="true"' in refused.text


def test_a_certificate_s_page_checks_the_signature_and_shows_what_remains(
    net: Network, jp: GatewayWeb
) -> None:
    number, record_id = received(net)
    client, _ = customs(jp)
    page = client.get(f"/app/customs/certificates/{record_id}")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    assert f"Certificate {number}" in text
    assert "Valid: signed by SG-CUSTOMS, listed in this node" in text
    assert "Ball bearings, 10 cartons" in text and "1,200" in text  # quantity and remaining
    assert "partner:SG-CUSTOMS" in text and "RECEIVED" in text  # the status history
    issued_here = client.get("/app/customs/certificates/not-a-received-id")
    assert issued_here.status_code == 404


def test_a_claim_is_decided_per_line_and_an_over_claim_denied(net: Network, jp: GatewayWeb) -> None:
    number, record_id = received(net)
    client, token = customs(jp)
    form = client.get(f"/app/customs/claims/new?certificate={record_id}")
    assert form.status_code == 200
    assert f'name="number" value="{number}"' in form.text
    assert 'name="line-1-hs_code" value="848210"' in form.text
    base = {
        "csrf_token": token,
        "date": "2025-03-04",
        "importer": "Example Trading KK",
        "agreement": "RCEP",
        "issuing_country": "SG",
        "number": number,
        "line-1-co_item": "1",
        "line-1-hs_code": "848210",
        "line-1-unit_code": "H87",
        "line-1-value": "6083.33",
        "line-1-currency": "USD",
    }
    granted = client.post(
        "/app/customs/claims/new", data={**base, "id": "JP-1", "line-1-quantity": "400"}
    )
    assert granted.status_code == 303, granted.text
    decided = client.get(granted.headers["location"])
    assert 'class="decision-GRANTED"' in decided.text and "all checks passed" in decided.text
    over = client.post(
        "/app/customs/claims/new", data={**base, "id": "JP-2", "line-1-quantity": "900"}
    )
    denied = client.get(over.headers["location"])
    assert 'class="decision-DENIED"' in denied.text
    assert "more than what remains of the item (over-claim)" in denied.text
    listed = client.get("/app/customs/claims")
    assert "JP-1" in listed.text and "JP-2" in listed.text
    assert "1 / 1" in listed.text and "0 / 1" in listed.text
    after = client.get(f"/app/customs/certificates/{record_id}")
    assert "800" in after.text  # 1,200 - 400 remain


def test_a_bad_claim_comes_back_on_the_form_saying_what_to_fix(
    net: Network, jp: GatewayWeb
) -> None:
    number, _ = received(net)
    client, token = customs(jp)
    answer = client.post(
        "/app/customs/claims/new",
        data={
            "csrf_token": token,
            "id": "JP-3",
            "date": "2025-03-04",
            "importer": "Example Trading KK",
            "issuing_country": "SG",
            "number": number,
            "line-1-co_item": "1",
            "line-1-hs_code": "84",
            "line-1-quantity": "-5",
            "line-1-unit_code": "H87",
            "line-1-value": "10",
            "line-1-currency": "USD",
        },
    )
    assert answer.status_code == 400
    assert "Please correct this" in answer.text
    assert 'name="line-1-quantity" value="-5"' in answer.text


def test_a_verification_case_is_opened_with_its_deadline(net: Network, jp: GatewayWeb) -> None:
    number, record_id = received(net)
    client, token = customs(jp)
    opened = client.post(
        f"/app/customs/certificates/{record_id}/verification",
        data={
            "csrf_token": token,
            "reasons": ["ORIGINATING_STATUS"],
            "questions": "Provide the cost breakdown.\nName the supplier of the steel.",
            "reply_days": "30",
        },
    )
    assert opened.status_code == 303, opened.text
    case = client.get(opened.headers["location"])
    assert "doubt about the originating status of the goods" in case.text
    assert "Name the supplier of the steel." in case.text
    listed = client.get("/app/customs/verifications")
    row = re.sub(r"\s+", " ", listed.text)
    assert f"SG {number}</a>" in row and re.search(r'class="num">(29|30)</td>', row)
    refused = client.post(
        f"/app/customs/certificates/{record_id}/verification",
        data={"csrf_token": token, "questions": "Why?"},
    )
    assert refused.status_code == 400 and "Please correct this" in refused.text


def test_the_review_list_answers(net: Network, jp: GatewayWeb) -> None:
    client, _ = customs(jp)
    page = client.get("/app/customs/reviews")
    assert page.status_code == 200 and "Nothing to review." in page.text
    assert csrf_of(page.text)
