"""services/issuing/status_changes.py: cancelling an issued CO (who may, with what reason, on
which side), the new signed version and its audit record, the status hooks, a received CO moved
on its issuer's word (its document kept as received), and a change that lost a race."""

from __future__ import annotations

import json

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.dataset import CODocument
from originlink.domain.errors import (
    ConfigurationError,
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from originlink.domain.lifecycle import RecordStatus
from originlink.services.context import Node
from originlink.services.issuing import certificates as certs
from originlink.services.issuing import status_changes
from originlink.services.node import audit
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.audit import digest_of
from originlink.store.repos.certificates import CertificateRecord
from originlink.testing.nodes import TestNode
from originlink.trust.digests import certificate_digest
from tests.claims_support import receive
from tests.services.support import CUSTOMS, issued


def test_a_cancellation_needs_a_reason_and_keeps_it_with_the_new_versions_digest(
    sg: TestNode,
) -> None:
    """(The new signed version itself is checked in ``tests/integration/test_issuance.py``.)"""
    co = issued(sg).certificate
    with pytest.raises(ValidationFailed, match="a cancellation needs a reason"):
        status_changes.cancel_certificate(sg.node, sg.officer, co.id, reason="  ")
    stored = certs.get_record(sg.node, sg.officer, co.id)
    assert stored.status == "ISSUED"
    cancelled = status_changes.cancel_certificate(
        sg.node, sg.officer, co.id, reason="  goods not shipped "
    )
    assert cancelled.digest == certificate_digest(cancelled.document().certificate) != co.digest
    rows = audit.records(sg.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=co.id)
    assert [r["action"] for r in rows] == ["certificate.issue", "certificate.cancelled"]
    assert json.loads(rows[1]["details"]) == {"reason": "goods not shipped", "via": "test"}
    assert rows[1]["before_digest"] == digest_of(stored.summary())
    assert rows[1]["after_digest"] == digest_of(cancelled.summary())
    history = certs.get_certificate(sg.node, sg.officer, co.id)["history"]
    assert history[-1]["reason"] == "goods not shipped" and history[-1]["version"] == 2
    with sg.node.store.read() as tx:
        versions = tx.certificate_digests.of([co.id])
    assert [(v.version, v.status, v.digest) for v in versions] == [
        (1, "ISSUED", co.digest),
        (2, "CANCELLED", cancelled.digest),
    ]


def test_the_state_a_change_starts_from_is_the_state_the_issue_left(sg: TestNode) -> None:
    """The audit chain holds digests of a CO before and after each change: nothing happened
    to the CO between its issue and its cancellation, so the cancellation's "before" is the
    issue's "after"."""
    co = issued(sg).certificate
    status_changes.cancel_certificate(sg.node, sg.officer, co.id, reason="error")
    issue, cancel = audit.records(sg.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=co.id)
    assert cancel["before_digest"] == issue["after_digest"]


def test_only_an_issuing_officer_cancels_and_only_what_exists(sg: TestNode) -> None:
    co = issued(sg).certificate
    for actor in (sg.exporter, sg.admin, CUSTOMS):
        with pytest.raises(Forbidden, match="may not certificate change"):
            status_changes.cancel_certificate(sg.node, actor, co.id, reason="x")
    with pytest.raises(NotFound, match="no certificate nope"):
        status_changes.cancel_certificate(sg.node, sg.officer, "nope", reason="x")
    assert certs.get_record(sg.node, sg.officer, co.id).status == "ISSUED"


def test_a_received_co_is_not_cancelled_here(sg: TestNode) -> None:
    received = receive(sg.node, sender="JP-CUSTOMS")
    with pytest.raises(InvalidTransition, match="only the issuing side cancels a CO"):
        status_changes.cancel_certificate(sg.node, sg.officer, received.id, reason="x")


def test_the_status_hooks_see_the_new_version_with_the_reason(sg: TestNode) -> None:
    co = issued(sg).certificate
    seen: list[tuple[str, int, str, str]] = []

    def hook(
        tx: UnitOfWork, node: Node, record: CertificateRecord, doc: CODocument, reason: str
    ) -> None:
        seen.append((record.status, record.version, doc.certificate.status.value, reason))

    sg.node.hooks.on_status_changed.append(hook)
    status_changes.cancel_certificate(sg.node, sg.officer, co.id, reason="error")
    assert seen == [("CANCELLED", 2, "CANCELLED", "error")]


def test_a_received_co_changes_status_keeping_the_document_it_was_sent(sg: TestNode) -> None:
    received = receive(sg.node, sender="JP-CUSTOMS")
    sg.node.signer = None  # the importing side signs nothing
    with sg.node.store.transaction() as tx:
        moved = status_changes.change_status(
            sg.node,
            tx,
            SYSTEM_ACTOR,
            received,
            RecordStatus.CANCELLED,
            reason="issuer cancelled",
            now=sg.clock.now(),
        )
    assert (moved.status, moved.version) == ("CANCELLED", 2)
    assert (moved.document_json, moved.digest) == (received.document_json, received.digest)
    assert certs.get_record(sg.node, sg.officer, received.id) == moved


def test_an_issued_co_without_a_key_to_sign_again_keeps_its_status(sg: TestNode) -> None:
    co = issued(sg).certificate
    sg.node.signer = None
    with pytest.raises(ConfigurationError, match="originlink keys init"):
        status_changes.cancel_certificate(sg.node, sg.officer, co.id, reason="x")
    assert certs.get_record(sg.node, sg.officer, co.id).status == "ISSUED"


def test_a_change_made_from_a_stale_record_is_a_conflict(sg_on_db: TestNode) -> None:
    t = sg_on_db
    stale = issued(t).certificate
    status_changes.cancel_certificate(t.node, t.officer, stale.id, reason="first")
    concurrently = f"certificate {stale.number} changed concurrently"
    with pytest.raises(Conflict, match=concurrently), t.node.store.transaction() as tx:
        status_changes.change_status(
            t.node, tx, t.officer, stale, RecordStatus.REPLACED, reason="x", now=t.clock.now()
        )
    record = certs.get_record(t.node, t.officer, stale.id)
    assert (record.status, record.version) == ("CANCELLED", 2)
    assert [
        r["action"]
        for r in audit.records(t.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=stale.id)
    ] == ["certificate.issue", "certificate.cancelled"]
