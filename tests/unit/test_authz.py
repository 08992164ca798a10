"""The role matrix and the ownership rule."""

from __future__ import annotations

import pytest

from originlink.domain.authz import MATRIX, Actor, Permission, Role
from originlink.domain.errors import Forbidden


def actor(role: Role, organisation: str | None = None) -> Actor:
    return Actor("u1", "user", role, organisation)


def test_exporters_write_applications_but_never_decide() -> None:
    exporter = actor(Role.EXPORTER, "ACME")
    exporter.require(Permission.APPLICATION_WRITE)
    with pytest.raises(Forbidden):
        exporter.require(Permission.APPLICATION_DECIDE)


def test_admin_manages_users_but_does_not_issue_or_decide_claims() -> None:
    admin = actor(Role.ADMIN)
    admin.require(Permission.USER_MANAGE)
    for permission in (
        Permission.APPLICATION_DECIDE,
        Permission.CLAIM_DECIDE,
        Permission.CERTIFICATE_CHANGE,
    ):
        with pytest.raises(Forbidden):
            admin.require(permission)


def test_every_user_role_has_a_row() -> None:
    assert set(MATRIX) == set(Role)


def test_ownership_binds_exporters_only() -> None:
    assert actor(Role.EXPORTER, "ACME").owns("ACME")
    assert not actor(Role.EXPORTER, "ACME").owns("OTHER")
    assert not actor(Role.EXPORTER, "ACME").owns(None)
    assert actor(Role.ISSUING_OFFICER).owns("OTHER")
