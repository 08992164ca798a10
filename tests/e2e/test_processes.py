"""Gateways as real processes over real HTTP on loopback: push, hub, and a SIGKILL of the
sending node in the middle of 1,000 COs (all accepted, none twice)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from sqlalchemy import func, select

from originlink.demo.network import DemoNode, partner, set_up, user
from originlink.domain.clock import SystemClock
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.store.exchange_tables import inbox, outbox
from originlink.store.tables import certificates
from originlink.testing.factories import fresh_application

pytestmark = pytest.mark.slow


def _nodes(root: Path, *, hub: bool = False) -> list[DemoNode]:
    nodes = [
        DemoNode(
            "SG-CUSTOMS",
            "Singapore Customs",
            "SG",
            "issuing-authority",
            ("RCEP",),
            "Asia/Singapore",
            root / "sg",
        ),
        DemoNode(
            "JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "Asia/Tokyo", root / "jp"
        ),
    ]
    if hub:
        nodes += [
            DemoNode(
                "NZ-CUSTOMS",
                "New Zealand Customs Service",
                "NZ",
                "customs",
                ("RCEP",),
                "Pacific/Auckland",
                root / "nz",
            ),
            DemoNode(
                "APAC-HUB",
                "Regional hub",
                "SG",
                "gateway",
                ("RCEP",),
                "UTC",
                root / "hub",
                hub=True,
            ),
        ]
    return nodes


@pytest.fixture
def network(tmp_path: Path) -> Iterator[dict[str, DemoNode]]:
    nodes = _nodes(tmp_path, hub=True)
    set_up(tmp_path, nodes)
    by_id = {n.participant: n for n in nodes}
    sg, jp, nz, hub = (by_id[p] for p in ("SG-CUSTOMS", "JP-CUSTOMS", "NZ-CUSTOMS", "APAC-HUB"))
    partner(sg, jp)
    partner(jp, sg)
    for member in (sg, nz):
        partner(member, hub)
        partner(hub, member)
    partner(sg, nz, model="hub", hub=hub)
    partner(nz, sg, model="hub", hub=hub)
    yield by_id
    for node in nodes:
        node.stop()


def _count(node: DemoNode, query: object) -> int:
    service = node.open()
    try:
        with service.store.read() as tx:
            return int(tx.connection.execute(query).scalar_one())  # type: ignore[call-overload]
    finally:
        service.store.dispose()


def _wait(predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def test_push_and_hub_over_real_http(network: dict[str, DemoNode]) -> None:
    sg, jp, nz = network["SG-CUSTOMS"], network["JP-CUSTOMS"], network["NZ-CUSTOMS"]
    exporter = user(sg, "exporter", "exporter", "SG-UEN-201912345K")
    officer = user(sg, "officer", "issuing_officer")
    admin = user(sg, "admin", "admin")
    for node in network.values():
        node.start()
    client = httpx2.Client(base_url=sg.url, timeout=30)
    numbers = {}
    for importing in ("JP", "NZ"):
        content = fresh_application(SystemClock().now(), importing=importing)
        app = client.post(
            "/api/v1/applications", json=content, headers={"Authorization": f"Bearer {exporter}"}
        ).json()
        client.post(
            f"/api/v1/applications/{app['id']}/submit",
            headers={"Authorization": f"Bearer {exporter}"},
        ).raise_for_status()
        cert = client.post(
            f"/api/v1/applications/{app['id']}/issue",
            headers={"Authorization": f"Bearer {officer}"},
        )
        assert cert.status_code == 201, cert.text
        numbers[importing] = cert.json()["number"]

    def all_accepted() -> bool:
        page = client.get(
            "/api/v1/messages?message_type=co.issued", headers={"Authorization": f"Bearer {admin}"}
        ).json()
        return page["total"] == 2 and all(m["status"] == "ACCEPTED" for m in page["items"])

    _wait(all_accepted)
    for node, number in ((jp, numbers["JP"]), (nz, numbers["NZ"])):
        assert (
            _count(
                node,
                select(func.count())
                .select_from(certificates)
                .where(certificates.c.number == number, certificates.c.status == "RECEIVED"),
            )
            == 1
        )


@pytest.fixture
def two_nodes(tmp_path: Path) -> Iterator[list[DemoNode]]:
    """SG and JP set up, not started; whatever the test started is stopped after it, pass or
    fail (a left-over server would keep polling and load the machine)."""
    nodes = _nodes(tmp_path)
    set_up(tmp_path, nodes)
    yield nodes
    for node in nodes:
        node.stop()


def test_sigkill_in_the_middle_of_1000_cos_loses_nothing_and_doubles_nothing(
    two_nodes: list[DemoNode],
) -> None:
    total = 1000
    sg, jp = two_nodes
    partner(sg, jp)
    partner(jp, sg)
    service = sg.open()
    from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
    from originlink.services.node.users import add_user

    exp = add_user(
        service,
        SYSTEM_ACTOR,
        username="exporter",
        role="exporter",
        organisation="SG-UEN-201912345K",
    )
    off = add_user(service, SYSTEM_ACTOR, username="officer", role="issuing_officer")
    exporter = Actor(exp.id, exp.username, Role.EXPORTER, exp.organisation)
    officer = Actor(off.id, off.username, Role.ISSUING_OFFICER)
    content = fresh_application(SystemClock().now())
    for _ in range(total):
        draft = apps.create_application(service, exporter, content)
        apps.submit_application(service, exporter, draft.id)
        issuance.issue_application(service, officer, draft.id)
    service.store.dispose()
    jp.start()
    sg.start()
    received = select(func.count()).select_from(certificates).where(certificates.c.side == "import")
    _wait(lambda: _count(jp, received) >= total // 5, timeout=120)
    sg.kill()
    at_kill = _count(jp, received)
    assert at_kill < total, "everything was sent before the kill; the test proves nothing"
    sg.start()
    accepted = (
        select(func.count())
        .select_from(outbox)
        .where(outbox.c.message_type == "co.issued", outbox.c.status == "ACCEPTED")
    )
    _wait(lambda: _count(sg, accepted) == total, timeout=240)
    assert _count(jp, received) == total
    assert (
        _count(
            jp, select(func.count()).select_from(inbox).where(inbox.c.message_type == "co.issued")
        )
        == total
    )
    assert (
        _count(
            jp,
            select(func.count(func.distinct(certificates.c.number))).where(
                certificates.c.side == "import"
            ),
        )
        == total
    )
