"""GET /verify/{country}/{number}?d=: every status, authenticity, the JSON twin, no login, no
leak of prices, quantities, names or addresses."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from originlink.services.context import Node
from tests.public_verify_support import (
    change_status,
    co_data,
    digest_of,
    make_app,
    make_node,
    store_issued,
)

JSON = {"Accept": "application/json"}


@pytest.fixture
def node(db_url: str) -> Node:
    return make_node(db_url)


@pytest.fixture
def client(node: Node, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(make_app(node, tmp_path)) as test_client:
        yield test_client


def verify(client: TestClient, number: str, digest: str | None = None, **kw: Any) -> Any:
    query = {"d": digest} if digest else {}
    return client.get(f"/verify/SG/{number}", params=query, **kw)


def test_an_issued_co_is_authentic_and_valid_without_any_login(
    node: Node, client: TestClient
) -> None:
    data = co_data("RCEP-SG-2025-000001")
    store_issued(node, data)
    response = verify(client, "RCEP-SG-2025-000001", digest_of(data), headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "authentic"
    assert body["authentic"] is True
    assert body["status"] == "ISSUED"
    assert body["valid_until"] == "2026-03-04"
    assert body["issuing_authority"] == "Singapore Customs"
    assert body["issue_date"] == "2025-03-04"
    summary = body["summary"]
    assert summary["form_name"] == "Form RCEP"
    assert summary["agreement_code"] == "RCEP"
    assert (summary["exporting_country"], summary["importing_country"]) == ("SG", "JP")
    assert summary["item_count"] == 1
    assert summary["items"] == [
        {"sequence_number": 1, "hs_code": "848210", "description": "Ball bearings, 10 cartons"}
    ]


FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
SPANISH = {"Accept-Language": "es"}


def test_the_html_page_says_authentic_and_valid(node: Node, client: TestClient) -> None:
    data = co_data("RCEP-SG-2025-000002")
    store_issued(node, data)
    response = verify(client, "RCEP-SG-2025-000002", digest_of(data))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "Authentic — valid" in page
    assert "valid until 2026-03-04" in page
    assert "Singapore Customs" in page
    assert "8482" in page
    assert "<script" not in page and "http://" not in page and "https://" not in page
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert style is not None
    style_hash = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{style_hash}'" in policy  # the browser applies the style
    assert response.headers["cache-control"] == "no-store"


def test_the_html_page_speaks_the_visitors_language(node: Node, client: TestClient) -> None:
    """A border officer's phone asks in French or Spanish: the verdict and labels follow."""
    data = co_data("RCEP-SG-2025-000009")
    store_issued(node, data)
    french = verify(client, "RCEP-SG-2025-000009", digest_of(data), headers=FRENCH).text
    assert '<html lang="fr">' in french and "Authentique — valide" in french
    assert "est valide jusqu'au 2026-03-04" in html.unescape(french)
    assert "Autorité émettrice" in french and "Authentic" not in french
    spanish = verify(client, "RCEP-SG-2025-000009", digest_of(data), headers=SPANISH).text
    assert '<html lang="es">' in spanish and "Auténtico — válido" in spanish
    unknown = verify(client, "RCEP-SG-2025-999999", None, headers=SPANISH)
    assert unknown.status_code == 404 and "No encontrado" in unknown.text
    cancelled = co_data("RCEP-SG-2025-000010")
    change_status(node, store_issued(node, cancelled), "CANCELLED")
    said = verify(client, "RCEP-SG-2025-000010", digest_of(cancelled), headers=SPANISH).text
    assert "Auténtico, pero ANULADO" in said and "CANCELLED" not in said
    bad = verify(client, "RCEP SG 2025", digest_of(data), headers=FRENCH)
    assert "Ce lien de vérification n&#39;est pas valide" in bad.text


def test_a_cancelled_co_keeps_its_original_qr_authentic_but_says_cancelled(
    node: Node, client: TestClient
) -> None:
    data = co_data("RCEP-SG-2025-000003")
    record = store_issued(node, data)
    cancelled = change_status(node, record, "CANCELLED")
    original_qr = verify(client, "RCEP-SG-2025-000003", digest_of(data), headers=JSON).json()
    assert original_qr["outcome"] == "authentic_earlier_version"
    assert original_qr["authentic"] is True
    assert original_qr["status"] == "CANCELLED"
    assert (original_qr["matched_version"], original_qr["current_version"]) == (1, 2)
    new_qr = verify(client, "RCEP-SG-2025-000003", cancelled.digest, headers=JSON).json()
    assert new_qr["outcome"] == "authentic"
    assert new_qr["status"] == "CANCELLED"
    page = verify(client, "RCEP-SG-2025-000003", digest_of(data)).text
    assert "Authentic, but CANCELLED" in page
    assert "can no longer be used" in page


def test_a_replaced_co_links_to_the_replacing_co(node: Node, client: TestClient) -> None:
    old_data = co_data("RCEP-SG-2025-000004")
    old = store_issued(node, old_data)
    new = store_issued(node, co_data("RCEP-SG-2025-000005"))
    change_status(node, old, "REPLACED", replaced_by=new.id)
    body = verify(client, "RCEP-SG-2025-000004", digest_of(old_data), headers=JSON).json()
    assert body["status"] == "REPLACED"
    assert body["authentic"] is True
    assert body["replaced_by"] == {
        "issuing_country": "SG",
        "number": "RCEP-SG-2025-000005",
        "path": "/verify/SG/RCEP-SG-2025-000005",
    }
    page = verify(client, "RCEP-SG-2025-000004", digest_of(old_data)).text
    assert "Authentic, but REPLACED" in page
    assert 'href="/verify/SG/RCEP-SG-2025-000005"' in page


def test_an_issued_co_past_its_validity_reads_as_expired(node: Node, client: TestClient) -> None:
    data = co_data("RCEP-SG-2024-000006", validity_end_date="2025-05-31")
    store_issued(node, data)
    body = verify(client, "RCEP-SG-2024-000006", digest_of(data), headers=JSON).json()
    assert body["status"] == "EXPIRED"
    assert body["authentic"] is True
    page = verify(client, "RCEP-SG-2024-000006", digest_of(data)).text
    assert "Authentic, but EXPIRED" in page
    assert "validity ended on 2025-05-31" in page


def test_a_wrong_digest_is_not_authentic_and_reveals_nothing_more(
    node: Node, client: TestClient
) -> None:
    data = co_data("RCEP-SG-2025-000007")
    store_issued(node, data)
    forged = co_data("RCEP-SG-2025-000007")
    forged["certificate"]["goods_items"][0]["description"] = "Ball bearings, 100 cartons"
    response = verify(client, "RCEP-SG-2025-000007", digest_of(forged), headers=JSON)
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "not_authentic"
    assert body["authentic"] is False
    assert "summary" not in body and "status" not in body
    page = verify(client, "RCEP-SG-2025-000007", digest_of(forged)).text
    assert "NOT AUTHENTIC" in page
    assert "Ball bearings" not in page


def test_an_unknown_number_is_not_found(client: TestClient) -> None:
    response = verify(client, "RCEP-SG-2025-999999", "A" * 43, headers=JSON)
    assert response.status_code == 404
    assert response.json()["outcome"] == "not_found"
    page = verify(client, "RCEP-SG-2025-999999", "A" * 43)
    assert page.status_code == 404
    assert "Not found" in page.text


def test_without_a_digest_only_the_status_is_given(node: Node, client: TestClient) -> None:
    store_issued(node, co_data("RCEP-SG-2025-000008"))
    body = verify(client, "RCEP-SG-2025-000008", headers=JSON).json()
    assert body["outcome"] == "not_checked"
    assert "authentic" not in body  # None is omitted: not checked is neither yes nor no
    assert body["status"] == "ISSUED"
    assert "summary" not in body
    assert "authenticity of your copy was not checked" in verify(client, "RCEP-SG-2025-000008").text


def test_the_json_twin_is_also_reachable_with_format_json(node: Node, client: TestClient) -> None:
    data = co_data("RCEP-SG-2025-000009")
    store_issued(node, data)
    response = client.get(
        "/verify/SG/RCEP-SG-2025-000009", params={"d": digest_of(data), "format": "json"}
    )
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["outcome"] == "authentic"
    assert response.headers["vary"] == "Accept, Accept-Language"  # the page follows both


def test_certified_true_copies_verify_with_their_own_digest(node: Node, client: TestClient) -> None:
    original = co_data("RCEP-SG-2025-000010")
    store_issued(node, original)
    copy = co_data(
        "RCEP-SG-2025-000010",
        flags={"certified_true_copy": True, "true_copy_issue_date": "2025-05-20"},
    )
    store_issued(node, copy, copy_seq=1)
    body = verify(client, "RCEP-SG-2025-000010", digest_of(copy), headers=JSON).json()
    assert body["outcome"] == "authentic"
    assert body["true_copy_date"] == "2025-05-20"
    assert (
        "true_copy_date"
        not in verify(client, "RCEP-SG-2025-000010", digest_of(original), headers=JSON).json()
    )


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ("/verify/sg/RCEP-SG-2025-000001", "path:issuing_country"),
        ("/verify/SG/RCEP%20SG", "path:number"),
        ("/verify/SG/RCEP-SG-2025-000001?d=short", "query:d"),
    ],
)
def test_malformed_links_are_refused_with_the_field_named(
    client: TestClient, path: str, pointer: str
) -> None:
    response = client.get(path, headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["pointer"] == pointer
    page = client.get(path)
    assert page.status_code == 400
    assert "This verification link is not valid" in page.text


def test_numbers_with_slashes_are_found(node: Node, client: TestClient) -> None:
    data = co_data("SG/2025/0011")
    store_issued(node, data)
    body = client.get("/verify/SG/SG/2025/0011", params={"d": digest_of(data)}, headers=JSON).json()
    assert body["outcome"] == "authentic"
    assert body["number"] == "SG/2025/0011"


def test_no_price_quantity_name_or_address_leaks(node: Node, client: TestClient) -> None:
    data = co_data("RCEP-SG-2025-000012")
    store_issued(node, data)
    digest = digest_of(data)
    outputs = [
        verify(client, "RCEP-SG-2025-000012", digest, headers=JSON).text,
        verify(client, "RCEP-SG-2025-000012", digest).text,
    ]
    secrets = [
        "18250",  # FOB value
        "18,250",
        "USD",
        "1200",  # quantity
        "350.5",  # gross weight
        "INV-88231",  # invoice
        "Example Precision",  # exporter name
        "Example Way",  # exporter address
        "Example Trading",  # importer name
        "Osaka",  # importer city
        "201912345K",  # exporter identifier
        "A. Officer",  # certifying official
        "<compact JWS>",  # signature
    ]
    for text in outputs:
        for secret in secrets:
            assert secret not in text, secret


def test_other_nodes_certificates_and_import_side_records_are_not_answered(
    node: Node, client: TestClient
) -> None:
    data = co_data("RCEP-SG-2025-000013")
    record = store_issued(node, data)

    with node.store.transaction() as tx:
        tx.certificates.add(
            record.with_(id="00000000-0000-0000-0000-000000000013", side="import", number="X-1")
        )
    response = verify(client, "X-1", record.digest, headers=JSON)
    assert response.status_code == 404
