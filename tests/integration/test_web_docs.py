"""``/docs`` and ``/redoc`` work without internet: their pages load only the node's own copies
of Swagger UI and ReDoc (pinned by checksum), no web font, no CDN, and the viewers' assets
are served by the node."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.public_verify_support import make_app, make_node

PINNED = {
    "/docs-assets/swagger-ui/swagger-ui-bundle.js": (
        "b164c5a22535e40dae08c00271674a67e437ec195098c55fcedf8ffac7ac3c88"
    ),
    "/docs-assets/swagger-ui/swagger-ui.css": (
        "7eb9f5a125e4bc9b3f0b71869b66d1a3d7c501f972f53d44ef91c2ae6c5bda5e"
    ),
    "/docs-assets/redoc/redoc.standalone.js": (
        "6beb5aea23b71d09122ee35de8f326e38aec050e774f3bfba1f34e5c36608986"
    ),
}


@pytest.fixture
def http(tmp_path: Path) -> TestClient:
    node = make_node(f"sqlite:///{tmp_path / 'node.db'}")
    return TestClient(make_app(node, tmp_path))


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documentation_pages_load_nothing_from_elsewhere(http: TestClient, path: str) -> None:
    page = http.get(path)
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/docs-assets/") for s in sources), sources
    assert "googleapis" not in page.text and "cdn" not in page.text.lower()
    assert "connect-src 'self'" in page.headers["content-security-policy"]
    assert "/openapi.json" in page.text
    assert http.get("/openapi.json").status_code == 200


def test_the_viewers_are_the_pinned_copies(http: TestClient) -> None:
    for path, sha256 in PINNED.items():
        answer = http.get(path)
        assert answer.status_code == 200, path
        assert hashlib.sha256(answer.content).hexdigest() == sha256, path


def test_swagger_ui_calls_no_validator(http: TestClient) -> None:
    assert '"validatorUrl": null' in http.get("/docs").text
