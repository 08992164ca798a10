"""services/issuing/completion.py: how an application becomes the CO to be signed — the number
in the local year of issue, the place of issue and verification URL from the node's identity,
what each application kind adds (back-to-back flag, second true copies, a retroactive issue the
agreement forbids), a related CO that changed meanwhile, and the validity end."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.errors import Conflict
from originlink.domain.profile_rules import RetroactiveRule
from originlink.domain.profiles import ProfileRegistry
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance, status_changes
from originlink.services.issuing.completion import with_validity
from originlink.testing import TestCA
from originlink.testing.nodes import TestNode, build_test_node
from tests.dbs import sqlite_url
from tests.node_support import application_content
from tests.services.support import issued, submitted


def _shipped(day: str) -> dict[str, Any]:
    content = application_content()
    cert = content["certificate"]
    cert["transport"]["departure_datetime"] = day
    cert["declarations"]["exporter"].pop("date", None)
    return content


def test_the_number_and_issue_date_are_those_of_the_local_year(tmp_path: Path, ca: TestCA) -> None:
    """17:00 UTC on New Year's Eve is already 1 January in Singapore: the CO is numbered in
    the new year's series and dated in the node's time zone."""
    t = build_test_node(sqlite_url(tmp_path), ca=ca, now=datetime(2025, 12, 31, 17, 0, tzinfo=UTC))
    co = issued(t, content=_shipped("2026-01-01"))
    cert = co.document.certificate
    assert cert.certificate_number == "RCEP-SG-2026-000001"
    assert cert.issue_datetime is not None
    assert cert.issue_datetime.isoformat() == "2026-01-01T01:00:00+08:00"
    assert cert.declarations is not None and cert.declarations.certification is not None
    assert cert.declarations.certification.datetime == cert.issue_datetime
    t.close()


def test_place_of_issue_and_verification_url_come_from_the_identity(sg: TestNode) -> None:
    sg.node.identity = replace(
        sg.node.identity,
        issue_place_locode="SGSIN",
        issue_place_name="Singapore",
        public_base_url="https://verify.example.sg/",
    )
    cert = issued(sg).document.certificate
    assert cert.issue_place is not None
    assert (cert.issue_place.locode, cert.issue_place.name) == ("SGSIN", "Singapore")
    certification = cert.declarations.certification if cert.declarations else None
    assert certification is not None
    assert certification.verification_url == (
        "https://verify.example.sg/verify/SG/RCEP-SG-2025-000001"
    )
    sg.node.identity = replace(sg.node.identity, public_base_url=None, issue_place_locode=None)
    bare = issued(sg).document.certificate
    assert bare.issue_place is not None and bare.issue_place.locode is None
    assert bare.declarations is not None and bare.declarations.certification is not None
    assert bare.declarations.certification.verification_url is None
    assert (bare.parties.certifying_official is not None) and (
        bare.parties.certifying_official.name == "officer"
    )


def test_a_back_to_back_application_is_flagged_so(sg: TestNode) -> None:
    content = application_content()
    content["certificate"]["references"]["related_certificates"] = [
        {
            "relation": "back_to_back_of",
            "number": "ATIGA-MY-2025-000001",
            "issue_date": "2025-03-01",
            "issuing_country": "MY",
        }
    ]
    cert = issued(sg, content=content, kind="back_to_back").document.certificate
    assert cert.flags is not None and cert.flags.back_to_back
    assert not cert.flags.issued_retroactively and not cert.flags.certified_true_copy


def test_every_true_copy_keeps_the_original_and_counts_itself(sg: TestNode) -> None:
    original = issued(sg)
    copies = []
    for days in (10, 40):
        sg.clock.advance(timedelta(days=days))
        request = apps.request_true_copy(sg.node, sg.exporter, original.certificate.id)
        apps.submit_application(sg.node, sg.exporter, request.id)
        copies.append(issuance.issue_application(sg.node, sg.officer, request.id))
    assert [c.certificate.copy_seq for c in copies] == [1, 2]
    first = original.document.certificate
    for copy_ in copies:
        cert = copy_.document.certificate
        assert cert.certificate_number == first.certificate_number
        assert cert.validity_end_date == first.validity_end_date
        assert (cert.official_remarks or []).count("CERTIFIED TRUE COPY") == 1
        refs = cert.references.related_certificates if cert.references else None
        assert [(r.relation.value, r.number) for r in refs or []] == [
            ("true_copy_of", first.certificate_number)
        ]
    assert copies[1].document.certificate.flags is not None
    assert copies[1].document.certificate.flags.true_copy_issue_date == date(2025, 4, 23)
    with sg.node.store.read() as tx:
        assert (
            tx.certificates.next_number(authority_code="SG-CUSTOMS", agreement="RCEP", year=2025)
            == 2
        )  # copies take no number of their own


def test_a_replacement_of_a_co_cancelled_meanwhile_is_refused_and_takes_no_number(
    sg: TestNode,
) -> None:
    original = issued(sg)
    app_id = submitted(sg, kind="replacement", related=original.certificate.id)
    status_changes.cancel_certificate(sg.node, sg.officer, original.certificate.id, reason="x")
    with pytest.raises(Conflict, match="RCEP-SG-2025-000001 is CANCELLED, not ISSUED"):
        issuance.issue_application(sg.node, sg.officer, app_id)
    assert apps.get_application(sg.node, sg.exporter, app_id).status == "SUBMITTED"
    assert issued(sg).certificate.number == "RCEP-SG-2025-000002"


def test_a_retroactive_issue_the_agreement_forbids_is_a_conflict(sg: TestNode) -> None:
    rcep = sg.node.profiles.require("RCEP")
    forbidding = rcep.model_copy(
        update={
            "rules": rcep.rules.model_copy(
                update={"retroactive": RetroactiveRule(allowed=False, source="test rule")}
            )
        }
    )
    app_id = submitted(sg, kind="retroactive")
    sg.node.profiles = ProfileRegistry(
        {**{p.code: p for p in sg.node.profiles}, "RCEP": forbidding}
    )
    with pytest.raises(Conflict, match=r"RCEP does not allow retroactive issuance \(test rule\)"):
        issuance.issue_application(sg.node, sg.officer, app_id)
    assert apps.get_application(sg.node, sg.exporter, app_id).status == "SUBMITTED"
    # submission runs the same check: such an application is refused before it is submitted
    with pytest.raises(Conflict, match="RCEP does not allow retroactive issuance"):
        submitted(sg, kind="retroactive")


def test_the_validity_end_is_filled_from_the_profile_only_when_missing(sg: TestNode) -> None:
    doc = issued(sg).document
    end = doc.certificate.validity_end_date
    assert end == date(2026, 3, 4)  # RCEP: one year from issue
    data = doc.to_json_dict()
    data["certificate"].pop("validity_end_date")
    without = CODocument.model_validate(data)
    assert with_validity(sg.node, without, "RCEP").certificate.validity_end_date == end
    assert with_validity(sg.node, without, None) is without
    data["certificate"]["validity_end_date"] = "2025-06-30"
    own = CODocument.model_validate(data)
    assert with_validity(sg.node, own, "RCEP") is own
