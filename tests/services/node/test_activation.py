"""services/node/activation.py: one-time activation codes. An administrator adds a user (only
the roles it may create) or resets a user's sign-in without ever knowing the password; the user
sets it as the owner with the code, which is hashed, expires, works once, and whose wrong
attempts count toward the lockout."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest

from originlink.domain.authz import HOST_ACTOR, SYSTEM_ACTOR
from originlink.domain.errors import Conflict, Forbidden
from originlink.services.node import activation, audit, credentials, users
from originlink.services.node.activation import (
    ActivationExpired,
    ActivationRefused,
    ActivationUsed,
    AppCodeWrong,
    PasswordsDiffer,
)
from originlink.services.node.credentials import InvalidPassword, LockedOut, SignInRefused
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


def _user_records(sg: TestNode) -> list[dict[str, object]]:
    return audit.records(sg.node, SYSTEM_ACTOR, entity_type="user", limit=500)


def test_an_administrator_adds_only_administrators_with_a_code_and_no_password(
    sg: TestNode,
) -> None:
    assert [r.value for r in users.creatable_roles(sg.admin)] == ["admin"]
    assert "issuing_officer" in [r.value for r in users.creatable_roles(HOST_ACTOR)]
    assert users.creatable_roles(sg.exporter) == ()
    with pytest.raises(Forbidden, match="creates only administrators"):
        activation.add_user_with_code(sg.node, sg.admin, username="kim", role="issuing_officer")
    with sg.node.store.read() as uow:
        assert uow.users.by_username("kim") is None  # nothing half-saved
    made = activation.add_user_with_code(sg.node, sg.admin, username="rin", role="admin")
    assert made.username == "rin" and len(made.code) == 23 and made.code.count("-") == 3
    assert made.expires_at == sg.clock.now() + timedelta(hours=72)
    with sg.node.store.read() as uow:
        rin = uow.users.by_username("rin")
        assert rin is not None
        creds = uow.users.credentials(rin.id)
        held = uow.users.activation(rin.id)
    assert creds is not None and creds.password_hash is None and creds.totp_secret is None
    assert held is not None
    assert held.code_hash == hashlib.sha256(made.code.replace("-", "").encode()).hexdigest()
    records = _user_records(sg)
    issued = [r for r in records if r["action"] == "user.activation_code"][-1]
    assert issued["actor"] == "admin:admin" and issued["entity_id"] == rin.id
    assert made.code not in str(records) and made.code.replace("-", "") not in str(records)
    with pytest.raises(SignInRefused):
        credentials.check_password(sg.node, "rin", "")


def test_the_user_activates_as_the_owner_and_the_code_works_once(sg: TestNode) -> None:
    made = activation.add_user_with_code(sg.node, sg.admin, username="rin", role="admin")
    typed = made.code.lower().replace("-", " ")  # read over the telephone
    done = activation.activate(
        sg.node, username="rin", code=typed, password=NEW, password_again=NEW
    )
    assert done is None
    assert credentials.check_password(sg.node, "rin", NEW).user.username == "rin"
    activated = [r for r in _user_records(sg) if r["action"] == "user.activate"][-1]
    assert activated["actor"] == "admin:rin"
    with pytest.raises(ActivationUsed, match="already used"):
        activation.activate(
            sg.node, username="rin", code=made.code, password=NEW, password_again=NEW
        )


def test_a_reset_clears_the_password_and_second_factor_and_ends_the_sessions(
    sg: TestNode,
) -> None:
    from originlink.services.node import web_sessions

    credentials.enrol_totp(sg.node, HOST_ACTOR, username="exporter")
    started = web_sessions.sign_in(sg.node, "exporter", PASSWORD)
    made = activation.reset_sign_in(sg.node, HOST_ACTOR, username="exporter")
    with pytest.raises(web_sessions.SessionExpired):
        web_sessions.current_session(sg.node, started.token, allow_pending=True)
    with pytest.raises(SignInRefused):
        credentials.check_password(sg.node, "exporter", PASSWORD)
    activation.activate(
        sg.node, username="exporter", code=made.code, password=NEW, password_again=NEW
    )
    checked = credentials.check_password(sg.node, "exporter", NEW)
    assert checked.second_factor is False
    with pytest.raises(Forbidden):
        activation.reset_sign_in(sg.node, sg.exporter, username="officer")
    users.disable_user(sg.node, HOST_ACTOR, username="exporter")
    with pytest.raises(Conflict, match="disabled"):
        activation.reset_sign_in(sg.node, HOST_ACTOR, username="exporter")


def test_an_administrator_resets_only_the_roles_it_may_create(sg: TestNode) -> None:
    """Whoever hands over a code could use it first: an officer's sign-in is reset on the host."""
    for username in ("officer", "exporter"):
        with pytest.raises(Forbidden, match="reset on the host"):
            activation.reset_sign_in(sg.node, sg.admin, username=username)
        credentials.check_password(sg.node, username, PASSWORD)  # nothing was changed
    made = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    assert made.code


def test_a_new_code_replaces_the_earlier_one(sg: TestNode) -> None:
    first = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    second = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    with pytest.raises(ActivationRefused, match="wrong"):
        activation.activate(
            sg.node, username="officer", code=first.code, password=NEW, password_again=NEW
        )
    activation.activate(
        sg.node, username="officer", code=second.code, password=NEW, password_again=NEW
    )


def test_an_expired_code_is_refused_saying_when(sg: TestNode) -> None:
    sg.node.settings = replace(sg.node.settings, activation_valid=timedelta(hours=2))
    made = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    sg.clock.advance(timedelta(hours=2, seconds=1))
    with pytest.raises(ActivationExpired) as expired:
        activation.activate(
            sg.node, username="officer", code=made.code, password=NEW, password_again=NEW
        )
    assert expired.value.expired == made.expires_at
    assert "expired at" in expired.value.detail


def test_bad_passwords_are_refused_before_the_code_is_used(sg: TestNode) -> None:
    made = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    with pytest.raises(PasswordsDiffer):
        activation.activate(
            sg.node, username="officer", code=made.code, password=NEW, password_again=NEW + "x"
        )
    with pytest.raises(InvalidPassword, match="10 to 1024"):
        activation.activate(
            sg.node, username="officer", code=made.code, password="short", password_again="short"
        )
    activation.activate(
        sg.node, username="officer", code=made.code, password=NEW, password_again=NEW
    )


def test_wrong_codes_count_toward_the_lockout(sg: TestNode) -> None:
    made = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    for _ in range(sg.node.settings.lockout_failures):
        with pytest.raises(ActivationRefused) as refused:
            activation.activate(
                sg.node, username="officer", code="AAAAA-BBBBB", password=NEW, password_again=NEW
            )
        assert not isinstance(refused.value, LockedOut)
    with pytest.raises(LockedOut):
        activation.activate(
            sg.node, username="officer", code=made.code, password=NEW, password_again=NEW
        )
    with pytest.raises(ActivationRefused):
        activation.activate(
            sg.node, username="nobody", code=made.code, password=NEW, password_again=NEW
        )


def test_a_role_that_needs_a_second_factor_enrols_it_while_activating(sg: TestNode) -> None:
    sg.node.settings = replace(sg.node.settings, require_second_factor=True)
    made = activation.reset_sign_in(sg.node, HOST_ACTOR, username="officer")
    fields = {"username": "officer", "code": made.code, "password": NEW, "password_again": NEW}
    enrolment = activation.activate(sg.node, **fields)
    assert enrolment is not None and enrolment.uri.startswith("otpauth://totp/")
    with pytest.raises(SignInRefused):  # nothing stored yet
        credentials.check_password(sg.node, "officer", NEW)
    good = pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    with pytest.raises(AppCodeWrong):
        activation.activate(sg.node, **fields, totp_secret=enrolment.secret, totp_code=wrong)
    assert (
        activation.activate(sg.node, **fields, totp_secret=enrolment.secret, totp_code=good) is None
    )
    checked = credentials.check_password(sg.node, "officer", NEW)
    assert checked.second_factor is True
    with pytest.raises(SignInRefused, match="already used"):  # the enrolment code, once
        credentials.check_totp(sg.node, checked.user.id, good)


def test_on_a_training_node_a_code_lives_in_real_hours(tmp_path: Path) -> None:
    from originlink.services.node import clock as clock_service
    from originlink.store.clock import SimulatedClock

    tnode = build_test_node(f"sqlite:///{tmp_path / 'n.db'}", ca=TestCA())
    try:
        node = tnode.node
        node.clock = node.clock_control = SimulatedClock.create(tmp_path / "clock.json")
        made = activation.reset_sign_in(node, HOST_ACTOR, username="officer")
        clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=91))  # a lesson's step
        activation.activate(
            node, username="officer", code=made.code, password=NEW, password_again=NEW
        )
        assert credentials.check_password(node, "officer", NEW).user.username == "officer"
    finally:
        tnode.close()
