"""Header, party and lifecycle rules: DS-04, DS-05, DS-07, DS-12, DS-13, DS-15, DS-16, DS-30."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Level
from tests.unit.validation_support import findings, make_profile, one, run, severe_codes


def _application(co: dict[str, Any], status: str = "SUBMITTED") -> dict[str, Any]:
    """The minimal CO turned back into an application: no issuer-owned data."""
    c = co["certificate"]
    c["status"] = status
    for key in ("certificate_number", "issue_datetime"):
        del c[key]
    del c["parties"]["certifying_official"]
    del c["declarations"]["certification"]
    del co["signatures"]
    return co


# --- DS-04 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("remove", "path"),
    [
        (("certificate", "certificate_number"), "certificate.certificate_number"),
        (("certificate", "issue_datetime"), "certificate.issue_datetime"),
        (
            ("certificate", "parties", "certifying_official"),
            "certificate.parties.certifying_official.name",
        ),
        (
            ("certificate", "declarations", "certification"),
            "certificate.declarations.certification.datetime",
        ),
        (("signatures", "issuing_authority"), "signatures.issuing_authority"),
        (("certificate", "declarations", "exporter"), "certificate.declarations.exporter.date"),
    ],
)
def test_ds04_an_issued_co_carries_the_issuers_data(
    minimal_co: dict[str, Any], remove: tuple[str, ...], path: str
) -> None:
    node = minimal_co
    for key in remove[:-1]:
        node = node[key]
    del node[remove[-1]]
    finding = one(run(minimal_co), "DS-04")
    assert (finding.level, finding.path) == (Level.SEVERE, path)
    assert "status ISSUED" in finding.message


def test_ds04_applies_to_later_statuses_too(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["status"] = "CANCELLED"
    del minimal_co["certificate"]["certificate_number"]
    assert one(run(minimal_co), "DS-04").path == "certificate.certificate_number"


def test_ds04_a_submitted_application_has_the_exporters_declaration_date(
    minimal_co: dict[str, Any],
) -> None:
    co = _application(minimal_co)
    assert not findings(run(co), "DS-04")
    del co["certificate"]["declarations"]
    assert one(run(co), "DS-04").path == "certificate.declarations.exporter.date"


def test_ds04_a_draft_needs_no_declaration_date_yet(minimal_co: dict[str, Any]) -> None:
    co = _application(minimal_co, "DRAFT")
    del co["certificate"]["declarations"]
    assert not findings(run(co), "DS-04")


# --- DS-05 -------------------------------------------------------------------------------------


def test_ds05_an_application_contains_no_issuer_owned_fields(minimal_co: dict[str, Any]) -> None:
    co = _application(copy.deepcopy(minimal_co), "DRAFT")
    assert not findings(run(co), "DS-05")
    co["certificate"]["certificate_number"] = "RCEP-SG-2025-000123"
    co["certificate"]["official_remarks"] = ["checked"]
    co["certificate"]["flags"] = {"true_copy_issue_date": "2025-03-04"}
    co["signatures"] = minimal_co["signatures"]
    paths = {f.path for f in findings(run(co), "DS-05")}
    assert paths == {
        "certificate.certificate_number",
        "certificate.official_remarks",
        "certificate.flags.true_copy_issue_date",
        "signatures.issuing_authority",
    }


def test_ds05_does_not_apply_once_issued(minimal_co: dict[str, Any]) -> None:
    assert not findings(run(minimal_co), "DS-05")


# --- DS-07 -------------------------------------------------------------------------------------


def test_ds07_number_already_used_by_another_co(minimal_co: dict[str, Any]) -> None:
    asked: list[tuple[str, str, str]] = []

    def in_use(country: str, authority: str, number: str) -> bool:
        asked.append((country, authority, number))
        return True

    finding = one(run(minimal_co, number_in_use=in_use), "DS-07", Level.SEVERE)
    assert asked == [("SG", "SG-CUSTOMS", "RCEP-SG-2025-000123")]
    assert finding.facts["authority"] == "SG-CUSTOMS"


def test_ds07_free_number_passes(minimal_co: dict[str, Any]) -> None:
    assert not findings(run(minimal_co, number_in_use=lambda *_: False), "DS-07")


def test_ds07_without_a_register_says_it_was_not_checked(minimal_co: dict[str, Any]) -> None:
    finding = one(run(minimal_co), "DS-07", Level.INFO)
    assert "not checked" in finding.message


def test_ds07_uses_the_first_identifier_when_there_is_no_trust_list_id(
    minimal_co: dict[str, Any],
) -> None:
    authority = minimal_co["certificate"]["parties"]["issuing_authority"]
    authority["identifiers"] = [{"scheme": "SG:UEN", "value": "T08GA0001A"}]
    asked: list[str] = []
    run(minimal_co, number_in_use=lambda _c, a, _n: bool(asked.append(a)))
    assert asked == ["T08GA0001A"]
    del authority["identifiers"]
    finding = one(run(minimal_co, number_in_use=lambda *_: True), "DS-07", Level.INFO)
    assert "no identifier" in finding.message


def test_ds07_a_certified_true_copy_repeats_the_number(minimal_co: dict[str, Any]) -> None:
    c = minimal_co["certificate"]
    c["flags"] = {"certified_true_copy": True, "true_copy_issue_date": "2025-05-02"}
    c["references"]["related_certificates"] = [
        {
            "relation": "true_copy_of",
            "number": c["certificate_number"],
            "issue_date": "2025-03-04",
            "issuing_country": "SG",
        }
    ]
    finding = one(run(minimal_co, number_in_use=lambda *_: True), "DS-07")
    assert finding.level is Level.INFO and "true copy" in finding.message


# --- DS-12 -------------------------------------------------------------------------------------


def test_ds12_every_country_code_is_iso_3166(minimal_co: dict[str, Any]) -> None:
    c = minimal_co["certificate"]
    c["parties"]["importer"]["address"]["country_code"] = "XX"
    c["goods_items"][0]["origin_country"] = "QQ"
    c["transport"]["transit_countries"] = ["MY", "ZZ"]
    paths = {f.path for f in findings(run(minimal_co), "DS-12")}
    assert paths == {
        "certificate.parties.importer.address.country_code",
        "certificate.goods_items[0].origin_country",
        "certificate.transport.transit_countries[1]",
    }


def test_ds12_user_assigned_code_only_when_the_profile_lists_it(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["parties"]["importer"]["address"]["country_code"] = "XK"
    assert findings(run(minimal_co), "DS-12")
    parties = {"source": "test", "countries": ["SG", "JP", "XK"]}
    assert not findings(run(minimal_co, profile=make_profile(parties=parties)), "DS-12")


# --- DS-13, DS-15 ------------------------------------------------------------------------------


def test_ds13_exporting_and_importing_country_differ(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["importing_country"] = "SG"
    finding = one(run(minimal_co), "DS-13", Level.SEVERE)
    assert finding.path == "certificate.importing_country"


def test_ds15_exporter_address_in_another_country_is_a_warning(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co["certificate"]["parties"]["exporter"]["address"]["country_code"] = "MY"
    assert one(run(minimal_co), "DS-15").level is Level.WARNING


# --- DS-16 -------------------------------------------------------------------------------------


def _producer(party_id: str) -> dict[str, Any]:
    return {"party_id": party_id, "name": f"Works {party_id}", "address": {"country_code": "SG"}}


def test_ds16_producer_references_and_ids(minimal_co: dict[str, Any]) -> None:
    parties = minimal_co["certificate"]["parties"]
    del parties["producer_statement"]
    parties["producers"] = [_producer("P1"), _producer("P1")]
    minimal_co["certificate"]["goods_items"][0]["producer_ref"] = "P2"
    found = {f.path for f in findings(run(minimal_co), "DS-16")}
    assert found == {
        "certificate.parties.producers[1].party_id",
        "certificate.goods_items[0].producer_ref",
    }


def test_ds16_same_as_exporter_excludes_a_producer_list(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["parties"]["producers"] = [_producer("P1")]
    assert one(run(minimal_co), "DS-16").path == "certificate.parties.producers"


# --- DS-30 -------------------------------------------------------------------------------------


def _previous(co: dict[str, Any], **changes: Any) -> CODocument:
    data = copy.deepcopy(co)
    data["certificate"].update(changes)
    return CODocument.model_validate(data)


def test_ds30_allowed_change_with_the_next_version(minimal_co: dict[str, Any]) -> None:
    previous = _previous(minimal_co)
    minimal_co["certificate"].update(status="CANCELLED", version=2)
    assert not findings(run(minimal_co, previous_version=previous), "DS-30")


def test_ds30_refuses_a_transition_the_lifecycle_does_not_have(
    minimal_co: dict[str, Any],
) -> None:
    previous = _previous(minimal_co, status="CANCELLED")
    minimal_co["certificate"].update(status="ISSUED", version=2)
    finding = one(run(minimal_co, previous_version=previous), "DS-30")
    assert finding.path == "certificate.status"
    assert "allowed from CANCELLED: none" in finding.message


def test_ds30_version_grows_by_one_after_issuance(minimal_co: dict[str, Any]) -> None:
    previous = _previous(minimal_co)
    minimal_co["certificate"].update(status="REPLACED", version=3)
    finding = one(run(minimal_co, previous_version=previous), "DS-30")
    assert (finding.path, finding.facts["expected"]) == ("certificate.version", 2)


def test_ds30_version_stays_one_up_to_first_issue(minimal_co: dict[str, Any]) -> None:
    previous = _previous(minimal_co, status="SUBMITTED")
    assert not findings(run(minimal_co, previous_version=previous), "DS-30")
    minimal_co["certificate"]["version"] = 2
    assert one(run(minimal_co, previous_version=previous), "DS-30").facts["expected"] == 1


def test_ds30_number_and_record_id_are_shared_by_all_versions(
    minimal_co: dict[str, Any],
) -> None:
    uuid = "0b6f3f1e-8d0a-4c43-9a39-2f6a1d7c9e10"
    previous = _previous(minimal_co, uuid=uuid)
    minimal_co["certificate"].update(
        status="CANCELLED",
        version=2,
        certificate_number="RCEP-SG-2025-000999",
        uuid="1b6f3f1e-8d0a-4c43-9a39-2f6a1d7c9e10",
    )
    paths = {f.path for f in findings(run(minimal_co, previous_version=previous), "DS-30")}
    assert paths == {"certificate.certificate_number", "certificate.uuid"}


def test_ds30_is_silent_without_a_previous_version(minimal_co: dict[str, Any]) -> None:
    minimal_co["certificate"]["version"] = 7
    assert "DS-30" not in severe_codes(run(minimal_co))
