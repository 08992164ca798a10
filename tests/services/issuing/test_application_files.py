"""services/issuing/application_files.py: a draft from an uploaded file in any format the node
reads (the issuer's members dropped, the reader's findings returned), a replacement draft from
an issued CO, and the live check of a draft that stores nothing."""

from __future__ import annotations

import json

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.errors import Forbidden, InputError, InputTooLarge, NotFound
from originlink.formats import to_format
from originlink.services.issuing import application_files as files
from originlink.services.issuing import applications as apps
from originlink.store.repos.applications import ApplicationFilter
from originlink.testing.nodes import TestNode
from tests.conftest import load_example
from tests.node_support import application_content
from tests.services.support import CUSTOMS, STRANGER, issued


def _count(sg: TestNode) -> int:
    return apps.list_applications(sg.node, sg.exporter, ApplicationFilter(), limit=1, offset=0)[1]


def test_a_canonical_file_becomes_a_draft_without_the_issuers_members(sg: TestNode) -> None:
    data = json.dumps(load_example("valid/rcep-sg-jp-minimal.json")).encode()
    made = files.create_from_file(sg.node, sg.exporter, data, filename="co.json")
    assert made.format == "canonical"
    record = made.application
    assert record.status == "DRAFT" and record.kind == "new"
    assert record.organisation == sg.exporter.organisation
    cert = record.content["certificate"]
    assert "certificate_number" not in cert and "signatures" not in record.content
    assert cert["goods_items"][0]["hs_code"] == "848210"
    assert not [f for f in record.findings or [] if f["level"] == "SEVERE"]


def test_a_ubl_file_is_read_as_ubl_with_the_readers_findings(sg: TestNode) -> None:
    doc = CODocument.model_validate(load_example("valid/rcep-sg-jp-minimal.json"))
    ubl = to_format(doc, "ubl", profile=sg.node.profiles.get("RCEP")).result
    made = files.create_from_file(sg.node, sg.exporter, ubl, kind="retroactive")
    assert made.format == "ubl" and made.application.kind == "retroactive"
    assert made.application.content["certificate"]["importing_country"] == "JP"
    assert all(f["area"] == "reading" for f in made.reading_findings)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        (b"", InputError, "empty"),
        (b"   \n", InputError, "empty"),
        (b"%PDF-1.7 not a certificate", InputError, "neither XML nor JSON"),
        (b"{" * 10, InputError, "not JSON"),
    ],
)
def test_a_file_that_is_no_co_is_refused_and_nothing_is_stored(
    sg: TestNode, data: bytes, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        files.create_from_file(sg.node, sg.exporter, data, filename="x.bin")
    assert _count(sg) == 0


def test_a_file_larger_than_the_node_takes_is_refused(sg: TestNode) -> None:
    big = b" " * (sg.node.settings.max_document_bytes + 1)
    with pytest.raises(InputTooLarge, match="at most"):
        files.create_from_file(sg.node, sg.exporter, big, filename="big.json")


def test_only_an_exporter_uploads(sg: TestNode) -> None:
    data = json.dumps(load_example("valid/rcep-sg-jp-minimal.json")).encode()
    with pytest.raises(Forbidden):
        files.create_from_file(sg.node, sg.officer, data)


def test_a_replacement_draft_starts_from_the_issued_co(sg: TestNode) -> None:
    original = issued(sg).certificate
    draft = files.request_replacement(sg.node, sg.exporter, original.id)
    assert draft.kind == "replacement" and draft.related_certificate_id == original.id
    assert draft.status == "DRAFT"
    cert = draft.content["certificate"]
    assert "certificate_number" not in cert
    assert cert["goods_items"][0]["description"] == "Ball bearings, 10 cartons"
    with pytest.raises(NotFound):
        files.request_replacement(sg.node, STRANGER, original.id)


def test_checking_a_draft_gives_its_findings_and_stores_nothing(sg: TestNode) -> None:
    content = application_content()
    del content["certificate"]["goods_items"][0]["description"]
    findings = files.check_draft(sg.node, sg.exporter, content)
    assert any(
        f["path"] == "certificate.goods_items[0].description" and f["level"] == "SEVERE"
        for f in findings
    )
    assert not [
        f
        for f in files.check_draft(sg.node, sg.exporter, application_content())
        if f["level"] == "SEVERE"
    ]
    assert _count(sg) == 0
    with pytest.raises(Forbidden):
        files.check_draft(sg.node, CUSTOMS, content)
