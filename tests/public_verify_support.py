"""Test support for public verification and PDF tests: a node on a test database with COs in
each state, stored the way issuance stores them (record, version digests via the node hooks)."""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI

from originlink.api.ratelimit import RateLimit
from originlink.bootstrap import bootstrap, build_app
from originlink.domain.clock import FrozenClock
from originlink.domain.dataset import CODocument, Status
from originlink.node_config import NodeConfig
from originlink.services.context import Node, NodeIdentity
from originlink.store.core import Store
from originlink.store.repos.certificates import CertificateRecord
from originlink.trust.digests import certificate_digest
from tests.conftest import load_example

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
IDENTITY = NodeIdentity(
    participant_id="SG-CUSTOMS",
    name="Singapore Customs",
    country="SG",
    authority_code="SG-CUSTOMS",
    public_base_url="https://verify.customs.example.sg",
)


def make_node(db_url: str, clock: FrozenClock | None = None) -> Node:
    return bootstrap(store=Store(db_url), clock=clock or FrozenClock(NOW), identity=IDENTITY)


def make_app(node: Node, tmp_home: Any, rate: RateLimit | None = None) -> FastAPI:
    config = NodeConfig(
        home=tmp_home,
        identity=IDENTITY,
        database_url=node.store.url,
        public_rate=rate or RateLimit(rate_per_minute=600, burst=100),
    )
    app: FastAPI = build_app(node, config)
    return app


def co_data(number: str, **certificate_changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(load_example("valid/rcep-sg-jp-minimal.json"))
    cert = data["certificate"]
    cert["certificate_number"] = number
    cert["validity_end_date"] = "2026-03-04"
    cert["declarations"]["certification"]["verification_url"] = (
        f"{IDENTITY.public_base_url}/verify/SG/{number}"
    )
    cert.update(certificate_changes)
    return data


def store_issued(node: Node, data: dict[str, Any], *, copy_seq: int = 0) -> CertificateRecord:
    """Store an ISSUED CO as issuance does (record + the on_issued hooks in one transaction)."""
    doc = CODocument.model_validate(data)
    cert = doc.certificate
    now = node.now()
    record = CertificateRecord(
        id=str(uuid.uuid4()),
        side="export",
        status="ISSUED",
        verification_status=None,
        issuing_country=cert.issuing_country,
        authority_code=IDENTITY.authority_code,
        number=cert.certificate_number or "",
        copy_seq=copy_seq,
        agreement=cert.agreement_code,
        form_code=cert.form_code,
        exporting_country=cert.exporting_country,
        importing_country=cert.importing_country,
        organisation=None,
        importer_name=None,
        partner=None,
        issue_datetime=cert.issue_datetime,
        validity_end_date=cert.validity_end_date,
        version=cert.version,
        digest=certificate_digest(cert),
        document_json=json.dumps(doc.to_json_dict(), ensure_ascii=False),
        application_id=None,
        replaced_by_id=None,
        findings=None,
        created_at=now,
        updated_at=now,
    )
    with node.store.transaction() as tx:
        tx.certificates.add(record)
        for hook in node.hooks.on_issued:
            hook(tx, node, record, doc)
    return record


def change_status(
    node: Node, record: CertificateRecord, status: str, *, replaced_by: str | None = None
) -> CertificateRecord:
    """A new version with the new status, as ``status_changes.change_status`` makes it."""
    doc = record.document()
    cert = doc.certificate.model_copy(
        update={"status": Status(status), "version": record.version + 1}
    )
    new_doc = CODocument(certificate=cert, signatures=doc.signatures)
    updated = record.with_(
        status=status,
        version=cert.version,
        replaced_by_id=replaced_by,
        digest=certificate_digest(cert),
        document_json=json.dumps(new_doc.to_json_dict(), ensure_ascii=False),
        updated_at=node.now(),
    )
    with node.store.transaction() as tx:
        assert tx.certificates.save(updated, expected_version=record.version)
        for hook in node.hooks.on_status_changed:
            hook(tx, node, updated, new_doc, "test")
    return updated


def digest_of(data: dict[str, Any]) -> str:
    return certificate_digest(CODocument.model_validate(data).certificate)


def past(days: int) -> date:
    return date.fromordinal(NOW.date().toordinal() - days)
