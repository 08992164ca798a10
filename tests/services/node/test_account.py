"""services/node/account.py: a user's own password and second factor, changed by the owner
only (the current password, or a code of the new secret, proves it), audited, ending the
user's other sessions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pyotp
import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import Forbidden
from originlink.services.node import account, audit, credentials, web_sessions
from originlink.services.node.activation import PasswordsDiffer
from originlink.services.node.credentials import LockedOut, SignInRefused
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node

PASSWORD = "correct horse battery"
NEW = "my very own secret"


@pytest.fixture
def sg(db_url: str, ca: TestCA) -> Iterator[TestNode]:
    node = build_test_node(db_url, ca=ca)
    for name in ("exporter", "officer", "admin"):
        credentials.set_password(node.node, SYSTEM_ACTOR, username=name, password=PASSWORD)
    yield node
    node.close()


def test_the_owner_changes_its_password_keeping_this_session(sg: TestNode) -> None:
    here = web_sessions.sign_in(sg.node, "exporter", PASSWORD)
    there = web_sessions.sign_in(sg.node, "exporter", PASSWORD)
    with pytest.raises(PasswordsDiffer):
        account.change_password(
            sg.node, sg.exporter, current=PASSWORD, password=NEW, password_again=NEW + "!"
        )
    with pytest.raises(SignInRefused, match="current password is wrong"):
        account.change_password(
            sg.node, sg.exporter, current="not my password", password=NEW, password_again=NEW
        )
    account.change_password(
        sg.node,
        sg.exporter,
        current=PASSWORD,
        password=NEW,
        password_again=NEW,
        keep_session=web_sessions.session_id(here.token),
    )
    credentials.check_password(sg.node, "exporter", NEW)
    web_sessions.current_session(sg.node, here.token)
    with pytest.raises(web_sessions.SessionExpired):
        web_sessions.current_session(sg.node, there.token)
    last = audit.records(sg.node, SYSTEM_ACTOR, entity_type="user", limit=500)[-1]
    assert last["action"] == "user.password" and last["actor"] == "exporter:exporter"


def test_wrong_current_passwords_count_toward_the_lockout(sg: TestNode) -> None:
    for _ in range(sg.node.settings.lockout_failures):
        with pytest.raises(SignInRefused):
            account.change_password(
                sg.node, sg.exporter, current="wrong password", password=NEW, password_again=NEW
            )
    with pytest.raises(LockedOut):
        account.change_password(
            sg.node, sg.exporter, current=PASSWORD, password=NEW, password_again=NEW
        )


def test_a_new_second_factor_is_stored_once_a_code_confirms_it(sg: TestNode) -> None:
    enrolment = account.new_second_factor(sg.node, sg.officer)
    assert account.has_second_factor(sg.node, sg.officer) is False
    good = pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    with pytest.raises(SignInRefused, match="code is wrong"):
        account.confirm_second_factor(sg.node, sg.officer, secret=enrolment.secret, code=wrong)
    assert account.has_second_factor(sg.node, sg.officer) is False
    account.confirm_second_factor(sg.node, sg.officer, secret=enrolment.secret, code=good)
    assert credentials.check_password(sg.node, "officer", PASSWORD).second_factor is True
    with pytest.raises(SignInRefused, match="current password is wrong"):
        account.remove_second_factor(sg.node, sg.officer, current="not my password")
    account.remove_second_factor(sg.node, sg.officer, current=PASSWORD)
    assert account.has_second_factor(sg.node, sg.officer) is False


def test_a_required_second_factor_is_not_removed(sg: TestNode) -> None:
    sg.node.settings = replace(sg.node.settings, require_second_factor=True)
    enrolment = account.new_second_factor(sg.node, sg.officer)
    code = pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    account.confirm_second_factor(sg.node, sg.officer, secret=enrolment.secret, code=code)
    with pytest.raises(Forbidden, match="needs a second factor"):
        account.remove_second_factor(sg.node, sg.officer, current=PASSWORD)
    assert account.has_second_factor(sg.node, sg.officer) is True
