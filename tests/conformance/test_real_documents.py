"""Certificates of origin as they are published today, read as published (issue 18).

Each document in ``documents/`` is a real public sample (README.md there names its repository,
path, commit and licence). Every one that holds a CO is read, with the findings asserted here;
those that hold none are refused, saying what they hold.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from originlink.domain.errors import InputError
from originlink.domain.profiles import bundled_profiles
from originlink.domain.validation import ValidationContext
from originlink.formats import Reading, detect_format, read_document, to_format
from originlink.formats.judging import Judgement, judge

DOCUMENTS = Path(__file__).parent / "documents"
NOW = datetime(2020, 7, 1, tzinfo=UTC)


def _read(name: str) -> Reading:
    return read_document((DOCUMENTS / name).read_bytes(), profiles=bundled_profiles())


def _judge(reading: Reading, now: datetime = NOW) -> Judgement:
    return judge(reading, registry=bundled_profiles(), context=ValidationContext(now=now))


def _codes(judgement: Judgement, level: str) -> list[str]:
    return sorted(f.code for f in judgement.findings if f.level.value == level)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("edi3-CertificateOfOrigin.sampleFull.json", "uncefact"),
        ("edi3-CertificateOfOrigin.sampleMinimal.json", "uncefact"),
        ("edi3-OA-Sample-full.json", "openattestation"),
        ("tradetrust-coo-selective-disclosure.json", "openattestation"),
        ("tradetrust-creator-data-file-coo.json", "openattestation"),
        ("tradetrust-simple-coo-raw.json", "openattestation"),
        ("tradetrust-invoice-wrapped.json", "openattestation"),
        ("openattestation-v3-did-wrapped.json", "openattestation"),
        ("igl-trade-portal-chafta.json", "igl"),
    ],
)
def test_the_format_is_recognised_from_the_content(name: str, fmt: str) -> None:
    assert detect_format((DOCUMENTS / name).read_bytes()) == fmt


@pytest.mark.parametrize(
    "name", ["tradetrust-coo-selective-disclosure.json", "edi3-OA-Sample-full.json"]
)
def test_tradetrust_chafta_documents_read_with_their_proof_recomputed(name: str) -> None:
    reading = _read(name)
    assert reading.model is not None
    assert reading.integrity is not None and reading.integrity.status == "ok"
    assert reading.integrity.identity_status == "not checked"
    cert = reading.model.certificate
    assert cert.agreement_code == "CHAFTA" and cert.status.value == "ISSUED"
    # the CO number keeps its issuer's scheme: the domain is the issuer's DNS identifier
    assert cert.certificate_number in ("WBC208897", "WBC208899")
    identifiers = cert.parties.issuing_authority.identifiers or []
    assert {"scheme": "DNS", "value": "wfa.org.au"} in [i.model_dump() for i in identifiers]
    # the line-level packages are the items' measures: 2 x 450 kg, 2 x 450 kg, 2 x 465 kg
    weights = [(i.gross_weight.value, i.packages.count) for i in cert.goods_items]  # type: ignore[union-attr]
    assert weights == [(Decimal(900), 2), (Decimal(900), 2), (Decimal(930), 2)]
    assert cert.transport is not None and len(cert.transport.packages or []) == 6
    # the 17 k and 93 k character signature images are attachments, not refusals
    attachments = {a.attachment_id: a for a in cert.attachments or []}
    assert attachments["signature-exporter"].mime_type == "image/jpeg"
    assert attachments["signature-issuing-authority"].size_bytes > 65_536  # type: ignore[operator]
    assert attachments["source-document"].purpose.value == "source_document"
    judgement = _judge(reading)
    assert _codes(judgement, "SEVERE") == []
    assert "PROOF-IDENTITY" in _codes(judgement, "WARNING")
    assert "DS-04" in _codes(judgement, "WARNING")  # no certifying official in the format
    assert "PROOF-INTEGRITY" in _codes(judgement, "INFO")


def test_the_co_number_is_written_back_unchanged() -> None:
    reading = _read("tradetrust-coo-selective-disclosure.json")
    assert reading.model is not None
    out = json.loads(to_format(reading.model, "uncefact", profile=None).result)
    assert out["iD"] == "wfa.org.au:coo:WBC208899"
    assert out["issuer"]["iD"] == "id:wfa.org.au"


def test_a_changed_value_fails_the_integrity_check() -> None:
    raw = json.loads((DOCUMENTS / "tradetrust-coo-selective-disclosure.json").read_text())
    raw["data"]["name"] = raw["data"]["name"].replace("Certificate", "Certificat")
    reading = read_document(json.dumps(raw).encode(), profiles=bundled_profiles())
    assert reading.integrity is not None and reading.integrity.status == "failed"
    severe = [f for f in _judge(reading).findings if f.level.value == "SEVERE"]
    assert [f.code for f in severe] == ["PROOF-INTEGRITY"]
    assert severe[0].facts["source_path"] == "/signature"


def test_the_edi3_sample_reads_with_every_finding_located() -> None:
    reading = _read("edi3-CertificateOfOrigin.sampleFull.json")
    assert reading.model is not None
    cert = reading.model.certificate
    assert cert.certificate_number == "WBC208897"
    assert reading.model.signatures is not None
    assert reading.model.signatures.issuing_authority.format.value == "jws"  # type: ignore[union-attr]
    judgement = _judge(reading)
    # three items, six packages on the consignment: which package is whose is not said
    assert _codes(judgement, "SEVERE") == ["DS-23", "DS-23", "DS-23"]
    located = [f.facts.get("source_path") for f in judgement.findings if f.code == "DS-23"]
    assert located[0] == "/supplyChainConsignment/includedConsignmentItems/0/tradeLineItems/0"


def test_the_minimal_edi3_sample_is_read_and_its_gaps_named() -> None:
    reading = _read("edi3-CertificateOfOrigin.sampleMinimal.json")
    assert reading.model is None  # no goods descriptions
    judgement = _judge(reading)
    missing = [f for f in judgement.findings if f.code == "SCHEMA-REQUIRED"]
    assert [f.path for f in missing] == [
        f"certificate.goods_items[{i}].description" for i in range(3)
    ]
    assert missing[0].facts["source_path"].endswith("/tradeLineItems/0")
    model, synthesised = reading.writable("ubl")
    assert model is not None
    assert {e.kind.value for e in synthesised} == {"SYNTHESISED"}


def test_the_igl_trade_portal_form_reads_with_the_agreement_by_its_full_name() -> None:
    reading = _read("igl-trade-portal-chafta.json")
    assert reading.model is not None
    cert = reading.model.certificate
    assert cert.agreement_code == "CHAFTA"
    assert cert.certificate_number == "WBC208897"
    assert cert.parties.exporter.name == "TREASURY WINE ESTATES VINTNERS LIMITED"
    assert any(
        e.path == "certificate.agreement.code" and "China-Australia" in str(e.value)
        for e in reading.loss
    )


def test_the_simple_coo_form_reads_without_an_issuing_authority_of_its_own() -> None:
    reading = _read("tradetrust-simple-coo-raw.json")
    assert reading.model is not None
    cert = reading.model.certificate
    assert cert.certificate_number == "IMDA0001"
    assert cert.parties.issuing_authority.name == "abc"  # the OpenAttestation issuer
    assert cert.exporting_country == "AU" and cert.importing_country == "SG"
    assert cert.goods_items[0].hs_code == "220421"
    assert cert.issue_datetime == datetime(2021, 9, 21, 15, 5, tzinfo=UTC)
    assert reading.integrity is not None and reading.integrity.status == "absent"
    judgement = _judge(reading, datetime(2021, 10, 1, tzinfo=UTC))
    # no agreement is named, no measure given, no signature (not wrapped)
    assert _codes(judgement, "SEVERE") == ["DS-04", "DS-23", "DS-29"]


def test_the_document_creator_data_file_reads_without_an_issuer() -> None:
    reading = _read("tradetrust-creator-data-file-coo.json")
    assert reading.integrity is not None and reading.integrity.status == "absent"
    severe = {f.code for f in _judge(reading).findings if f.level.value == "SEVERE"}
    assert "SCHEMA-REQUIRED" in severe  # the creator adds the issuer when it issues


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        ("tradetrust-invoice-wrapped.json", "template INVOICE"),
        ("openattestation-v3-did-wrapped.json", "template CUSTOM_TEMPLATE"),
    ],
)
def test_documents_without_a_co_are_refused_naming_what_they_hold(name: str, holds: str) -> None:
    with pytest.raises(InputError, match=holds):
        _read(name)


def test_the_v3_proof_is_recomputed_as_the_reference_does() -> None:
    from originlink.formats.openattestation.proof import check_v3

    raw = json.loads((DOCUMENTS / "openattestation-v3-did-wrapped.json").read_text())
    assert check_v3(raw, "").status == "ok"
    raw["credentialSubject"]["id"] = "did:example:other"
    assert check_v3(raw, "").status == "failed"
