"""services/issuing/applicant.py: what an application holds at the least (each missing member a
SCHEMA-REQUIRED finding, 422) and who may apply for it (an exporter for its organisation or one
it represents, in any written form of the identifier; others than exporters are not bound)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from originlink.domain.errors import Forbidden, ValidationFailed
from originlink.services.issuing.applicant import (
    exporter_identifiers,
    require_applicant,
    require_opening_members,
)
from tests.node_support import application_content
from tests.services.support import EXPORTER, OFFICER


def test_each_missing_member_is_one_finding_in_order() -> None:
    with pytest.raises(ValidationFailed) as info:
        require_opening_members({"agreement": {}, "importing_country": "", "parties": []})
    assert [f.path for f in info.value.findings] == [
        "certificate.agreement.code",
        "certificate.importing_country",
        "certificate.parties.exporter.identifiers",
    ]
    assert {f.code for f in info.value.findings} == {"SCHEMA-REQUIRED"}
    assert info.value.http_status == 422 and "nothing was stored" in info.value.detail
    require_opening_members(application_content()["certificate"])  # complete enough: passes
    non_preferential = application_content("valid/non-preferential-de-us-chamber.json")
    assert "agreement" not in non_preferential["certificate"]
    require_opening_members(non_preferential["certificate"])  # no agreement to name


def test_identifiers_are_read_as_scheme_and_value_pairs() -> None:
    cert = {"parties": {"exporter": {"identifiers": [
        {"scheme": "SG:UEN", "value": "201912345K"}, {"value": "X-1"}, {"scheme": 1}, "junk",
    ]}}}  # fmt: skip
    assert exporter_identifiers(cert) == [("SG:UEN", "201912345K"), (None, "X-1")]


@pytest.mark.parametrize(
    "organisation", ["SG-UEN-201912345K", "sg:uen:201912345k", "201912345K", " SG-UEN-201912345K"]
)
def test_the_organisation_matches_in_every_written_form(organisation: str) -> None:
    cert = application_content()["certificate"]
    require_applicant(replace(EXPORTER, organisation=organisation), cert)


def test_another_exporters_co_is_forbidden_unless_represented() -> None:
    cert = application_content()["certificate"]
    stranger = replace(EXPORTER, organisation="SG-UEN-200000001A")
    with pytest.raises(Forbidden) as info:
        require_applicant(stranger, cert)
    assert info.value.detail.startswith(
        "the CO's exporter (SG:UEN:201912345K) is neither your organisation nor one you are "
        "recorded as representing (SG-UEN-200000001A)"
    )
    assert info.value.pointer == "certificate.parties.exporter.identifiers"
    require_applicant(replace(stranger, represents=("SG-UEN-201912345K",)), cert)
    require_applicant(OFFICER, cert)  # only exporters are bound to their organisation
