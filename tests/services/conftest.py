"""Fixtures of the service tests (one test module per service module, same tree as
``src/originlink/services``): test nodes on SQLite (``sg``) or on both databases
(``sg_on_db``), two gateways in one process (``net``), and ``storage``: the same use case on
the in-memory fake unit of work and on the real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from originlink.services.node import partners as partner_service
from originlink.services.unit_of_work import Storage
from originlink.store.core import Store
from originlink.testing import TestCA
from originlink.testing.network import Network
from originlink.testing.nodes import TestNode, build_test_node
from tests.dbs import postgres_schema, postgres_unavailable, sqlite_url
from tests.exchange_support import two_gateways
from tests.services.fakes import FakeStorage


@pytest.fixture(autouse=True)
def _no_partner_table_of_an_earlier_test() -> Iterator[None]:
    """The partner table is cached per store object for two seconds; a store of this test may
    get the memory address (``id``) of an earlier test's store, and with it its table."""
    partner_service._CACHE.clear()
    yield
    partner_service._CACHE.clear()


@pytest.fixture(scope="session")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
def sg(tmp_path: Path, ca: TestCA) -> Iterator[TestNode]:
    """Singapore's issuing node on SQLite, with an officer, an exporter and an admin."""
    node = build_test_node(sqlite_url(tmp_path), ca=ca)
    yield node
    node.close()


@pytest.fixture
def sg_on_db(db_url: str, ca: TestCA) -> Iterator[TestNode]:
    """The same node on SQLite and on PostgreSQL (for what depends on the database)."""
    node = build_test_node(db_url, ca=ca)
    yield node
    node.close()


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    """SG-CUSTOMS (issuing) and JP-CUSTOMS (importing), partners pushing to each other."""
    network = two_gateways(tmp_path)
    yield network
    network.close()


@pytest.fixture(params=["fake", "sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """The in-memory unit of work of ``tests/services/fakes.py``, and the real store on SQLite
    and PostgreSQL (skipped, with the reason, when PostgreSQL is unreachable)."""
    if request.param == "fake":
        yield FakeStorage()
        return
    if request.param == "sqlite":
        store = Store(sqlite_url(tmp_path))
        yield store
        store.dispose()
        return
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    with postgres_schema() as url:
        store = Store(url)
        yield store
        store.dispose()
