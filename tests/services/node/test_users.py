"""services/node/users.py: adding users, API tokens (made, checked, expired, revoked) and
disabling users — each use case run on the in-memory unit of work of ``tests/services/fakes.py``
and on the SQL store (SQLite, PostgreSQL), with the same outcome."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from originlink.domain.authz import HOST_ACTOR, SYSTEM_ACTOR, Actor, Role
from originlink.domain.clock import FrozenClock
from originlink.domain.errors import AuthenticationRequired, Conflict, Forbidden, NotFound
from originlink.services.context import Node
from originlink.services.node import audit, users
from originlink.services.unit_of_work import Storage
from originlink.store.audit import digest_of
from originlink.testing.nodes import TEST_NOW
from tests.services.support import ADMIN, CUSTOMS, EXPORTER, OFFICER, audit_actions, node_on


@pytest.fixture
def node(storage: Storage) -> Node:
    return node_on(storage)


def _clock(node: Node) -> FrozenClock:
    assert isinstance(node.clock, FrozenClock)
    return node.clock


HOST = HOST_ACTOR


def test_a_user_is_added_once_and_audited(node: Node) -> None:
    alice = users.add_user(
        node, HOST, username="alice", role="issuing_officer", display_name="Alice Tan"
    )
    assert (alice.username, alice.display_name, alice.role, alice.organisation) == (
        "alice",
        "Alice Tan",
        "issuing_officer",
        None,
    )
    assert not alice.disabled and alice.created_at == TEST_NOW
    with pytest.raises(Conflict, match="user 'alice' already exists"):
        users.add_user(node, ADMIN, username="alice", role="admin")
    listed, total = users.list_users(node, ADMIN)
    assert listed == [alice] and total == 1
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="user")
    assert [(r["action"], r["entity_id"], r["actor"]) for r in rows] == [
        ("user.add", alice.id, "system:host")
    ]
    assert rows[0]["after_digest"] == digest_of(alice.as_dict())
    assert json.loads(rows[0]["details"]) == {"via": "host-cli"}


def test_the_display_name_defaults_to_the_user_name(node: Node) -> None:
    bob = users.add_user(node, HOST, username="bob@example.sg", role="exporter", organisation="O")
    assert bob.display_name == "bob@example.sg" and bob.organisation == "O"


def test_bad_users_are_refused_with_the_reason_and_nothing_is_stored(node: Node) -> None:
    cases = [
        ("", "admin", None, "user name '' must be 1-64"),
        ("a" * 65, "admin", None, "must be 1-64 letters"),
        ("bad name", "admin", None, "must be 1-64 letters"),
        ("carol", "superuser", None, "unknown role 'superuser'; roles: exporter, issuing_officer"),
        ("carol", "system", None, "the system role cannot be given to a user"),
        ("carol", "exporter", None, "an exporter needs --organisation"),
    ]
    for username, role, organisation, reason in cases:
        with pytest.raises(users.InvalidUserInput, match=re.escape(reason)) as info:
            users.add_user(node, HOST, username=username, role=role, organisation=organisation)
        assert info.value.code == "INVALID_USER" and info.value.http_status == 422
    assert users.list_users(node, ADMIN) == ([], 0)
    assert audit_actions(node, "user") == []


def test_only_an_administrator_manages_users(node: Node) -> None:
    users.add_user(node, ADMIN, username="dave", role="admin")
    for actor in (OFFICER, CUSTOMS, EXPORTER):
        with pytest.raises(Forbidden, match=f"role {actor.role.value} may not user manage"):
            users.add_user(node, actor, username="eve", role="admin")
        with pytest.raises(Forbidden):
            users.create_token(node, actor, username="dave")
        with pytest.raises(Forbidden):
            users.list_users(node, actor)
        with pytest.raises(Forbidden):
            users.disable_user(node, actor, username="dave")
    listed, _ = users.list_users(node, ADMIN)
    assert [(u.username, u.disabled) for u in listed] == [("dave", False)]
    assert audit_actions(node, "user") == ["user.add"]


def test_users_are_listed_by_name_a_page_at_a_time(node: Node) -> None:
    for name in ("mia", "ann", "zoe", "kim"):
        users.add_user(node, HOST, username=name, role="customs_officer")
    page, total = users.list_users(node, ADMIN, limit=2, offset=1)
    assert [u.username for u in page] == ["kim", "mia"] and total == 4


def test_a_token_stands_for_its_user_and_only_its_hash_is_kept(
    node: Node, storage: Storage
) -> None:
    alice = users.add_user(node, HOST, username="alice", role="exporter", organisation="ORG-1")
    token = users.create_token(node, HOST, username="alice", label="erp")
    assert re.fullmatch(r"olk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", token)
    assert users.authenticate(node, token, via="api") == Actor(
        alice.id, "alice", Role.EXPORTER, "ORG-1", via="api"
    )
    prefix = token.split("_")[1]
    with storage.read() as tx:
        kept = tx.users.token_by_prefix(prefix)
    assert kept is not None and kept.user_id == alice.id and kept.expires_at is None
    assert kept.token_hash.startswith("$argon2id$") and token not in kept.token_hash
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="user", entity_id=alice.id)
    assert [r["action"] for r in rows] == ["user.add", "token.create"]
    assert rows[1]["actor"] == "system:host"
    assert json.loads(rows[1]["details"]) == {"label": "erp", "prefix": prefix, "via": "host-cli"}
    assert token.split("_", 2)[2] not in json.dumps(rows, default=str)


def test_a_token_for_nobody_is_not_found(node: Node) -> None:
    with pytest.raises(NotFound, match="no user 'ghost'"):
        users.create_token(node, HOST, username="ghost")
    assert audit_actions(node, "user") == []


def test_tokens_that_are_not_ours_unknown_or_wrong_are_refused(node: Node) -> None:
    users.add_user(node, ADMIN, username="alice", role="admin")
    token = users.create_token(node, HOST, username="alice")
    prefix = token.split("_")[1]
    for bad, reason in [
        ("eyJhbGciOiJFUzI1NiJ9", "is not an OriginLink API token"),
        ("tok_abc_def", "is not an OriginLink API token"),
        ("olk_" + prefix, "is not an OriginLink API token"),
        (f"olk_{'0' * 12}_{'A' * 43}", "unknown or revoked"),
        (f"olk_{prefix}_{'A' * 43}", "the API token is not valid"),
    ]:
        with pytest.raises(AuthenticationRequired, match=reason) as info:
            users.authenticate(node, bad)
        assert info.value.http_status == 401
    assert users.authenticate(node, token).username == "alice"


def test_a_token_expires_after_its_days(node: Node) -> None:
    users.add_user(node, ADMIN, username="alice", role="admin")
    token = users.create_token(node, HOST, username="alice", valid_days=1)
    _clock(node).advance(timedelta(days=1) - timedelta(seconds=1))
    assert users.authenticate(node, token).username == "alice"
    _clock(node).advance(timedelta(seconds=1))
    with pytest.raises(AuthenticationRequired, match="the API token has expired"):
        users.authenticate(node, token)


def test_disabling_a_user_revokes_its_tokens_at_once(node: Node) -> None:
    bob = users.add_user(node, HOST, username="bob", role="customs_officer")
    first = users.create_token(node, HOST, username="bob")
    second = users.create_token(node, HOST, username="bob")
    assert users.authenticate(node, first).user_id == bob.id  # now in the token cache too
    _clock(node).advance(timedelta(hours=1))
    assert users.disable_user(node, ADMIN, username="bob").disabled is True
    for token in (first, second):
        with pytest.raises(AuthenticationRequired, match="unknown or revoked"):
            users.authenticate(node, token)
    listed, _ = users.list_users(node, ADMIN)
    assert [(u.username, u.disabled) for u in listed] == [("bob", True)]
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="user", entity_id=bob.id)
    assert [r["action"] for r in rows] == [
        "user.add",
        "token.create",
        "token.create",
        "user.disable",
    ]
    assert rows[-1]["before_digest"] == digest_of(bob.as_dict())
    with pytest.raises(NotFound, match="no user 'ghost'"):
        users.disable_user(node, ADMIN, username="ghost")


def test_a_token_made_for_a_disabled_user_does_not_let_it_in(node: Node) -> None:
    users.add_user(node, ADMIN, username="bob", role="admin")
    users.disable_user(node, ADMIN, username="bob")
    token = users.create_token(node, HOST, username="bob")
    with pytest.raises(AuthenticationRequired, match="the user of this token is disabled"):
        users.authenticate(node, token)


def test_a_token_is_made_only_by_its_owner_or_on_the_host(node: Node) -> None:
    """Separation of duties: an administrator cannot mint the officer's token (and issue with
    it); the officer makes its own, the host makes anyone's — each audited."""
    officer = users.add_user(node, HOST, username="officer", role="issuing_officer")
    admin = users.add_user(node, HOST, username="root", role="admin")
    root = Actor(admin.id, "root", Role.ADMIN, via="api")
    with pytest.raises(Forbidden, match="created only by 'officer' itself, or on the node's host"):
        users.create_token(node, root, username="officer")
    as_officer = Actor(officer.id, "officer", Role.ISSUING_OFFICER, via="api")
    own = users.create_token(node, as_officer, username="officer", label="mine")
    assert users.authenticate(node, own).user_id == officer.id
    assert users.authenticate(node, users.create_token(node, root, username="root")).role is (
        Role.ADMIN
    )
    rows = audit.records(node, SYSTEM_ACTOR, entity_type="user", entity_id=officer.id)
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("user.add", "system:host"),
        ("token.create", "issuing_officer:officer"),
    ]


def test_over_the_api_an_administrator_creates_only_administrators(node: Node) -> None:
    for role in ("issuing_officer", "customs_officer", "exporter"):
        with pytest.raises(Forbidden, match=f"a {role} is added on the node's host"):
            users.add_user(node, ADMIN, username="x", role=role, organisation="ORG-1")
    assert users.add_user(node, ADMIN, username="second-admin", role="admin").role == "admin"
    assert audit_actions(node, "user") == ["user.add"]


def test_an_exporter_is_recorded_with_those_it_represents(node: Node) -> None:
    agent = users.add_user(
        node,
        HOST,
        username="agent",
        role="exporter",
        organisation="SG-UEN-200000001A",
        represents=["SG-UEN-201912345K", " SG-UEN-201912345K", "", "TH:TIN:0105551234567"],
    )
    assert agent.represents == ("SG-UEN-201912345K", "TH:TIN:0105551234567")
    token = users.create_token(node, HOST, username="agent")
    assert users.authenticate(node, token).represents == agent.represents
    with pytest.raises(users.InvalidUserInput, match="only an exporter"):
        users.add_user(node, HOST, username="o2", role="issuing_officer", represents=["X"])


def test_the_token_cache_forgets_what_it_is_told_to(node: Node) -> None:
    cache = users.TokenCache()
    cache.put("olk_a_b", "user-1")
    assert cache.get("olk_a_b") == "user-1" and cache.get("olk_a_c") is None
    assert "olk_a_b" not in repr(cache._entries)  # keyed by a digest, never the token
    cache.clear()
    assert cache.get("olk_a_b") is None
