"""ALADI COD 1.8.0 writer and reader."""

from __future__ import annotations

import base64
import copy
import hashlib
from typing import Any

import pytest
from lxml import etree

from originlink.domain.dataset import CODocument
from originlink.domain.errors import ConfigurationError, InputError, ValidationFailed
from originlink.domain.profiles import bundled_profiles
from originlink.formats import LossKind, from_format, to_format


def mercosur(minimal_co: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(minimal_co)
    cert = data["certificate"]
    cert["agreement"] = {"code": "MERCOSUR"}
    cert["form_code"] = "ALADI_A18"
    cert["issuing_country"] = cert["exporting_country"] = "BR"
    cert["importing_country"] = "AR"
    cert["parties"]["exporter"]["address"]["country_code"] = "BR"
    cert["parties"]["importer"]["address"]["country_code"] = "AR"
    cert["parties"]["issuing_authority"]["address"]["country_code"] = "BR"
    cert["parties"]["issuing_authority"]["identifiers"] = [{"scheme": "ALADI:EH", "value": "036"}]
    cert["goods_items"][0]["origin_criterion"] = {"code": "B", "value_content_percent": "60"}
    return data


def _write(data: dict[str, Any]) -> Any:
    doc = CODocument.model_validate(data)
    return to_format(doc, "aladi-cod", profile=bundled_profiles().get("MERCOSUR"))


def _read(xml: bytes) -> Any:
    return from_format(xml, "aladi-cod", profiles=bundled_profiles())


def test_minimal_example_loss_report(minimal_co: dict[str, Any]) -> None:
    out = _write(mercosur(minimal_co))
    got = {(e.kind.value, e.path) for e in out.loss}
    assert got == {
        ("DROPPED", "certificate.parties.exporter.identifiers"),
        ("DROPPED", "certificate.goods_items[0].gross_weight"),
        ("DERIVED", "certificate.goods_items[0].quantity.unit_code"),
        ("DROPPED", "certificate.goods_items[0].fob_value.currency_code"),
        ("DEGRADED", "certificate.goods_items[0].origin_criterion"),
        ("DROPPED", "certificate.parties.importer.address.city"),
        ("DEGRADED", "certificate.transport.mode_code"),
        ("DEGRADED", "certificate.declarations.exporter.date"),
        ("DEGRADED", "certificate.issue_datetime"),
        ("DEGRADED", "certificate.declarations.certification.datetime"),
        ("DROPPED", "certificate.version"),
        ("DROPPED", "certificate.status"),
        ("DROPPED", "certificate.parties.producer_statement"),
        ("DROPPED", "certificate.parties.certifying_official"),
        ("DROPPED", "certificate.transport.departure_datetime"),
        ("DROPPED", "certificate.transport.discharge_location"),
        ("DROPPED", "certificate.transport.loading_location.locode"),
        ("DROPPED", "certificate.transport.discharge_location.locode"),
        ("DROPPED", "certificate.transport.discharge_location.name"),
        ("DROPPED", "certificate.goods_items[0].hs_edition"),
        ("DROPPED", "certificate.goods_items[0].origin_country"),
        ("DROPPED", "certificate.goods_items[0].packages"),
        ("DROPPED", "signatures.issuing_authority"),
    }


def test_structure_follows_the_sample(minimal_co: dict[str, Any]) -> None:
    root = etree.fromstring(_write(mercosur(minimal_co)).result)
    cod = root.find("{http://www.w3.org/2001/12/soap-envelope}CertOrigin/CODEH/CODExporter/COD")
    assert cod is not None and cod.get("id") == "COD"
    assert [c.tag for c in cod] == ["CODVer", "CODSubmitterType", "Agreement", "FormA18"]
    assert cod.findtext("Agreement/AgreementAcronym") == "A18"
    goods = cod.find("FormA18/GoodsList/Goods")
    assert goods is not None
    assert goods.findtext("GoodsItemMeasureUnit") == "UN"
    assert goods.findtext("GoodsItemOriginRules") == "B 60%"
    assert goods.findtext("GoodsItemCode") == "8482.10"
    codeh = root.find(".//CODEH")
    assert codeh is not None
    assert codeh.findtext("CertificationEH/CertificateDate") == "2025-03-03T22:15:00"
    assert root.find(".//{http://www.w3.org/2000/09/xmldsig#}Signature") is None


def test_round_trip_reads_dates_in_the_issuing_country(minimal_co: dict[str, Any]) -> None:
    back = _read(_write(mercosur(minimal_co)).result)
    cert = back.result.certificate
    assert cert.issue_datetime is not None
    assert cert.issue_datetime.isoformat() == "2025-03-03T22:15:00-03:00"
    assert cert.goods_items[0].quantity is not None
    assert cert.goods_items[0].quantity.unit_code == "H87"
    assert cert.goods_items[0].fob_value is not None
    assert cert.goods_items[0].fob_value.currency_code == "USD"
    criterion = cert.goods_items[0].origin_criterion
    assert criterion is not None and criterion.code == "B"


def test_source_file_is_kept_as_source_document(minimal_co: dict[str, Any]) -> None:
    xml = _write(mercosur(minimal_co)).result
    attachment = _read(xml).result.certificate.attachments[0]  # type: ignore[index]
    assert attachment.purpose.value == "source_document"
    assert base64.b64decode(attachment.content_base64 or "") == xml
    assert attachment.sha256 == hashlib.sha256(xml).hexdigest()


def test_signatures_are_reported_as_not_verified(minimal_co: dict[str, Any]) -> None:
    xml = _write(mercosur(minimal_co)).result.decode()
    signature = (
        '<ds:Signature><ds:SignedInfo><ds:Reference URI="#COD"/></ds:SignedInfo>'
        "<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>"
    )
    xml = xml.replace("</COD>", "</COD>" + signature)
    back = _read(xml.encode())
    entry = next(e for e in back.loss if "ds:Signature" in e.path)
    assert entry.kind is LossKind.DEGRADED and entry.value == "#COD"
    assert "verification of ALADI signatures is not performed" in entry.detail
    assert back.result.signatures is None


def test_a_fob_value_in_another_currency_is_refused(minimal_co: dict[str, Any]) -> None:
    data = mercosur(minimal_co)
    data["certificate"]["goods_items"][0]["fob_value"]["currency_code"] = "BRL"
    with pytest.raises(ValidationFailed) as caught:
        _write(data)
    assert caught.value.findings[0].path.endswith("fob_value.currency_code")


def test_export_needs_an_aladi_profile(minimal_co: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError, match="ALADI acronym"):
        to_format(
            CODocument.model_validate(minimal_co),
            "aladi-cod",
            profile=bundled_profiles().get("RCEP"),
        )


def test_quantity_counts_are_checked(minimal_co: dict[str, Any]) -> None:
    xml = _write(mercosur(minimal_co)).result.replace(b"<GoodsQty>1<", b"<GoodsQty>2<")
    with pytest.raises(InputError, match="GoodsQty is 2"):
        _read(xml)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (b"<CODVer>1.8.0<", b"<CODVer>9.9<", "unknown CODVer"),
        (b"<CODSubmitterType>EXP<", b"<CODSubmitterType>FH<", "expected EXP"),
        (b"<AgreementAcronym>A18<", b"<AgreementAcronym>A99<", "ALADI acronym 'A99'"),
    ],
)
def test_header_values_are_checked(
    minimal_co: dict[str, Any], old: bytes, new: bytes, message: str
) -> None:
    xml = _write(mercosur(minimal_co)).result.replace(old, new)
    with pytest.raises(InputError, match=message):
        _read(xml)


def test_transport_means_word_maps_to_a_mode(minimal_co: dict[str, Any]) -> None:
    xml = _write(mercosur(minimal_co)).result.replace(b">MARITIMO<", b">RODOVIARIA<")
    transport = _read(xml).result.certificate.transport
    assert transport is not None
    assert transport.mode_code is not None and transport.mode_code.value == "3"
    assert transport.mode_text == "RODOVIARIA"
