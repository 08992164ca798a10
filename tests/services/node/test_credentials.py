"""services/node/credentials.py: web passwords (argon2), the TOTP second factor (used once),
the lockout after repeated failures, and the node setting that makes a second factor required
for issuing officers and administrators — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from originlink.domain.authz import HOST_ACTOR, SYSTEM_ACTOR
from originlink.domain.errors import Forbidden, NotFound
from originlink.services.node import audit, credentials
from originlink.services.node import clock as clock_service
from originlink.services.node.credentials import (
    InvalidPassword,
    LockedOut,
    SecondFactorMissing,
    SignInRefused,
)
from originlink.store.clock import SimulatedClock
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node

PASSWORD = "correct horse battery"


@pytest.fixture
def sg(db_url: str, ca: TestCA) -> Iterator[TestNode]:
    node = build_test_node(db_url, ca=ca)
    for name in ("exporter", "officer", "admin"):
        credentials.set_password(node.node, SYSTEM_ACTOR, username=name, password=PASSWORD)
    yield node
    node.close()


def test_the_right_password_signs_in_and_a_wrong_one_says_nothing_more(sg: TestNode) -> None:
    checked = credentials.check_password(sg.node, "exporter", PASSWORD)
    assert checked.user.username == "exporter" and checked.second_factor is False
    for username, password in (("exporter", "wrong password!"), ("nobody", PASSWORD)):
        with pytest.raises(SignInRefused) as refused:
            credentials.check_password(sg.node, username, password)
        assert refused.value.detail == "user name or password is wrong"


def test_the_password_is_stored_as_an_argon2_hash(sg: TestNode) -> None:
    with sg.node.store.read() as uow:
        creds = uow.users.credentials(sg.exporter.user_id)
    assert creds is not None and creds.password_hash is not None
    assert creds.password_hash.startswith("$argon2id$") and PASSWORD not in creds.password_hash


@pytest.mark.parametrize(
    ("password", "why"),
    [("short", "10 to 1024 characters"), (" padded password ", "spaces"), ("x" * 1025, "1025")],
)
def test_a_weak_or_odd_password_is_refused_saying_why(
    sg: TestNode, password: str, why: str
) -> None:
    with pytest.raises(InvalidPassword, match=why):
        credentials.set_password(sg.node, SYSTEM_ACTOR, username="exporter", password=password)


def test_a_password_is_set_only_by_its_owner_or_on_the_host(sg: TestNode) -> None:
    credentials.set_password(sg.node, sg.exporter, username="exporter", password="my own secret")
    credentials.check_password(sg.node, "exporter", "my own secret")
    with pytest.raises(Forbidden):
        credentials.set_password(sg.node, sg.exporter, username="officer", password="x" * 12)
    # an administrator who typed the officer's password could sign in as the officer
    with pytest.raises(Forbidden) as refused:
        credentials.set_password(sg.node, sg.admin, username="officer", password="set by admin")
    assert "set only by 'officer' itself" in refused.value.detail
    assert "originlink users password officer" in refused.value.detail
    assert "activation code" in refused.value.detail
    with pytest.raises(SignInRefused):
        credentials.check_password(sg.node, "officer", "set by admin")
    credentials.set_password(sg.node, HOST_ACTOR, username="officer", password="set on the host")
    credentials.check_password(sg.node, "officer", "set on the host")
    records = audit.records(sg.node, SYSTEM_ACTOR, entity_type="user", limit=500)
    last = [r for r in records if r["action"] == "user.password"][-1]
    assert last["actor"] == "system:host" and last["entity_id"] == sg.officer.user_id
    assert "set on the host" not in str(records)
    with pytest.raises(NotFound):
        credentials.set_password(sg.node, HOST_ACTOR, username="ghost", password="x" * 12)


def test_a_second_factor_is_enrolled_only_by_its_owner_or_on_the_host(sg: TestNode) -> None:
    with pytest.raises(Forbidden, match="originlink users totp officer"):
        credentials.enrol_totp(sg.node, sg.admin, username="officer")
    with sg.node.store.read() as uow:
        creds = uow.users.credentials(sg.officer.user_id)
    assert creds is not None and creds.totp_secret is None
    own = credentials.enrol_totp(sg.node, sg.officer, username="officer")
    assert credentials.check_password(sg.node, "officer", PASSWORD).second_factor is True
    host = credentials.enrol_totp(sg.node, HOST_ACTOR, username="officer")
    assert host.secret != own.secret
    with pytest.raises(Forbidden, match="users totp --remove officer"):
        credentials.remove_totp(sg.node, sg.admin, username="officer")
    credentials.remove_totp(sg.node, sg.officer, username="officer")
    assert credentials.check_password(sg.node, "officer", PASSWORD).second_factor is False


def test_repeated_failures_lock_the_user_even_with_the_right_password(sg: TestNode) -> None:
    limit = sg.node.settings.lockout_failures
    for _ in range(limit):
        with pytest.raises(SignInRefused) as refused:
            credentials.check_password(sg.node, "exporter", "wrong password!")
        assert not isinstance(refused.value, LockedOut)
    with pytest.raises(LockedOut) as locked:
        credentials.check_password(sg.node, "exporter", PASSWORD)
    assert locked.value.until == sg.clock.now() + sg.node.settings.lockout_duration
    actions = [r["action"] for r in audit.records(sg.node, SYSTEM_ACTOR, entity_type="user")]
    assert actions.count("user.sign_in.failed") == limit - 1
    assert actions.count("user.sign_in.locked") == 1
    sg.clock.advance(sg.node.settings.lockout_duration + timedelta(seconds=1))
    assert credentials.check_password(sg.node, "exporter", PASSWORD).user.username == "exporter"


def test_a_success_resets_the_count_of_failures(sg: TestNode) -> None:
    limit = sg.node.settings.lockout_failures
    for _ in range(limit - 1):
        with pytest.raises(SignInRefused):
            credentials.check_password(sg.node, "exporter", "wrong password!")
    credentials.check_password(sg.node, "exporter", PASSWORD)
    for _ in range(limit - 1):
        with pytest.raises(SignInRefused):
            credentials.check_password(sg.node, "exporter", "wrong password!")
    credentials.check_password(sg.node, "exporter", PASSWORD)


def test_a_totp_code_is_accepted_once(sg: TestNode) -> None:
    enrolment = credentials.enrol_totp(sg.node, SYSTEM_ACTOR, username="officer")
    assert enrolment.uri.startswith("otpauth://totp/Singapore%20Customs:officer?secret=")
    assert credentials.check_password(sg.node, "officer", PASSWORD).second_factor is True
    code = pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    credentials.check_totp(sg.node, sg.officer.user_id, code)
    with pytest.raises(SignInRefused, match="already used"):
        credentials.check_totp(sg.node, sg.officer.user_id, code)
    with pytest.raises(SignInRefused):
        credentials.check_totp(sg.node, sg.officer.user_id, "000000x")
    sg.clock.advance(timedelta(seconds=30))
    credentials.check_totp(
        sg.node, sg.officer.user_id, pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    )


def test_wrong_codes_count_towards_the_lockout(sg: TestNode) -> None:
    enrolment = credentials.enrol_totp(sg.node, SYSTEM_ACTOR, username="officer")
    good = pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    for _ in range(sg.node.settings.lockout_failures):
        with pytest.raises(SignInRefused):
            credentials.check_totp(sg.node, sg.officer.user_id, wrong)
    with pytest.raises(LockedOut):
        credentials.check_totp(sg.node, sg.officer.user_id, good)


def test_the_node_can_require_a_second_factor_of_officers_and_administrators(
    sg: TestNode,
) -> None:
    sg.node.settings = replace(sg.node.settings, require_second_factor=True)
    assert credentials.check_password(sg.node, "exporter", PASSWORD).second_factor is False
    for name in ("officer", "admin"):
        with pytest.raises(SecondFactorMissing, match=f"originlink users totp {name}") as missing:
            credentials.check_password(sg.node, name, PASSWORD)
        assert "reset your sign-in" in missing.value.detail
    credentials.enrol_totp(sg.node, SYSTEM_ACTOR, username="officer")
    assert credentials.check_password(sg.node, "officer", PASSWORD).second_factor is True
    with pytest.raises(Forbidden, match="needs a second factor"):
        credentials.remove_totp(sg.node, sg.officer, username="officer")
    credentials.remove_totp(sg.node, HOST_ACTOR, username="officer")
    with pytest.raises(SecondFactorMissing):
        credentials.check_password(sg.node, "officer", PASSWORD)
    with pytest.raises(Forbidden):
        credentials.remove_totp(sg.node, sg.exporter, username="officer")


def test_a_disabled_user_cannot_sign_in(sg: TestNode) -> None:
    from originlink.services.node import users

    users.disable_user(sg.node, SYSTEM_ACTOR, username="exporter")
    with pytest.raises(SignInRefused, match="user name or password is wrong"):
        credentials.check_password(sg.node, "exporter", PASSWORD)


@pytest.fixture
def training(tmp_path: Path) -> TestNode:
    """A training node: its clock simulated, to be moved as a lesson moves it."""
    tnode = build_test_node(f"sqlite:///{tmp_path / 'n.db'}", ca=TestCA())
    simulated = SimulatedClock.create(tmp_path / "clock.json")
    tnode.node.clock = tnode.node.clock_control = simulated
    credentials.set_password(tnode.node, SYSTEM_ACTOR, username="officer", password=PASSWORD)
    return tnode


def test_a_code_from_the_phone_is_accepted_on_a_moved_clock(training: TestNode) -> None:
    node = training.node
    clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=91))
    enrolment = credentials.enrol_totp(node, SYSTEM_ACTOR, username="officer")
    code = pyotp.TOTP(enrolment.secret).now()  # the phone knows only the real time
    credentials.check_totp(node, training.officer.user_id, code)


def test_a_lockout_lasts_real_minutes(training: TestNode) -> None:
    node = training.node
    for _ in range(node.settings.lockout_failures):
        with pytest.raises(credentials.SignInRefused):
            credentials.check_password(node, "officer", "wrong password here")
    with pytest.raises(credentials.LockedOut) as locked:
        credentials.check_password(node, "officer", PASSWORD)
    assert locked.value.until - datetime.now(UTC) <= node.settings.lockout_duration
    clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=1))
    with pytest.raises(credentials.LockedOut):  # a day of training time is not 15 minutes
        credentials.check_password(node, "officer", PASSWORD)
