"""services/issuing/applications.py: what the gateway sets in an application, what it refuses
(shape, kind, related CO), who may do what to whose application, editing with revisions,
submitting, withdrawing and refusing. The whole path to an issued CO is in
``tests/integration/test_issuance.py``."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import (
    Conflict,
    Forbidden,
    InputError,
    InvalidTransition,
    NotFound,
    ValidationFailed,
)
from originlink.services.issuing import applications as apps
from originlink.services.node import audit
from originlink.store.audit import digest_of
from originlink.store.repos.applications import ApplicationFilter
from originlink.testing.nodes import TEST_NOW, TestNode
from tests.claims_support import receive
from tests.node_support import application_content
from tests.services.support import CUSTOMS, STRANGER, audit_actions, issued, submitted


def _content(**certificate_changes: Any) -> dict[str, Any]:
    content = application_content()
    content["certificate"].update(certificate_changes)
    return content


def test_the_gateway_sets_its_own_members_of_a_new_application(sg: TestNode) -> None:
    draft = apps.create_application(sg.node, sg.exporter, application_content())
    cert = draft.content["certificate"]
    assert (cert["status"], cert["version"], cert["uuid"]) == ("DRAFT", 1, draft.id)
    assert cert["issuing_country"] == "SG"
    assert cert["parties"]["issuing_authority"] == {
        "name": "Singapore Customs",
        "identifiers": [{"scheme": "TRUSTLIST", "value": "SG-CUSTOMS"}],
        "address": {"country_code": "SG"},
    }
    assert (draft.kind, draft.status, draft.revision) == ("new", "DRAFT", 1)
    assert (draft.owner_user_id, draft.organisation) == (sg.exporter.user_id, "SG-UEN-201912345K")
    assert (draft.agreement, draft.importing_country) == ("RCEP", "JP")
    assert draft.created_at == draft.updated_at == TEST_NOW
    rows = audit.records(sg.node, SYSTEM_ACTOR, entity_type="application", entity_id=draft.id)
    assert [r["action"] for r in rows] == ["application.create"]
    assert rows[0]["after_digest"] == digest_of(draft.as_dict())
    assert json.loads(rows[0]["details"]) == {"kind": "new", "via": "test"}


def test_an_authority_the_exporter_named_is_kept(sg: TestNode) -> None:
    content = application_content()
    named = {"name": "Another Authority", "address": {"country_code": "SG"}}
    content["certificate"]["parties"]["issuing_authority"] = named
    draft = apps.create_application(sg.node, sg.exporter, content)
    assert draft.content["certificate"]["parties"]["issuing_authority"] == named


def test_what_is_not_an_application_is_refused_saying_where(sg: TestNode) -> None:
    for content in (None, [], {"certificate": "x"}, {"co": {}}):
        with pytest.raises(InputError, match=re.escape('JSON object {"certificate"')) as info:
            apps.create_application(sg.node, sg.exporter, content)
        assert info.value.pointer == "certificate"
    with pytest.raises(InputError, match=r"only the member 'certificate' \(not signatures, x\)"):
        apps.create_application(
            sg.node, sg.exporter, {**application_content(), "x": 1, "signatures": {}}
        )
    with pytest.raises(
        InputError, match="unknown application kind 'copy'; kinds: new, replacement"
    ):
        apps.create_application(sg.node, sg.exporter, application_content(), kind="copy")
    for kind in ("replacement", "true_copy"):
        with pytest.raises(InputError, match=f"a {kind} application names the certificate") as info:
            apps.create_application(sg.node, sg.exporter, application_content(), kind=kind)
        assert info.value.pointer == "related_certificate_id"
    assert (
        apps.list_applications(sg.node, sg.officer, ApplicationFilter(), limit=10, offset=0)[1] == 0
    )


def test_a_replacement_names_an_issued_co_of_its_own_organisation(sg: TestNode) -> None:
    original = issued(sg)
    received = receive(sg.node, sender="JP-CUSTOMS")
    for related in ("no-such-id", received.id):
        with pytest.raises(NotFound, match=f"no certificate {related}"):
            apps.create_application(
                sg.node,
                sg.exporter,
                application_content(),
                kind="replacement",
                related_certificate_id=related,
            )
    agent = replace(STRANGER, represents=("SG-UEN-201912345K",))  # may apply, does not own it
    with pytest.raises(NotFound, match=f"no certificate {original.certificate.id}"):
        apps.create_application(
            sg.node,
            agent,
            application_content(),
            kind="replacement",
            related_certificate_id=original.certificate.id,
        )
    draft = apps.create_application(
        sg.node,
        sg.exporter,
        application_content(),
        kind="replacement",
        related_certificate_id=original.certificate.id,
    )
    assert draft.related_certificate_id == original.certificate.id
    assert audit_actions(sg.node, "application") == [
        "application.create",
        "application.submit",
        "application.create",
    ]


def test_who_may_write_read_and_decide_applications(sg: TestNode) -> None:
    app_id = submitted(sg)
    for actor in (sg.officer, sg.admin, CUSTOMS):
        with pytest.raises(Forbidden, match="may not application write"):
            apps.create_application(sg.node, actor, application_content())
        with pytest.raises(Forbidden, match="may not application write"):
            apps.withdraw_application(sg.node, actor, app_id)
    with pytest.raises(Forbidden, match="may not application decide"):
        apps.refuse_application(sg.node, sg.exporter, app_id, ["no"])
    with pytest.raises(Forbidden, match="may not application read"):
        apps.get_application(sg.node, CUSTOMS, app_id)
    with pytest.raises(Forbidden, match="may not application read"):
        apps.list_applications(sg.node, CUSTOMS, ApplicationFilter(), limit=10, offset=0)
    assert apps.get_application(sg.node, sg.admin, app_id).status == "SUBMITTED"


def test_an_exporter_reaches_only_its_organisations_applications(sg: TestNode) -> None:
    app_id = submitted(sg)
    for step in (
        lambda: apps.get_application(sg.node, STRANGER, app_id),
        lambda: apps.update_application(sg.node, STRANGER, app_id, application_content()),
        lambda: apps.submit_application(sg.node, STRANGER, app_id),
        lambda: apps.withdraw_application(sg.node, STRANGER, app_id),
    ):
        with pytest.raises(NotFound, match=f"no application {app_id}"):
            step()
    none = ApplicationFilter()
    assert apps.list_applications(sg.node, STRANGER, none, limit=10, offset=0) == ([], 0)
    mine, total = apps.list_applications(sg.node, sg.exporter, none, limit=10, offset=0)
    assert [a.id for a in mine] == [app_id] and total == 1
    other_org = ApplicationFilter(organisation="OTHER-ORG")  # an exporter cannot widen it
    assert apps.list_applications(sg.node, sg.exporter, other_org, limit=10, offset=0)[1] == 1
    assert apps.list_applications(sg.node, sg.officer, other_org, limit=10, offset=0)[1] == 0


def test_a_draft_is_edited_revision_by_revision(sg_on_db: TestNode) -> None:
    t = sg_on_db
    draft = apps.create_application(t.node, t.exporter, application_content())
    bad = _content(importing_country="XX")
    edited = apps.update_application(t.node, t.exporter, draft.id, bad, expected_revision=1)
    assert (edited.revision, edited.status, edited.importing_country) == (2, "DRAFT", "XX")
    assert any(f["level"] == "SEVERE" for f in edited.findings or [])
    with pytest.raises(Conflict, match="changed since revision 1 \\(now 2\\); reload it"):
        apps.update_application(
            t.node, t.exporter, draft.id, application_content(), expected_revision=1
        )
    assert apps.get_application(t.node, t.exporter, draft.id) == edited
    fixed = apps.update_application(t.node, t.exporter, draft.id, application_content())
    assert fixed.revision == 3 and fixed.importing_country == "JP"
    rows = audit.records(t.node, SYSTEM_ACTOR, entity_type="application", entity_id=draft.id)
    assert [r["action"] for r in rows] == [
        "application.create",
        "application.update",
        "application.update",
    ]
    assert rows[1]["before_digest"] == digest_of(draft.as_dict())
    assert rows[1]["after_digest"] == rows[2]["before_digest"] == digest_of(edited.as_dict())


def test_a_submitted_application_is_not_edited_but_a_refused_one_is(sg: TestNode) -> None:
    app_id = submitted(sg)
    with pytest.raises(InvalidTransition, match="is SUBMITTED; only a DRAFT"):
        apps.update_application(sg.node, sg.exporter, app_id, application_content())
    refused = apps.refuse_application(
        sg.node, sg.officer, app_id, ["  late  ", "", 7, "no invoice"]
    )  # type: ignore[list-item]
    assert refused.refusal_reasons == ["late", "no invoice"]
    assert refused.content["certificate"]["status"] == "NOT_ISSUED"
    again = apps.update_application(sg.node, sg.exporter, app_id, application_content())
    assert (again.status, again.refusal_reasons) == ("DRAFT", None)


def test_submitting_dates_the_exporters_declaration_in_local_time(sg: TestNode) -> None:
    content = application_content()
    content["certificate"]["declarations"]["exporter"].pop("date", None)
    draft = apps.create_application(sg.node, sg.exporter, content)
    sent = apps.submit_application(sg.node, sg.exporter, draft.id)
    exporter = sent.content["certificate"]["declarations"]["exporter"]
    assert exporter["date"] == "2025-03-04T09:00:00+08:00"  # TEST_NOW in Singapore
    assert (sent.status, sent.revision, sent.content["certificate"]["status"]) == (
        "SUBMITTED",
        2,
        "SUBMITTED",
    )
    dated = apps.create_application(sg.node, sg.exporter, application_content())
    kept = apps.submit_application(sg.node, sg.exporter, dated.id)
    assert (
        kept.content["certificate"]["declarations"]["exporter"]["date"]
        == (application_content()["certificate"]["declarations"]["exporter"]["date"])
    )
    with pytest.raises(InvalidTransition):
        apps.submit_application(sg.node, sg.exporter, draft.id)


def test_withdrawing_goes_back_to_draft_once(sg: TestNode) -> None:
    app_id = submitted(sg)
    back = apps.withdraw_application(sg.node, sg.exporter, app_id)
    assert (back.status, back.revision) == ("DRAFT", 3)
    assert back.content["certificate"]["status"] == "DRAFT"
    with pytest.raises(InvalidTransition):
        apps.withdraw_application(sg.node, sg.exporter, app_id)
    with pytest.raises(InvalidTransition):
        apps.refuse_application(sg.node, sg.officer, app_id, ["not submitted"])
    assert audit_actions(sg.node, "application", app_id) == [
        "application.create",
        "application.submit",
        "application.withdraw",
    ]


def test_a_true_copy_is_asked_for_an_own_co_only(sg: TestNode) -> None:
    original = issued(sg)
    for actor, cert_id in ((STRANGER, original.certificate.id), (sg.exporter, "no-such-id")):
        with pytest.raises(NotFound, match=f"no certificate {cert_id}"):
            apps.request_true_copy(sg.node, actor, cert_id)
    with pytest.raises(Forbidden):
        apps.request_true_copy(sg.node, sg.officer, original.certificate.id)
    request = apps.request_true_copy(sg.node, sg.exporter, original.certificate.id)
    assert (request.kind, request.related_certificate_id) == ("true_copy", original.certificate.id)
    cert = request.content["certificate"]
    assert "certificate_number" not in cert and cert["status"] == "DRAFT"
    assert (
        cert["goods_items"]
        == original.document.certificate.model_dump(mode="json", exclude_none=True)["goods_items"]
    )


def test_an_empty_certificate_is_refused_naming_what_is_missing(sg: TestNode) -> None:
    """``{"certificate": {}}`` is not stored as an empty draft: 422 with one finding per
    member an application needs at least."""
    with pytest.raises(ValidationFailed, match="an application needs at least") as info:
        apps.create_application(sg.node, sg.exporter, {"certificate": {}})
    assert info.value.http_status == 422
    assert [(f.code, f.path) for f in info.value.findings] == [
        ("SCHEMA-REQUIRED", "certificate.agreement.code"),
        ("SCHEMA-REQUIRED", "certificate.importing_country"),
        ("SCHEMA-REQUIRED", "certificate.parties.exporter.identifiers"),
    ]
    partial = application_content()
    del partial["certificate"]["importing_country"]
    with pytest.raises(ValidationFailed) as info:
        apps.create_application(sg.node, sg.exporter, partial)
    assert [f.path for f in info.value.findings] == ["certificate.importing_country"]
    assert info.value.pointer == "certificate.importing_country"
    assert (
        apps.list_applications(sg.node, sg.officer, ApplicationFilter(), limit=5, offset=0)[1] == 0
    )
    assert audit_actions(sg.node, "application") == []


def _for_exporter(identifier: dict[str, str]) -> dict[str, Any]:
    content = application_content()
    content["certificate"]["parties"]["exporter"]["identifiers"] = [identifier]
    return content


def test_an_exporter_applies_only_for_its_own_or_a_represented_exporter(sg: TestNode) -> None:
    other = {"scheme": "SG:UEN", "value": "199900001Z"}
    with pytest.raises(Forbidden, match=re.escape("the CO's exporter (SG:UEN:199900001Z)")):
        apps.create_application(sg.node, sg.exporter, _for_exporter(other))
    own = apps.create_application(sg.node, sg.exporter, application_content())
    with pytest.raises(Forbidden, match="neither your organisation nor one you are recorded"):
        apps.update_application(sg.node, sg.exporter, own.id, _for_exporter(other))
    agent = replace(sg.exporter, represents=("SG-UEN-199900001Z",))
    for written in (other, {"scheme": "SG:UEN", "value": "199900001z"}):
        assert apps.create_application(sg.node, agent, _for_exporter(written)).status == "DRAFT"
    bare = replace(sg.exporter, organisation="201912345K")  # the bare value matches too
    assert apps.create_application(sg.node, bare, application_content()).status == "DRAFT"
    assert apps.get_application(sg.node, sg.exporter, own.id).revision == 1


def test_submitting_runs_the_checks_of_issuance_and_names_the_kind_to_use(sg: TestNode) -> None:
    """A shipment already past (RCEP: issue at shipment) fails DS-10 at issuance; submitting
    says so at once and that a retroactive application fits, instead of answering 200."""
    shipped = (sg.node.now() - timedelta(days=20)).date().isoformat()
    late = application_content()
    late["certificate"]["transport"]["departure_datetime"] = shipped
    draft = apps.create_application(sg.node, sg.exporter, late)
    with pytest.raises(ValidationFailed, match="could not be issued now") as info:
        apps.submit_application(sg.node, sg.exporter, draft.id)
    assert "DS-10" in {f.code for f in info.value.findings}
    assert info.value.extra["suggested_kind"] == "retroactive"
    assert "kind=retroactive" in info.value.detail
    assert apps.get_application(sg.node, sg.exporter, draft.id).status == "DRAFT"
    retro = apps.create_application(sg.node, sg.exporter, late, kind="retroactive")
    assert apps.submit_application(sg.node, sg.exporter, retro.id).status == "SUBMITTED"
