"""The role × page matrix: each page opens for the roles it serves (200) and answers 403 to
every other role, showing nothing of its data; a visitor who is not signed in is sent to the
login page. A new page is added to :data:`PAGES` (see docs/architecture.md, "web")."""

from __future__ import annotations

import pytest

from originlink.domain.authz import Role
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from tests.node_support import application_content
from tests.web_support import USERS, WebNode, sign_in

ALL = frozenset({Role.EXPORTER, Role.ISSUING_OFFICER, Role.CUSTOMS_OFFICER, Role.ADMIN})

#: (path, the roles that may open it).
EXPORTER = frozenset({Role.EXPORTER})
OFFICER = frozenset({Role.ISSUING_OFFICER})
CUSTOMS = frozenset({Role.CUSTOMS_OFFICER})
ADMIN = frozenset({Role.ADMIN})
PAGES: list[tuple[str, frozenset[Role]]] = [
    ("/app/", ALL),
    ("/app/exporter/applications", EXPORTER),
    ("/app/exporter/applications/new", EXPORTER),
    ("/app/exporter/certificates", EXPORTER),
    ("/app/exporter/hs-codes?q=8482", EXPORTER),
    ("/app/officer/queue", OFFICER),
    ("/app/officer/certificates", OFFICER),
    ("/app/officer/verifications", OFFICER),
    ("/app/customs/certificates", CUSTOMS),
    ("/app/customs/claims", CUSTOMS),
    ("/app/customs/claims/new", CUSTOMS),
    ("/app/customs/reviews", CUSTOMS),
    ("/app/customs/verifications", CUSTOMS),
    ("/app/admin/users", ADMIN),
    ("/app/admin/partners", ADMIN),
    ("/app/admin/messages", ADMIN),
    ("/app/admin/audit", ADMIN),
    ("/app/admin/health", ADMIN),
]
#: Pages of one record: {app} and {cert} are an application and the CO issued from it.
RECORD_PAGES: list[tuple[str, frozenset[Role]]] = [
    ("/app/exporter/applications/{app}", EXPORTER),
    ("/app/exporter/certificates/{cert}", EXPORTER),
    ("/app/exporter/certificates/{cert}.pdf", EXPORTER),
    ("/app/officer/applications/{app}", OFFICER),
    ("/app/officer/certificates/{cert}", OFFICER),
    ("/app/officer/certificates/{cert}.pdf", OFFICER),
]


@pytest.mark.parametrize("role", sorted(USERS, key=str))
def test_each_role_opens_its_pages_and_gets_403_elsewhere(web: WebNode, role: Role) -> None:
    client = web.client()
    sign_in(client, USERS[role])
    for path, allowed in PAGES:
        answer = client.get(path)
        if role in allowed:
            assert answer.status_code == 200, (role, path, answer.text[:500])
        else:
            assert answer.status_code == 403, (role, path)
            assert "Your role may not see this page." in answer.text
            assert "<table" not in answer.text  # nothing of the page's data


@pytest.mark.parametrize("role", sorted(USERS, key=str))
def test_record_pages_open_for_their_role_and_show_nothing_to_others(
    web: WebNode, role: Role
) -> None:
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    cert = issuance.issue_application(web.t.node, web.t.officer, draft.id).certificate
    client = web.client()
    sign_in(client, USERS[role])
    for template, allowed in RECORD_PAGES:
        answer = client.get(template.format(app=draft.id, cert=cert.id))
        if role in allowed:
            assert answer.status_code == 200, (role, template)
        else:
            assert answer.status_code == 403, (role, template)
            for secret in (cert.number, "Example Precision", "Ball bearings", "%PDF"):
                assert secret not in answer.text, (role, template, secret)


def test_a_visitor_is_sent_to_sign_in_from_every_page(web: WebNode) -> None:
    client = web.client()
    for path, _allowed in [*PAGES, *RECORD_PAGES]:
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/app/login")


def test_actions_of_another_role_are_refused_and_change_nothing(web: WebNode) -> None:
    draft = apps.create_application(web.t.node, web.t.exporter, application_content())
    apps.submit_application(web.t.node, web.t.exporter, draft.id)
    exporter = web.client()
    token = sign_in(exporter, "exporter")
    for action in ("issue", "refuse"):
        answer = exporter.post(
            f"/app/officer/applications/{draft.id}/{action}",
            data={"csrf_token": token, "reasons": "mine"},
        )
        assert answer.status_code == 403
    officer = web.client()
    officer_token = sign_in(officer, "officer")
    withdrawn = officer.post(
        f"/app/exporter/applications/{draft.id}/withdraw", data={"csrf_token": officer_token}
    )
    assert withdrawn.status_code == 403
    assert apps.get_application(web.t.node, web.t.officer, draft.id).status == "SUBMITTED"
