"""UBL 2.4 writer and reader: mappings, synthesised elements, the OriginLink extension."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from lxml import etree

from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError, LossyConversionRefused
from originlink.domain.profiles import bundled_profiles
from originlink.formats import LossKind, from_format, to_format
from originlink.formats.ubl.names import CAC, CBC

NS = {
    "cac": CAC,
    "cbc": CBC,
    "d": "urn:oasis:names:specification:ubl:schema:xsd:CertificateOfOrigin-2",
}


def _write(data: dict[str, Any], **options: Any) -> tuple[etree._Element, Any]:
    out = to_format(CODocument.model_validate(data), "ubl", profile=None, **options)
    return etree.fromstring(out.result), out


def _entries(report: Any) -> set[tuple[str, str]]:
    return {(e.kind.value, e.path) for e in report}


def test_minimal_example_loss_report_with_the_extension(minimal_co: dict[str, Any]) -> None:
    _, out = _write(minimal_co)
    assert _entries(out.loss) == {
        ("SYNTHESISED", "cac:CertificateOfOriginApplication/cbc:ReferenceID"),
        ("SYNTHESISED", "cac:CertificateOfOriginApplication/cbc:OriginalJobID"),
        ("SYNTHESISED", "cac:CertificateOfOriginApplication/cac:Shipment/cac:Consignment/cbc:ID"),
        (
            "SYNTHESISED",
            "cac:CertificateOfOriginApplication/cac:EndorserParty/cac:SignatoryContact/cbc:Name",
        ),
        ("SYNTHESISED", "cac:CertificateOfOriginApplication/cac:PreparationParty"),
        ("SYNTHESISED", "cac:IssuerEndorsement/cbc:DocumentID"),
        ("SYNTHESISED", "cac:IssuerEndorsement/cac:Signature/cbc:ID"),
        (
            "SYNTHESISED",
            "cac:IssuerEndorsement/cac:Signature/cac:DigitalSignatureAttachment/"
            "cbc:EmbeddedDocumentBinaryObject/@mimeCode",
        ),
        ("DEGRADED", "certificate.status"),
        ("DEGRADED", "signatures.issuing_authority"),
    }


def test_without_the_extension_dagger_members_are_dropped(minimal_co: dict[str, Any]) -> None:
    root, out = _write(minimal_co, originlink_extension=False)
    dropped = {e.path for e in out.loss if e.kind is LossKind.DROPPED}
    assert dropped == {
        "certificate.is_preferential",
        "certificate.agreement",
        "certificate.parties.producer_statement",
        "certificate.goods_items[0].origin_criterion.value_content_percent",
        "certificate.declarations.exporter.date",
    }
    assert (
        root.find(
            "{urn:oasis:names:specification:ubl:schema:xsd:"
            "CommonExtensionComponents-2}UBLExtensions"
        )
        is None
    )


def test_round_trip_with_the_extension_is_exact_except_signatures(
    minimal_co: dict[str, Any],
) -> None:
    doc = CODocument.model_validate(minimal_co)
    written = to_format(doc, "ubl", profile=None)
    back = from_format(written.result, "ubl", profiles=bundled_profiles())
    assert back.result == doc
    assert [e.path for e in back.loss] == ["signatures.issuing_authority"]


def test_without_the_extension_the_reader_derives_the_agreement_from_the_form(
    minimal_co: dict[str, Any],
) -> None:
    _, out = _write(minimal_co, originlink_extension=False)
    back = from_format(out.result, "ubl", profiles=bundled_profiles())
    cert = back.result.certificate
    assert cert.agreement_code == "RCEP" and cert.is_preferential is True
    assert (LossKind.DERIVED, "certificate.agreement.code") in {(e.kind, e.path) for e in back.loss}
    assert cert.declarations is not None and cert.declarations.certification is not None
    assert cert.declarations.certification.datetime == cert.issue_datetime


def test_element_values_follow_the_mapping(minimal_co: dict[str, Any]) -> None:
    root, _ = _write(minimal_co)
    assert root.findtext("cbc:IssueDate", namespaces=NS) == "2025-03-04"
    assert root.findtext("cbc:IssueTime", namespaces=NS) == "09:15:00+08:00"
    goods = root.find("cac:CertificateOfOriginApplication/cac:Shipment/cac:GoodsItem", NS)
    assert goods is not None
    assert goods.findtext("cbc:SequenceNumberID", namespaces=NS) == "1"
    fob = goods.find("cbc:FreeOnBoardValueAmount", NS)
    assert fob is not None and fob.text == "18250.00" and fob.get("currencyID") == "USD"
    hs = goods.find("cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode", NS)
    assert hs is not None and hs.text == "848210" and hs.get("listVersionID") == "HS2022"
    stage = root.find("cac:CertificateOfOriginApplication/cac:Shipment/cac:ShipmentStage", NS)
    assert stage is not None
    assert stage.findtext("cac:LoadingPortLocation/cbc:ID", namespaces=NS) == "SGSIN"
    assert root.findtext("cac:IssuerEndorsement/cbc:ApprovalStatus", namespaces=NS) == "ISSUED"


def test_a_draft_without_number_gets_a_marked_identifier(minimal_co: dict[str, Any]) -> None:
    data = copy.deepcopy(minimal_co)
    cert = data["certificate"]
    for key in ("certificate_number", "issue_datetime"):
        cert.pop(key)
    cert["status"] = "DRAFT"
    cert["application_reference"] = "APP-7"
    root, out = _write(data)
    assert root.findtext("cbc:ID", namespaces=NS) == "NOT-STATED"
    back = from_format(out.result, "ubl", profiles=bundled_profiles()).result.certificate
    assert back.certificate_number is None and back.application_reference == "APP-7"


def test_foreign_elements_are_reported_dropped_with_their_xpath(minimal_co: dict[str, Any]) -> None:
    _, out = _write(minimal_co)
    xml = (
        out.result.decode()
        .replace("<cac:CertificateOfOriginApplication>", "<cac:CertificateOfOriginApplication>", 1)
        .replace(
            "</cac:IssuerEndorsement>",
            "</cac:IssuerEndorsement><cac:EmbassyEndorsement><cbc:DocumentID>E1</cbc:DocumentID>"
            "</cac:EmbassyEndorsement>",
        )
    )
    back = from_format(xml.encode(), "ubl", profiles=bundled_profiles())
    assert (LossKind.DROPPED, "/CertificateOfOrigin/cac:EmbassyEndorsement") in {
        (e.kind, e.path) for e in back.loss
    }


def test_an_extension_carrying_a_non_dagger_member_is_refused(minimal_co: dict[str, Any]) -> None:
    _, out = _write(minimal_co)
    xml = out.result.decode().replace('{"agreement"', '{"certificate_number":"FORGED","agreement"')
    with pytest.raises(InputError, match="not a ‡ member: certificate_number"):
        from_format(xml.encode(), "ubl", profiles=bundled_profiles())


def test_issue_time_without_offset_is_read_in_the_issuing_country(
    minimal_co: dict[str, Any],
) -> None:
    data = copy.deepcopy(minimal_co)
    data["certificate"]["agreement"] = {"code": "MERCOSUR"}
    for key in ("issuing_country", "exporting_country"):
        data["certificate"][key] = "BR"
    _, out = _write(data)
    xml = out.result.decode().replace("<cbc:IssueTime>09:15:00+08:00<", "<cbc:IssueTime>09:15:00<")
    back = from_format(xml.encode(), "ubl", profiles=bundled_profiles())
    assert back.result.certificate.issue_datetime is not None
    assert back.result.certificate.issue_datetime.isoformat() == "2025-03-04T09:15:00-03:00"
    assert any(
        e.kind is LossKind.DEGRADED and e.path == "certificate.issue_datetime" for e in back.loss
    )


def test_strict_refuses_a_lossy_export(minimal_co: dict[str, Any]) -> None:
    with pytest.raises(LossyConversionRefused) as caught:
        to_format(CODocument.model_validate(minimal_co), "ubl", profile=None, strict=True)
    paths = {f.path for f in caught.value.findings}
    assert paths == {"certificate.status", "signatures.issuing_authority"}
    assert caught.value.exit_code == 1


def test_signature_values_are_carried_as_opaque_base64(minimal_co: dict[str, Any]) -> None:
    root, _ = _write(minimal_co)
    obj = root.find(
        "cac:IssuerEndorsement/cac:Signature/cac:DigitalSignatureAttachment/"
        "cbc:EmbeddedDocumentBinaryObject",
        NS,
    )
    assert obj is not None and obj.get("mimeCode") == "application/jose"
    import base64

    assert base64.b64decode(obj.text or "") == b"<compact JWS>"


def test_foreign_address_parts_and_company_ids_are_folded_in(minimal_co: dict[str, Any]) -> None:
    _, out = _write(minimal_co)
    xml = (
        out.result.decode()
        .replace(
            "<cbc:CityName>Singapore</cbc:CityName>",
            "<cbc:StreetName>Example Way</cbc:StreetName><cbc:BuildingNumber>1</cbc:BuildingNumber>"
            "<cbc:CityName>Singapore</cbc:CityName>",
            1,
        )
        .replace(
            "</cac:PostalAddress>",
            "</cac:PostalAddress><cac:PartyTaxScheme><cbc:CompanyID>M2-123</cbc:CompanyID>"
            "<cac:TaxScheme><cbc:ID>GST</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
            1,
        )
    )
    exporter = from_format(
        xml.encode(), "ubl", profiles=bundled_profiles()
    ).result.certificate.parties.exporter
    assert exporter.address.lines == ["Example Way", "1", "1 Example Way"]
    assert exporter.identifiers is not None
    assert ("TAX", "M2-123") in [(i.scheme, i.value) for i in exporter.identifiers]


def test_over_long_imported_text_is_cut_and_reported(minimal_co: dict[str, Any]) -> None:
    _, out = _write(minimal_co)
    long_name = "Example Precision " + "x" * 300
    xml = out.result.decode().replace("Example Precision Pte Ltd", long_name)
    back = from_format(xml.encode(), "ubl", profiles=bundled_profiles())
    assert len(back.result.certificate.parties.exporter.name) == 256
    assert any(
        e.kind is LossKind.DEGRADED and e.path == "certificate.parties.exporter.name"
        for e in back.loss
    )
