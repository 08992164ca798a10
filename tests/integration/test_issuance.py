"""Issuance workflow (P1, P7, P10, P11) on SQLite and PostgreSQL: drafts, submission,
numbering, signing, status changes, links, and atomicity."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from originlink.domain.errors import (
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from originlink.services.issuing import applications as apps
from originlink.services.issuing import certificates as certs
from originlink.services.issuing import issuance, status_changes
from originlink.store.audit import verify_chain
from originlink.store.tables import audit_log, certificates, number_sequences
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from originlink.trust.document import verify_document
from tests.node_support import application_content


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture
def tnode(db_url: str, ca: TestCA) -> Iterator[TestNode]:
    node = build_test_node(db_url, ca=ca)
    yield node
    node.close()


def submitted(
    t: TestNode, content: dict | None = None, kind: str = "new", related: str | None = None
) -> str:
    record = apps.create_application(
        t.node,
        t.exporter,
        content or application_content(),
        kind=kind,
        related_certificate_id=related,
    )
    apps.submit_application(t.node, t.exporter, record.id)
    return record.id


def test_an_application_goes_from_draft_to_a_signed_issued_co(tnode: TestNode, ca: TestCA) -> None:
    draft = apps.create_application(tnode.node, tnode.exporter, application_content())
    assert draft.status == "DRAFT"
    assert draft.content["certificate"]["status"] == "DRAFT"
    sent = apps.submit_application(tnode.node, tnode.exporter, draft.id)
    assert sent.status == "SUBMITTED"
    assert "date" in sent.content["certificate"]["declarations"]["exporter"]
    issued = issuance.issue_application(tnode.node, tnode.officer, draft.id)
    cert = issued.document.certificate
    assert cert.status.value == "ISSUED" and cert.version == 1
    assert cert.certificate_number == "RCEP-SG-2025-000001"
    assert cert.parties.certifying_official is not None
    assert cert.validity_end_date is not None and cert.validity_end_date.isoformat() == "2026-03-04"
    assert cert.declarations is not None and cert.declarations.certification is not None
    assert cert.declarations.certification.verification_url == (
        "https://verify.example.sg/verify/SG/RCEP-SG-2025-000001"
    )
    trust = ca.trust_store(ca.signed_trust_list(ca.trust_list(tnode.signer)), clock=tnode.clock)
    assert verify_document(issued.document, trust, now=tnode.clock.now()).ok
    stored = certs.get_record(tnode.node, tnode.officer, issued.certificate.id).document()
    assert stored == issued.document
    assert verify_document(stored, trust, now=tnode.clock.now()).ok
    view = certs.get_certificate(tnode.node, tnode.officer, issued.certificate.id)
    assert [h["to_status"] for h in view["history"]] == ["ISSUED"]
    assert apps.get_application(tnode.node, tnode.exporter, draft.id).status == "ISSUED"


def test_numbers_follow_the_agreement_pattern_without_gaps(tnode: TestNode) -> None:
    numbers = [
        issuance.issue_application(tnode.node, tnode.officer, submitted(tnode)).certificate.number
        for _ in range(3)
    ]
    assert numbers == ["RCEP-SG-2025-000001", "RCEP-SG-2025-000002", "RCEP-SG-2025-000003"]


def test_a_draft_with_severe_findings_is_kept_but_cannot_be_submitted(tnode: TestNode) -> None:
    content = application_content()
    content["certificate"]["goods_items"][0]["hs_code"] = "999999"
    draft = apps.create_application(tnode.node, tnode.exporter, content)
    assert any(f["code"] == "DS-18" and f["level"] == "SEVERE" for f in draft.findings or [])
    with pytest.raises(ValidationFailed) as info:
        apps.submit_application(tnode.node, tnode.exporter, draft.id)
    assert any(f.code == "DS-18" for f in info.value.findings)
    assert apps.get_application(tnode.node, tnode.exporter, draft.id).status == "DRAFT"


def test_an_application_must_not_carry_issuer_owned_fields(tnode: TestNode) -> None:
    content = application_content()
    content["certificate"]["certificate_number"] = "MY-OWN-1"
    draft = apps.create_application(tnode.node, tnode.exporter, content)
    assert any(f["code"] == "DS-05" for f in draft.findings or [])
    with pytest.raises(ValidationFailed):
        apps.submit_application(tnode.node, tnode.exporter, draft.id)


def test_refusal_needs_reasons_and_the_exporter_can_edit_again(tnode: TestNode) -> None:
    app_id = submitted(tnode)
    with pytest.raises(Exception, match="reason"):
        apps.refuse_application(tnode.node, tnode.officer, app_id, ["  "])
    refused = apps.refuse_application(tnode.node, tnode.officer, app_id, ["invoice does not match"])
    assert refused.status == "NOT_ISSUED" and refused.refusal_reasons == ["invoice does not match"]
    with pytest.raises(InvalidTransition):
        issuance.issue_application(tnode.node, tnode.officer, app_id)
    edited = apps.update_application(tnode.node, tnode.exporter, app_id, application_content())
    assert edited.status == "DRAFT"


def test_exporters_cannot_issue_and_cannot_see_others_applications(
    tnode: TestNode, ca: TestCA
) -> None:
    app_id = submitted(tnode)
    with pytest.raises(Forbidden):
        issuance.issue_application(tnode.node, tnode.exporter, app_id)
    from originlink.domain.authz import Actor, Role

    stranger = Actor("x", "stranger", Role.EXPORTER, "OTHER-ORG")
    with pytest.raises(NotFound):
        apps.get_application(tnode.node, stranger, app_id)


def test_cancel_makes_a_new_signed_version_and_is_final(tnode: TestNode) -> None:
    issued = issuance.issue_application(tnode.node, tnode.officer, submitted(tnode))
    cancelled = status_changes.cancel_certificate(
        tnode.node, tnode.officer, issued.certificate.id, reason="goods not shipped"
    )
    assert cancelled.status == "CANCELLED" and cancelled.version == 2
    doc = cancelled.document()
    assert doc.certificate.status.value == "CANCELLED" and doc.certificate.version == 2
    assert doc.signatures is not None and doc.signatures.issuing_authority is not None
    with pytest.raises(InvalidTransition) as info:
        status_changes.cancel_certificate(
            tnode.node, tnode.officer, issued.certificate.id, reason="again"
        )
    assert info.value.http_status == 409
    history = certs.get_certificate(tnode.node, tnode.officer, issued.certificate.id)["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "ISSUED"),
        ("ISSUED", "CANCELLED"),
    ]


def test_replacement_links_both_ways_and_replaces_the_old_co(tnode: TestNode) -> None:
    old = issuance.issue_application(tnode.node, tnode.officer, submitted(tnode))
    content = application_content()
    content["certificate"]["goods_items"][0]["description"] = "Ball bearings, 12 cartons"
    new = issuance.issue_application(
        tnode.node,
        tnode.officer,
        submitted(tnode, content, kind="replacement", related=old.certificate.id),
    )
    refs = new.document.certificate.references
    assert refs is not None
    replaces = [r for r in refs.related_certificates or [] if r.relation.value == "replaces"]
    assert replaces and replaces[0].number == old.certificate.number
    old_view = certs.get_certificate(tnode.node, tnode.officer, old.certificate.id)
    assert old_view["status"] == "REPLACED"
    assert old_view["replaced_by_id"] == new.certificate.id
    assert {
        "direction": "in",
        "relation": "replaces",
        "certificate_id": new.certificate.id,
    } in old_view["links"]


def test_certified_true_copy_keeps_number_and_date_and_is_marked(tnode: TestNode) -> None:
    original = issuance.issue_application(tnode.node, tnode.officer, submitted(tnode))
    tnode.clock.advance(timedelta(days=30))
    request = apps.request_true_copy(tnode.node, tnode.exporter, original.certificate.id)
    apps.submit_application(tnode.node, tnode.exporter, request.id)
    copy_ = issuance.issue_application(tnode.node, tnode.officer, request.id)
    cert = copy_.document.certificate
    assert cert.certificate_number == original.certificate.number
    assert cert.issue_datetime == original.document.certificate.issue_datetime
    assert cert.flags is not None and cert.flags.certified_true_copy
    assert cert.flags.true_copy_issue_date is not None
    assert "CERTIFIED TRUE COPY" in (cert.official_remarks or [])
    assert copy_.certificate.copy_seq == 1


def test_retroactive_issuance_is_marked_and_checked_against_the_ceiling(tnode: TestNode) -> None:
    tnode.clock.advance(timedelta(days=20))
    with pytest.raises(ValidationFailed) as info:  # submission runs issuance's checks
        submitted(tnode)
    assert any(f.code == "DS-10" for f in info.value.findings)
    assert info.value.extra["suggested_kind"] == "retroactive"
    retro = issuance.issue_application(
        tnode.node, tnode.officer, submitted(tnode, kind="retroactive")
    )
    cert = retro.document.certificate
    assert cert.flags is not None and cert.flags.issued_retroactively
    assert "ISSUED RETROACTIVELY" in (cert.official_remarks or [])
    tnode.clock.advance(timedelta(days=400))
    with pytest.raises(ValidationFailed) as info:  # past the ceiling: no kind fits
        submitted(tnode, kind="retroactive")
    assert any(f.code == "DS-10" for f in info.value.findings)
    assert "suggested_kind" not in info.value.extra


def test_issuing_leaves_the_applications_content_as_the_exporter_wrote_it(
    tnode: TestNode,
) -> None:
    """The issued CO is built by copy on write: the issuer's fields (number, flags, remarks,
    references, certification) never leak into the application's content, which the API
    returns, whatever the kind of application."""
    first = submitted(tnode)
    before = apps.get_application(tnode.node, tnode.exporter, first).content
    original = issuance.issue_application(tnode.node, tnode.officer, first)
    assert original.application.content == before
    assert "certificate_number" not in original.application.content["certificate"]
    tnode.clock.advance(timedelta(days=1))
    for kind in ("true_copy", "replacement"):
        if kind == "true_copy":
            request = apps.request_true_copy(tnode.node, tnode.exporter, original.certificate.id)
            app_id = request.id
            apps.submit_application(tnode.node, tnode.exporter, app_id)
        else:
            app_id = submitted(tnode, kind=kind, related=original.certificate.id)
        before = apps.get_application(tnode.node, tnode.exporter, app_id).content
        issued = issuance.issue_application(tnode.node, tnode.officer, app_id)
        assert issued.application.content == before
        assert issued.document.certificate.references is not None
        assert apps.get_application(tnode.node, tnode.exporter, app_id).content == before


def test_a_failure_inside_issuance_leaves_nothing_behind(tnode: TestNode) -> None:
    app_id = submitted(tnode)
    with tnode.node.store.read() as tx:
        audit_before = tx.connection.execute(
            select(func.count()).select_from(audit_log)
        ).scalar_one()

    def explode(*_args: object) -> None:
        raise RuntimeError("disk full while queueing the message")

    tnode.node.hooks.on_issued.append(explode)
    with pytest.raises(RuntimeError):
        issuance.issue_application(tnode.node, tnode.officer, app_id)
    tnode.node.hooks.on_issued.clear()
    with tnode.node.store.read() as tx:
        c = tx.connection
        assert c.execute(select(func.count()).select_from(certificates)).scalar_one() == 0
        assert c.execute(select(func.count()).select_from(audit_log)).scalar_one() == audit_before
        assert c.execute(select(number_sequences)).first() is None
        assert verify_chain(c).ok
    assert apps.get_application(tnode.node, tnode.exporter, app_id).status == "SUBMITTED"
    again = issuance.issue_application(tnode.node, tnode.officer, app_id)
    assert again.certificate.number.endswith("000001")


def test_a_number_already_held_is_a_conflict_and_nothing_is_saved(tnode: TestNode) -> None:
    first = issuance.issue_application(tnode.node, tnode.officer, submitted(tnode))
    with tnode.node.store.transaction() as tx:
        tx.connection.execute(update(number_sequences).values(last_value=0))
    app_id = submitted(tnode)
    with pytest.raises(Conflict, match=rf"DS-07: certificate number {first.certificate.number} "):
        issuance.issue_application(tnode.node, tnode.officer, app_id)
    with tnode.node.store.read() as tx:
        c = tx.connection
        assert c.execute(select(func.count()).select_from(certificates)).scalar_one() == 1
        assert c.execute(select(number_sequences.c.last_value)).scalar_one() == 0
        assert verify_chain(c).ok
    assert apps.get_application(tnode.node, tnode.exporter, app_id).status == "SUBMITTED"


def test_issuance_does_not_look_up_the_number_it_has_just_allocated(tnode: TestNode) -> None:
    """The fresh number is unused by construction (gap-free sequence, unique key): DS-07 is
    answered without a query, so no SELECT on the certificates table runs."""
    app_id = submitted(tnode)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(tnode.node.store.engine, "before_cursor_execute", record)
    try:
        issued = issuance.issue_application(tnode.node, tnode.officer, app_id)
    finally:
        event.remove(tnode.node.store.engine, "before_cursor_execute", record)
    assert not [s for s in statements if s.startswith("SELECT") and "FROM certificates" in s]
    assert "DS-07" not in {f["code"] for f in issued.certificate.findings or []}


def test_the_number_register_looks_up_any_number_but_the_allocated_one(tnode: TestNode) -> None:
    issued = issuance.issue_application(tnode.node, tnode.officer, submitted(tnode))
    identity = tnode.node.identity
    with tnode.node.store.read() as tx:
        register = issuance._NumberRegister(tx.certificates, identity, issued.certificate.number)
        held = issued.certificate.number
        assert not register(identity.country, identity.authority_code, held)
        other = issuance._NumberRegister(tx.certificates, identity, "OTHER-1")
        assert other(identity.country, identity.authority_code, held)
        assert not other(identity.country, identity.authority_code, "NEVER-ISSUED-9")


def test_a_true_copy_of_a_cancelled_co_is_refused(tnode: TestNode) -> None:
    original = issuance.issue_application(tnode.node, tnode.officer, submitted(tnode))
    status_changes.cancel_certificate(
        tnode.node, tnode.officer, original.certificate.id, reason="error"
    )
    with pytest.raises(Conflict):
        apps.request_true_copy(tnode.node, tnode.exporter, original.certificate.id)


def test_non_preferential_cos_have_their_own_number_series(tnode: TestNode) -> None:
    content = copy.deepcopy(application_content("valid/non-preferential-de-us-chamber.json"))
    cert = content["certificate"]
    cert["issuing_country"] = cert["exporting_country"] = "SG"
    cert["parties"]["exporter"]["address"]["country_code"] = "SG"
    cert["parties"]["exporter"]["identifiers"] = [{"scheme": "SG:UEN", "value": "201912345K"}]
    for item in cert["goods_items"]:
        item["origin_country"] = "SG"
    cert.pop("transport", None)
    cert["declarations"]["exporter"]["date"] = "2025-03-03T10:00:00+08:00"
    draft = apps.create_application(tnode.node, tnode.exporter, content)
    assert draft.agreement is None
    apps.submit_application(tnode.node, tnode.exporter, draft.id)
    issued = issuance.issue_application(tnode.node, tnode.officer, draft.id)
    assert issued.certificate.number == "NP-SG-2025-000001"
    assert issued.document.certificate.validity_end_date is None
