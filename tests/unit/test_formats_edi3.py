"""edi3 (UN/CEFACT) JSON writer and reader."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from originlink.domain.dataset import CODocument, Identifier
from originlink.domain.errors import ValidationFailed
from originlink.domain.profiles import bundled_profiles
from originlink.formats import LossKind, Reading, from_format, read_document, to_format
from originlink.formats.edi3 import uris
from originlink.formats.edi3.common import parse_measure


def _write(data: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    doc = CODocument.model_validate(data)
    profile = bundled_profiles().get(doc.certificate.agreement_code or "")
    out = to_format(doc, "uncefact", profile=profile)
    return json.loads(out.result), out


def _read(data: dict[str, Any]) -> Any:
    return from_format(json.dumps(data).encode(), "uncefact", profiles=bundled_profiles())


def _lenient(data: dict[str, Any]) -> Reading:
    return read_document(json.dumps(data).encode(), "uncefact", profiles=bundled_profiles())


def test_minimal_example_loss_report(minimal_co: dict[str, Any]) -> None:
    _, out = _write(minimal_co)
    got = {(e.kind.value, e.path) for e in out.loss}
    assert got == {
        ("DEGRADED", "signatures.issuing_authority"),
        ("DEGRADED", "certificate.parties.issuing_authority.identifiers[0]"),
        ("DERIVED", "$.freeTradeAgreement"),
        ("DEGRADED", "certificate.parties.exporter.identifiers[0]"),
        ("DEGRADED", "certificate.goods_items[0].origin_criterion"),
        ("DROPPED", "certificate.goods_items[0].quantity"),
        ("DROPPED", "certificate.goods_items[0].gross_weight"),
        ("DROPPED", "certificate.goods_items[0].fob_value"),
        ("DROPPED", "certificate.goods_items[0].packages"),
        ("DROPPED", "certificate.goods_items[0].hs_edition"),
        ("DEGRADED", "certificate.transport.departure_datetime"),
        ("DROPPED", "certificate.parties.certifying_official"),
        ("DROPPED", "certificate.parties.producer_statement"),
        ("DROPPED", "certificate.version"),
        ("DROPPED", "certificate.form_code"),
        ("DROPPED", "certificate.transport.mode_code"),
    }


def test_mapping_of_the_minimal_example(minimal_co: dict[str, Any]) -> None:
    data, _ = _write(minimal_co)
    assert data["iD"] == "urn:originlink:coo:RCEP-SG-2025-000123"
    assert data["status"] == "issued" and data["isPreferential"] is True
    consignment = data["supplyChainConsignment"]
    assert consignment["exportCountry"] == {"code": "SG"}
    assert consignment["loadingBaseportLocation"]["iD"] == "unece.un.org:locode:SGSIN"
    group = consignment["includedConsignmentItems"][0]
    assert group["crossBorderRegulatoryProcedure"] == {"originCriteriaText": "RVC 45%"}
    line = group["tradeLineItems"][0]
    assert line["tradeProduct"]["harmonisedTariffCode"]["classCode"] == "8482.10"
    assert line["invoiceReference"]["formattedIssueDateTime"] == "2025-03-03T00:00:00Z"
    departure = consignment["mainCarriageTransportMovement"]["departureEvent"]
    assert departure["departureDateTime"] == "2025-03-05T00:00:00Z"


def test_criterion_text_becomes_a_code_when_the_profile_knows_it(
    minimal_co: dict[str, Any],
) -> None:
    data, _ = _write(minimal_co)
    back = _read(data).result.certificate
    criterion = back.goods_items[0].origin_criterion
    assert criterion is not None and criterion.code == "RVC"
    assert str(criterion.value_content_percent) == "45"


def test_unknown_criterion_text_is_kept_as_text(minimal_co: dict[str, Any]) -> None:
    data, _ = _write(minimal_co)
    group = data["supplyChainConsignment"]["includedConsignmentItems"][0]
    group["crossBorderRegulatoryProcedure"]["originCriteriaText"] = "Article 3.2(b)"
    back = _read(data)
    criterion = back.result.certificate.goods_items[0].origin_criterion
    assert criterion is not None and criterion.code is None and criterion.text == "Article 3.2(b)"
    assert any(e.kind is LossKind.DEGRADED and "origin_criterion" in e.path for e in back.loss)


def test_goods_are_grouped_by_producer_and_criterion(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    cert = data["certificate"]
    first = cert["goods_items"][0]
    cert["goods_items"] = [
        first,
        {**first, "sequence_number": 2},
        {**first, "sequence_number": 3, "origin_criterion": {"code": "WO"}},
    ]
    out, _ = _write(data)
    groups = out["supplyChainConsignment"]["includedConsignmentItems"]
    assert [[line["sequenceNumber"] for line in g["tradeLineItems"]] for g in groups] == [
        [1, 2],
        [3],
    ]
    back = _read(out).result.certificate
    assert [g.origin_criterion.code for g in back.goods_items if g.origin_criterion] == [
        "RVC",
        "RVC",
        "WO",
    ]


@pytest.mark.parametrize(
    ("status", "edi3", "kind"),
    [
        ("CANCELLED", "cancelled", LossKind.DEGRADED),
        ("REPLACED", "replaced", LossKind.DEGRADED),
    ],
)
def test_statuses_outside_the_lifecycle_are_degraded(
    minimal_co: dict[str, Any], status: str, edi3: str, kind: LossKind
) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["status"] = status
    out, report = _write(data)
    assert out["status"] == edi3
    assert any(e.kind is kind and e.path == "certificate.status" for e in report.loss)


@pytest.mark.parametrize("value", ["verified", "disputed", "acquitted", "rejected"])
def test_importing_side_statuses_read_as_issued_and_reported(
    minimal_co: dict[str, Any], value: str
) -> None:
    data, _ = _write(minimal_co)
    data["status"] = value
    back = _read(data)
    assert back.result.certificate.status.value == "ISSUED"
    entry = next(e for e in back.loss if e.path == "certificate.status")
    assert entry.value == value and "importing-side" in entry.detail


def test_identifier_uris_round_trip_with_registered_and_unregistered_schemes() -> None:
    abn = Identifier(scheme="AU:ABN", value="51 824 753 556")
    uri, registered = uris.identifier_uri(abn)
    assert registered and uri == "abr.gov.au:abn:51%20824%20753%20556"
    assert uris.parse_identifier(uri) == ("AU:ABN", "51 824 753 556", True)
    uen = Identifier(scheme="SG:UEN", value="201912345K")
    uri, registered = uris.identifier_uri(uen)
    assert not registered
    assert uris.parse_identifier(uri) == ("SG:UEN", "201912345K", True)
    assert uris.parse_identifier("did:web:example.org") == ("URI", "did:web:example.org", False)


def test_certificate_id_uses_the_issuer_domain_when_known(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["parties"]["issuing_authority"]["contact"] = {
        "website": "https://www.customs.gov.sg/"
    }
    out, _ = _write(data)
    assert out["iD"] == "www.customs.gov.sg:coo:RCEP-SG-2025-000123"
    assert _read(out).result.certificate.certificate_number == "RCEP-SG-2025-000123"


def test_measures_are_strings_with_rec20_codes_and_symbols_are_normalised() -> None:
    assert parse_measure("450 KGM") == ({"value": "450", "unit_code": "KGM"}, False)
    assert parse_measure("12.5 kg") == ({"value": "12.5", "unit_code": "KGM"}, True)
    assert parse_measure("heavy") == (None, False)


def test_free_trade_agreement_name_comes_from_the_profile(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    cert = data["certificate"]
    cert["agreement"] = {"code": "CHAFTA"}
    cert["form_code"] = "CHAFTA_COO"
    out, report = _write(data)
    assert out["freeTradeAgreement"] == "CHAFTA"
    assert not any(e.path == "$.freeTradeAgreement" for e in report.loss)
    assert _read(out).result.certificate.agreement_code == "CHAFTA"


def test_a_member_of_the_wrong_type_is_left_out_with_its_json_pointer(
    minimal_co: dict[str, Any],
) -> None:
    data, _ = _write(minimal_co)
    data["supplyChainConsignment"]["exporter"]["postalAddress"] = "Singapore"
    reading = _lenient(data)
    finding = next(f for f in reading.findings if f.code == "READ-TYPE")
    assert finding.level.value == "SEVERE"
    assert finding.facts["source_path"] == "/supplyChainConsignment/exporter/postalAddress"
    assert any(
        e.kind is LossKind.DROPPED and e.path.endswith("exporter.postalAddress")
        for e in reading.loss
    )
    # the rest is read; the exporter's country comes from the consignment
    assert reading.model is not None
    assert reading.model.certificate.parties.exporter.address.country_code == "SG"
    with pytest.raises(ValidationFailed):
        _read(data)


def test_missing_required_members_are_findings_not_refusals() -> None:
    reading = _lenient({"isPreferential": True, "supplyChainConsignment": {}})
    missing = {f.facts["source_path"] for f in reading.findings if f.code == "READ-MISSING"}
    assert "/iD" in missing
    assert reading.model is None  # no exporter, no countries: the dataset says what is missing
    assert "certificate_number" not in reading.document["certificate"]


def test_the_co_number_keeps_its_issuer_scheme(minimal_co: dict[str, Any]) -> None:
    data, _ = _write(minimal_co)
    data["iD"] = "wfa.org.au:coo:WBC208897"
    back = _read(data)
    cert = back.result.certificate
    assert cert.certificate_number == "WBC208897"
    assert any(
        e.path == "certificate.certificate_number" and "wfa.org.au" in e.detail for e in back.loss
    )
    again, _ = _write(back.result.to_json_dict())
    assert again["iD"] == "wfa.org.au:coo:WBC208897"


def test_agreements_named_in_full_map_to_the_profile(minimal_co: dict[str, Any]) -> None:
    data, _ = _write(minimal_co)
    data["freeTradeAgreement"] = "Regional Comprehensive Economic Partnership Agreement"
    back = _read(data)
    assert back.result.certificate.agreement_code == "RCEP"
    assert any(
        e.path == "certificate.agreement.code" and e.kind is LossKind.DERIVED for e in back.loss
    )


def test_members_outside_the_schema_are_dropped(minimal_co: dict[str, Any]) -> None:
    data, _ = _write(minimal_co)
    data["$template"] = {"name": "CHAFTA_COO"}
    back = _read(data)
    assert any(e.kind is LossKind.DROPPED and e.path == "$.$template" for e in back.loss)
