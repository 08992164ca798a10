"""services/node/web_sessions.py: a session opened by signing in, found by its cookie token,
ended by signing out, by idleness, by its maximum age, by a new password or a disabled user;
a session waiting for its second factor opens nothing until the code is given."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from originlink.domain.authz import SYSTEM_ACTOR, Role
from originlink.domain.errors import AuthenticationRequired
from originlink.services.node import clock as clock_service
from originlink.services.node import credentials, users
from originlink.services.node.web_sessions import (
    SessionExpired,
    confirm_second_factor,
    current_session,
    end_session,
    session_id,
    sign_in,
)
from originlink.store.clock import SimulatedClock
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node

PASSWORD = "correct horse battery"


@pytest.fixture
def sg(db_url: str, ca: TestCA) -> Iterator[TestNode]:
    node = build_test_node(db_url, ca=ca)
    for name in ("exporter", "officer"):
        credentials.set_password(node.node, SYSTEM_ACTOR, username=name, password=PASSWORD)
    yield node
    node.close()


def test_a_session_carries_the_actor_and_a_csrf_token(sg: TestNode) -> None:
    started = sign_in(sg.node, "exporter", PASSWORD)
    session = current_session(sg.node, started.token)
    assert session.actor.username == "exporter" and session.actor.role is Role.EXPORTER
    assert session.actor.organisation == sg.exporter.organisation
    assert session.actor.via == "web"
    assert len(session.csrf_token) >= 32 and session.csrf_token != started.token
    with sg.node.store.read() as uow:
        assert uow.web_sessions.get(started.token) is None  # only the digest is stored
        assert uow.web_sessions.get(session_id(started.token)) is not None


def test_signing_out_ends_the_session_on_the_server(sg: TestNode) -> None:
    started = sign_in(sg.node, "exporter", PASSWORD)
    end_session(sg.node, started.token)
    with pytest.raises(SessionExpired):
        current_session(sg.node, started.token)


def test_an_idle_session_ends_and_use_keeps_it_alive(sg: TestNode) -> None:
    idle = sg.node.settings.session_idle
    started = sign_in(sg.node, "exporter", PASSWORD)
    for _ in range(3):
        sg.clock.advance(idle - timedelta(minutes=1))
        current_session(sg.node, started.token)
    sg.clock.advance(idle + timedelta(seconds=1))
    with pytest.raises(SessionExpired, match="session has ended"):
        current_session(sg.node, started.token)


def test_a_session_ends_at_its_maximum_age_however_busy(sg: TestNode) -> None:
    started = sign_in(sg.node, "exporter", PASSWORD)
    deadline = sg.clock.now() + sg.node.settings.session_max
    while sg.clock.now() + timedelta(minutes=20) < deadline:
        sg.clock.advance(timedelta(minutes=20))
        current_session(sg.node, started.token)
    sg.clock.set(deadline)
    with pytest.raises(SessionExpired):
        current_session(sg.node, started.token)


def test_a_new_password_or_a_disabled_user_ends_every_session(sg: TestNode) -> None:
    first = sign_in(sg.node, "exporter", PASSWORD)
    credentials.set_password(sg.node, SYSTEM_ACTOR, username="exporter", password="a new secret!")
    with pytest.raises(SessionExpired):
        current_session(sg.node, first.token)
    second = sign_in(sg.node, "exporter", "a new secret!")
    users.disable_user(sg.node, SYSTEM_ACTOR, username="exporter")
    with pytest.raises(SessionExpired):
        current_session(sg.node, second.token)


def test_a_pending_session_needs_the_code_before_it_opens_anything(sg: TestNode) -> None:
    enrolment = credentials.enrol_totp(sg.node, SYSTEM_ACTOR, username="officer")
    started = sign_in(sg.node, "officer", PASSWORD)
    assert started.session.second_factor_pending
    with pytest.raises(SessionExpired, match="code"):
        current_session(sg.node, started.token)
    with pytest.raises(AuthenticationRequired):
        confirm_second_factor(sg.node, started.token, "123")
    code = pyotp.TOTP(enrolment.secret).at(sg.clock.now())
    confirmed = confirm_second_factor(sg.node, started.token, code)
    assert not confirmed.second_factor_pending
    assert current_session(sg.node, started.token).actor.username == "officer"


def test_a_token_that_is_no_session_opens_nothing(sg: TestNode) -> None:
    for token in ("", "forged", "x" * 500):
        with pytest.raises(SessionExpired):
            current_session(sg.node, token)


@pytest.fixture
def training(tmp_path: Path) -> TestNode:
    """A training node: its clock simulated, to be moved as a lesson moves it."""
    tnode = build_test_node(f"sqlite:///{tmp_path / 'n.db'}", ca=TestCA())
    simulated = SimulatedClock.create(tmp_path / "clock.json")
    tnode.node.clock = tnode.node.clock_control = simulated
    credentials.set_password(tnode.node, SYSTEM_ACTOR, username="officer", password=PASSWORD)
    return tnode


def test_moving_the_clock_signs_nobody_out(training: TestNode) -> None:
    node = training.node
    started = sign_in(node, "officer", PASSWORD)
    clock_service.advance_clock(node, SYSTEM_ACTOR, timedelta(days=91))
    assert node.now() - datetime.now(UTC) > timedelta(days=90)
    session = current_session(node, started.token)
    assert session.actor.username == "officer"
    with node.store.read() as uow:
        signed = [r for r in uow.audit.records(entity_type="user") if r["action"] == "user.sign_in"]
    assert signed and abs(datetime.now(UTC) - datetime.fromisoformat(str(signed[0]["at"]))) < (
        timedelta(minutes=5)
    )  # recorded before the move, in the node's time then
