"""services/issuing/issuance.py: issuing one application in one unit of work — refusals (no key,
no such application, not submitted, issued already), what is stored (the signed CO exactly as
signed, its first history event, the application's outcome, the audit record) and the hooks
that run inside the issuing transaction. Numbering, kinds and atomicity end to end are in
``tests/integration/test_issuance.py``."""

from __future__ import annotations

import json

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.canonical import canonical_bytes
from originlink.domain.dataset import CODocument, certificate_json
from originlink.domain.errors import ConfigurationError, InvalidTransition, NotFound
from originlink.services.context import Node
from originlink.services.issuing import applications as apps
from originlink.services.issuing import certificates as certs
from originlink.services.issuing import issuance
from originlink.services.node import audit
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord
from originlink.testing.nodes import TestNode
from originlink.trust.digests import digest_bytes
from tests.node_support import application_content
from tests.services.support import submitted


def _certificate_count(t: TestNode) -> int:
    return certs.list_certificates(t.node, t.officer, certs.CertificateFilter(), limit=1, offset=0)[
        1
    ]


def test_a_node_without_a_signing_key_says_so_and_issues_nothing(sg: TestNode) -> None:
    app_id = submitted(sg)
    sg.node.signer = None
    with pytest.raises(ConfigurationError, match="no signing key: run 'originlink keys init'"):
        issuance.issue_application(sg.node, sg.officer, app_id)
    assert apps.get_application(sg.node, sg.officer, app_id).status == "SUBMITTED"
    assert _certificate_count(sg) == 0


def test_only_a_submitted_application_is_issued_and_only_once(sg: TestNode) -> None:
    with pytest.raises(NotFound, match="no application nope"):
        issuance.issue_application(sg.node, sg.officer, "nope")
    draft = apps.create_application(sg.node, sg.exporter, application_content())
    with pytest.raises(InvalidTransition):
        issuance.issue_application(sg.node, sg.officer, draft.id)
    apps.submit_application(sg.node, sg.exporter, draft.id)
    first = issuance.issue_application(sg.node, sg.officer, draft.id)
    with pytest.raises(InvalidTransition) as info:
        issuance.issue_application(sg.node, sg.officer, draft.id)
    assert info.value.http_status == 409
    assert _certificate_count(sg) == 1
    app = apps.get_application(sg.node, sg.exporter, draft.id)
    assert (app.status, app.certificate_id, app.revision) == ("ISSUED", first.certificate.id, 3)
    assert first.application == app


def test_the_signed_co_is_stored_exactly_as_signed(sg: TestNode) -> None:
    result = issuance.issue_application(sg.node, sg.officer, submitted(sg))
    record, signed = result.certificate, result.document
    stored = json.loads(record.document_json)
    assert stored == signed.to_json_dict()
    canonical = canonical_bytes(certificate_json(signed.certificate))
    assert record.document_json.startswith('{"certificate":' + canonical.decode() + ",")
    assert record.digest == digest_bytes(canonical)
    assert record.findings is None or all(f["level"] != "INFO" for f in record.findings)
    view = certs.get_certificate(sg.node, sg.officer, record.id)
    assert [(h["from_status"], h["to_status"], h["reason"]) for h in view["history"]] == [
        (None, "ISSUED", "new")
    ]
    assert CODocument.model_validate(view["document"]) == signed


def test_issuing_is_audited_with_the_number_and_the_application(sg: TestNode) -> None:
    app_id = submitted(sg, kind="retroactive")
    result = issuance.issue_application(sg.node, sg.officer, app_id)
    rows = audit.records(
        sg.node, SYSTEM_ACTOR, entity_type="certificate", entity_id=result.certificate.id
    )
    assert [(r["action"], r["actor"]) for r in rows] == [
        ("certificate.issue", "issuing_officer:officer")
    ]
    assert json.loads(rows[0]["details"]) == {
        "application": app_id,
        "kind": "retroactive",
        "number": "RCEP-SG-2025-000001",
        "via": "test",
    }


def test_the_issued_hooks_run_inside_the_issuing_transaction(sg: TestNode) -> None:
    seen: list[tuple[str, str, int]] = []

    def hook(tx: UnitOfWork, node: Node, record: CertificateRecord, doc: CODocument) -> None:
        stored = tx.certificates.get(record.id)  # the CO is there, not yet committed
        assert stored is not None and node is sg.node
        with sg.node.store.read() as outside:
            assert outside.certificates.get(record.id) is None
        seen.append((stored.number, doc.certificate.status.value, doc.certificate.version))

    sg.node.hooks.on_issued.append(hook)
    result = issuance.issue_application(sg.node, sg.officer, submitted(sg))
    assert seen == [(result.certificate.number, "ISSUED", 1)]
    with sg.node.store.read() as tx:  # the composition root's hook kept the version's digest
        digests = tx.certificate_digests.of([result.certificate.id])
    assert [(d.version, d.status, d.digest) for d in digests] == [
        (1, "ISSUED", result.certificate.digest)
    ]
