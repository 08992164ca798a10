"""The role × page matrix: each page opens for the roles it serves (200) and answers 403 to
every other role, showing nothing of its data; a visitor who is not signed in is sent to the
login page. A new page is added to :data:`PAGES` (see docs/architecture.md, "web")."""

from __future__ import annotations

import pytest

from originlink.domain.authz import Role
from tests.web_support import USERS, WebNode, sign_in

ALL = frozenset({Role.EXPORTER, Role.ISSUING_OFFICER, Role.CUSTOMS_OFFICER, Role.ADMIN})

#: (path, the roles that may open it).
PAGES: list[tuple[str, frozenset[Role]]] = [
    ("/app/", ALL),
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


def test_a_visitor_is_sent_to_sign_in_from_every_page(web: WebNode) -> None:
    client = web.client()
    for path, _allowed in PAGES:
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/app/login")
