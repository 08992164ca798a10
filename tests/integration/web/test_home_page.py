"""Each role's home at ``/app/`` (web/routes/home.py): what waits for the user, counted by the
same services as the pages it links to, and the role's pages."""

from __future__ import annotations

import re

from originlink.services.issuing import applications as apps
from tests.node_support import application_content
from tests.web_support import WebNode, sign_in


def _counts(html: str) -> dict[str, str]:
    found = re.findall(r'<span class="count">([^<]+)</span> ([^<]+)</a>', html)
    return {label.strip(): count for count, label in found}


def test_the_exporter_and_the_officer_see_what_waits_for_them(web: WebNode) -> None:
    for _ in range(2):
        apps.create_application(web.t.node, web.t.exporter, application_content())
    submitted = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, submitted.id)
    exporter = web.client()
    sign_in(exporter, "exporter")
    assert _counts(exporter.get("/app/").text) == {
        "Drafts": "2",
        "Submitted": "1",
        "Refused": "0",
        "Certificates issued": "0",
    }
    officer = web.client()
    sign_in(officer, "officer")
    page = officer.get("/app/").text
    assert _counts(page) == {"Applications waiting": "1", "Verification requests to answer": "0"}
    assert 'href="/app/officer/queue"' in page
    customs = web.client()
    sign_in(customs, "customs")
    assert _counts(customs.get("/app/").text) == {}
