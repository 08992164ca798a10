"""Lenient reading, format detection and what each new reader makes of its form (issue 18)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest

from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.profiles import bundled_profiles
from originlink.domain.validation import ValidationContext
from originlink.formats import detect_format, read_document, to_format
from originlink.formats.judging import judge
from originlink.formats.openattestation.proof import check_v2, digest_v2
from originlink.formats.openattestation.salt import salt, unsalt
from originlink.formats.reading import Draft, settle

PROFILES = bundled_profiles()


def _edi3(minimal_co: dict[str, Any]) -> dict[str, Any]:
    doc = CODocument.model_validate(minimal_co)
    out: dict[str, Any] = json.loads(to_format(doc, "uncefact", profile=None).result)
    return out


@pytest.mark.parametrize(
    ("fmt", "to"),
    [("ubl", "ubl"), ("canonical", "canonical"), ("uncefact", "uncefact")],
)
def test_formats_are_detected_from_the_content(
    minimal_co: dict[str, Any], fmt: str, to: str
) -> None:
    doc = CODocument.model_validate(minimal_co)
    data = to_format(doc, to, profile=None).result
    assert detect_format(data) == fmt


def test_the_aladi_cod_envelope_and_json_forms_are_detected() -> None:
    cod = b'<ns1:Envelope xmlns:ns1="http://www.w3.org/2001/12/soap-envelope"/>'
    assert detect_format(cod) == "aladi-cod"
    assert detect_format(b'{"certificateOfOrigin": {}}') == "igl"
    assert detect_format(b'{"version": "open-attestation/2.0", "data": {}}') == "openattestation"
    assert detect_format(b'{"credentialSubject": {}, "openAttestationMetadata": {}}') == (
        "openattestation"
    )


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<Invoice xmlns='urn:x'/>", "root element Invoice (urn:x) is not one OriginLink reads"),
        (b'{"invoice": 1}', "members: invoice"),
        (b"[1]", "not an object"),
        (b"PK\x03\x04", "neither XML nor JSON"),
    ],
)
def test_unknown_formats_are_refused_naming_what_was_seen(data: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words.replace("(", r"\(").replace(")", r"\)")):
        detect_format(data)


def test_a_refused_value_is_left_out_with_a_finding_and_a_loss_entry(
    minimal_co: dict[str, Any],
) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["goods_items"][0]["gross_weight"] = {"value": "heavy", "unit_code": "KGM"}
    data["certificate"]["remarks"] = ["\x00bad"]
    reading = settle(Draft("canonical", data))
    assert reading.model is not None
    assert reading.model.certificate.remarks is None
    assert reading.model.certificate.goods_items[0].gross_weight is None
    codes = {(f.code, f.path) for f in reading.findings}
    assert ("DS-33", "certificate.goods_items[0].gross_weight.value") in codes
    assert ("SCHEMA-REQUIRED", "certificate.goods_items[0].gross_weight") in codes
    assert ("DS-31", "certificate.remarks[0]") in codes
    assert {e.kind.value for e in reading.loss} == {"DROPPED"}


def test_an_incomplete_co_gets_placeholders_only_for_writing(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    del data["certificate"]["goods_items"][0]["description"]
    del data["certificate"]["importing_country"]
    reading = settle(Draft("canonical", data))
    assert reading.model is None
    assert "importing_country" not in reading.document["certificate"]
    model, synthesised = reading.writable("ubl")
    assert model is not None and model.certificate.importing_country == "ZZ"
    assert sorted(e.path for e in synthesised) == [
        "certificate.goods_items[0].description",
        "certificate.importing_country",
    ]
    judgement = judge(reading, registry=PROFILES, context=ValidationContext(now=_now()))
    paths = {f.path for f in judgement.findings if f.code == "SCHEMA-REQUIRED"}
    assert paths == {"certificate.goods_items[0].description", "certificate.importing_country"}
    # the rules ran on the rest, but say nothing about the placeholders
    assert judgement.checked_rules
    assert not any(f.code == "DS-12" for f in judgement.findings)


def _now() -> datetime:
    return datetime(2025, 3, 10, tzinfo=UTC)


def test_ds04_is_a_warning_for_a_received_co_whose_format_cannot_name_the_official(
    minimal_co: dict[str, Any],
) -> None:
    data = _edi3(minimal_co)
    reading = read_document(json.dumps(data).encode(), "uncefact", profiles=PROFILES)
    judgement = judge(reading, registry=PROFILES, context=ValidationContext(now=_now()))
    ds04 = [f for f in judgement.findings if f.code == "DS-04"]
    assert [(f.level.value, f.path) for f in ds04] == [
        ("WARNING", "certificate.parties.certifying_official.name")
    ]
    # the same CO in canonical JSON, where the field has a place, is SEVERE without it
    canonical = copy.deepcopy(minimal_co)
    del canonical["certificate"]["parties"]["certifying_official"]
    direct = settle(Draft("canonical", canonical))
    strict = judge(direct, registry=PROFILES, context=ValidationContext(now=_now()))
    assert [f.level.value for f in strict.findings if f.code == "DS-04"] == ["SEVERE"]


def test_igl_spellings_measures_and_file(minimal_co: dict[str, Any]) -> None:
    data = _edi3(minimal_co)
    consignment = data["supplyChainConsignment"]
    consignment["consignor"] = consignment.pop("exporter")
    data["id"] = data.pop("iD")
    line = consignment["includedConsignmentItems"][0]["tradeLineItems"][0]
    line["transportPackages"] = [{"id": "p1", "grossWeight": {"uom": "Kg", "value": "450"}}]
    content = b"%PDF-1.4 the certificate"
    data["attachedFile"] = {
        "file": base64.b64encode(content).decode(),
        "encodingCode": "base64",
        "mimeCode": "application/pdf",
    }
    data["freeTradeAgreement"] = "Regional Comprehensive Economic Partnership Agreement"
    raw = json.dumps({"certificateOfOrigin": data}).encode()
    reading = read_document(raw, profiles=PROFILES)
    assert reading.format == "igl" and reading.model is not None
    cert = reading.model.certificate
    assert cert.certificate_number == "RCEP-SG-2025-000123"
    assert cert.parties.exporter.name == minimal_co["certificate"]["parties"]["exporter"]["name"]
    assert cert.agreement_code == "RCEP"
    item = cert.goods_items[0]
    assert item.gross_weight is not None and str(item.gross_weight.value) == "450"
    files = {a.attachment_id: a for a in cert.attachments or []}
    assert files["attached-file"].sha256 == hashlib.sha256(content).hexdigest()
    assert files["source-document"].purpose.value == "source_document"


def test_openattestation_salts_round_trip_and_the_proof_covers_every_value() -> None:
    data = {"a": "x", "n": 5, "f": 1.5, "b": True, "z": None, "l": [1, {"k": "v"}], "e": []}
    salted = salt(data)
    assert unsalt(salted) == data
    target = digest_v2(salted, [])
    wrapped = {
        "data": salted,
        "signature": {"targetHash": target, "proof": [], "merkleRoot": target},
    }
    assert check_v2(wrapped, "").status == "ok"
    salted["l"][1]["k"] = salted["l"][1]["k"][:-1] + "w"
    assert check_v2(wrapped, "").status == "failed"


def test_a_malformed_proof_is_a_failed_integrity_not_a_crash() -> None:
    wrapped = {"data": salt({"iD": "x"}), "signature": {"targetHash": "zz", "proof": []}}
    result = check_v2(wrapped, "")
    assert result.status == "failed" and "malformed" in result.detail


def test_a_v3_credential_whose_subject_is_a_co_is_read(minimal_co: dict[str, Any]) -> None:
    credential = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential"],
        "issuer": "did:web:example.org",
        "credentialSubject": _edi3(minimal_co),
        "proof": {"type": "BbsBlsSignature2020", "proofValue": "abc"},
    }
    reading = read_document(json.dumps(credential).encode(), profiles=PROFILES)
    assert reading.format == "openattestation" and reading.model is not None
    assert reading.integrity is not None and reading.integrity.status == "not checked"
    assert reading.model.certificate.certificate_number == "RCEP-SG-2025-000123"
    proof = next(f for f in reading.findings if f.code == "PROOF-INTEGRITY")
    assert proof.level.value == "WARNING"  # another kind of proof: not checked, not failed


def test_our_openattestation_output_reads_back_with_its_proof(minimal_co: dict[str, Any]) -> None:
    doc = CODocument.model_validate(minimal_co)
    written = to_format(doc, "openattestation", profile=PROFILES.get("RCEP"))
    kinds = {(e.kind.value, e.path) for e in written.loss}
    assert ("SYNTHESISED", "$.data.issuers[0].identityProof") in kinds
    reading = read_document(written.result, profiles=PROFILES)
    assert reading.integrity is not None and reading.integrity.status == "ok"
    assert reading.model is not None
    assert reading.model.certificate.certificate_number == doc.certificate.certificate_number
