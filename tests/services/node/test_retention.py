"""services/node/retention.py: COs past their agreement's record-keeping period are archived
(their evidence bundle), removed with everything about them, and audited; a dry run changes
nothing; a CO still in use waits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import audit, evidence, retention
from originlink.testing.network import Network
from tests.exchange_support import issue, two_gateways


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    network = two_gateways(tmp_path)
    yield network
    network.close()


def _ids(net: Network, participant: str) -> set[str]:
    with net[participant].node.store.read() as tx:
        return {r["id"] for r in tx.records.retention_candidates(1000)}


def test_expired_cos_are_archived_removed_and_audited(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    old = issue(sg).certificate
    net.drain()
    waiting = issue(sg).certificate  # its co.issued is still queued
    archived: list[dict[str, Any]] = []

    def archive(bundle: dict[str, Any]) -> str:
        archived.append(bundle)
        return "retention-test.jsonl"

    net.advance(timedelta(days=2 * 365))
    early = retention.run(sg.node, SYSTEM_ACTOR, archive=archive)
    assert early.removed == [] and early.within_period == 2
    net.advance(timedelta(days=365 + 2))

    dry = retention.run(sg.node, SYSTEM_ACTOR, archive=archive, dry_run=True)
    assert [e["certificate_id"] for e in dry.removed] == [old.id]
    assert archived == [] and old.id in _ids(net, "SG-CUSTOMS")
    assert [e["certificate_id"] for e in dry.kept_in_use] == [waiting.id]
    assert "still to be delivered" in dry.kept_in_use[0]["reason"]
    report = retention.run(sg.node, SYSTEM_ACTOR, archive=archive)
    assert [e["certificate_id"] for e in report.removed] == [old.id]
    assert report.removed[0]["years"] == 3
    assert _ids(net, "SG-CUSTOMS") == {waiting.id}
    with sg.node.store.read() as tx:
        assert tx.records.of_certificate(old.id) is None
        found, _ = tx.outbox.search(certificate_id=old.id)
    assert found == []
    (bundle,) = archived
    assert bundle["certificate_id"] == old.id and evidence.verify_bundle(bundle).ok
    records = audit.records(sg.node, SYSTEM_ACTOR, entity_id=old.id, limit=100)
    removal = [r for r in records if r["action"] == "certificate.retention_removed"]
    assert len(removal) == 1
    assert bundle["content_digest"] in str(removal[0]["details"])
    assert audit.verify(sg.node, SYSTEM_ACTOR).ok  # the chain is whole
    again = retention.run(sg.node, SYSTEM_ACTOR, archive=archive)
    assert again.removed == [] and len(archived) == 1


def test_the_importing_side_applies_the_period_too(net: Network) -> None:
    issue(net["SG-CUSTOMS"])
    net.drain()
    net.advance(timedelta(days=3 * 365 + 2))
    report = retention.run(net["JP-CUSTOMS"].node, SYSTEM_ACTOR, archive=lambda b: "a")
    assert len(report.removed) == 1 and _ids(net, "JP-CUSTOMS") == set()


def test_a_period_in_years_is_counted_in_calendar_years() -> None:
    leap = datetime(2024, 2, 29, 12, tzinfo=UTC)
    assert retention.expires(leap, 3) == datetime(2027, 2, 28, 12, tzinfo=UTC)
    assert retention.expires(datetime(2025, 3, 4, tzinfo=UTC), 5).year == 2030


def test_an_archive_that_cannot_be_written_removes_nothing(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    old = issue(sg).certificate
    net.drain()
    net.advance(timedelta(days=3 * 365 + 2))

    def broken(bundle: dict[str, Any]) -> str:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        retention.run(sg.node, SYSTEM_ACTOR, archive=broken)
    assert old.id in _ids(net, "SG-CUSTOMS")
