"""services/node/web_sessions.py and credentials.py on a training node whose simulated clock
was moved 91 days on (a lesson's deadline): a browser session and a lockout last in real time
(moving the clock signs nobody out), a TOTP code from the user's phone (real time) is
accepted, and the audit still records the sign-in in the node's time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import clock as clock_service
from originlink.services.node import credentials, web_sessions
from originlink.store.clock import SimulatedClock
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node

PASSWORD = "correct horse battery"


@pytest.fixture
def training(tmp_path: Path) -> TestNode:
    tnode = build_test_node(f"sqlite:///{tmp_path / 'n.db'}", ca=TestCA())
    simulated = SimulatedClock.create(tmp_path / "clock.json")
    tnode.node.clock = tnode.node.clock_control = simulated
    credentials.set_password(tnode.node, SYSTEM_ACTOR, username="officer", password=PASSWORD)
    return tnode


def test_moving_the_clock_signs_nobody_out(training: TestNode) -> None:
    node = training.node
    started = web_sessions.sign_in(node, "officer", PASSWORD)
    clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=91))
    assert node.now() - datetime.now(UTC) > timedelta(days=90)
    session = web_sessions.current_session(node, started.token)
    assert session.actor.username == "officer"
    with node.store.read() as uow:
        signed = [r for r in uow.audit.records(entity_type="user") if r["action"] == "user.sign_in"]
    assert signed and abs(datetime.now(UTC) - datetime.fromisoformat(str(signed[0]["at"]))) < (
        timedelta(minutes=5)
    )  # recorded before the move, in the node's time then


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
