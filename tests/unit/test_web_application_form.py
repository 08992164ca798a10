"""web/application_form.py: the exporter's form shows a draft's content, lays its fields over
the content without losing what it does not show, removes emptied members and groups, and puts
each finding next to the field it concerns."""

from __future__ import annotations

import copy

from originlink.web.application_form import (
    ITEM_NAMES,
    apply_form,
    form_of,
    get_path,
    place_findings,
    read_form,
    set_path,
)
from tests.node_support import application_content


def test_the_form_of_a_content_gives_back_the_same_content() -> None:
    content = application_content()
    form = form_of(content)
    assert form.values["exporter_name"] == "Example Precision Pte Ltd"
    assert form.items[0]["hs_code"] == "848210" and form.items[0]["criterion"] == "RVC"
    assert apply_form(content, form, form_code="FORM_RCEP") == content


def test_members_the_form_does_not_show_are_kept() -> None:
    content = application_content()
    content["certificate"]["transport"]["means_name"] = "MV Example"
    content["certificate"]["goods_items"][0]["net_weight"] = {"value": "300", "unit_code": "KGM"}
    form = form_of(content)
    form.values["importer_city"] = "Kobe"
    out = apply_form(content, form, form_code="FORM_RCEP")
    assert out["certificate"]["transport"]["means_name"] == "MV Example"
    assert out["certificate"]["goods_items"][0]["net_weight"]["value"] == "300"
    assert out["certificate"]["parties"]["importer"]["address"]["city"] == "Kobe"


def test_an_emptied_field_or_measure_is_removed_and_rows_come_and_go() -> None:
    content = application_content()
    form = form_of(content)
    form.values["importer_city"] = ""
    form.items[0]["gross_weight"] = ""
    form.items.append(dict.fromkeys(ITEM_NAMES, ""))
    form.items[1].update(description="Rollers", hs_code="848250 — Bearings; other cylindrical")
    out = apply_form(content, form, form_code="FORM_RCEP")
    assert "city" not in out["certificate"]["parties"]["importer"]["address"]
    first, second = out["certificate"]["goods_items"]
    assert "gross_weight" not in first
    assert second == {
        "sequence_number": 2,
        "description": "Rollers",
        "hs_code": "848250",
        "hs_edition": "HS2022",
        "invoice_sequences": [1],
    }
    form.items = form.items[1:]
    out = apply_form(content, form, form_code="FORM_RCEP")
    assert [i["description"] for i in out["certificate"]["goods_items"]] == ["Rollers"]


def test_a_new_form_fills_the_agreements_form_code_and_typed_values() -> None:
    posted = {
        "agreement": "RCEP",
        "exporter_name": " Acme ",
        "invoice_number": "INV-1",
        "items-0-description": "Bearings",
        "items-0-package_count": "12",
        "items-0-package_type": "CT",
        "items-1-description": "Other",
        "items-x-description": "ignored",
        "items-0-nonsense": "ignored",
    }
    form = read_form(posted)
    out = apply_form({}, form, form_code="FORM_RCEP")
    cert = out["certificate"]
    assert cert["form_code"] == "FORM_RCEP" and cert["is_preferential"] is True
    assert cert["parties"]["exporter"]["name"] == "Acme"
    assert cert["references"]["invoices"] == [{"number": "INV-1", "sequence": 1}]
    assert cert["goods_items"][0]["packages"] == {"count": 12, "type_code": "CT"}
    assert [i["sequence_number"] for i in cert["goods_items"]] == [1, 2]


def test_paths_are_set_and_removed_with_their_empty_containers() -> None:
    data: dict[str, object] = {}
    set_path(data, "a.b[0].c", "x")
    assert data == {"a": {"b": [{"c": "x"}]}} and get_path(data, "a.b[0].c") == "x"
    set_path(data, "a.b[0].c", None)
    assert data == {}
    assert get_path({"a": [1]}, "a[3]") is None


def test_findings_go_next_to_their_fields_and_the_rest_aside() -> None:
    form = form_of(application_content())
    findings = [
        {"path": "certificate.goods_items[0].quantity.unit_code", "level": "SEVERE"},
        {"path": "certificate.goods_items[0]", "level": "SEVERE"},
        {"path": "certificate.parties.importer", "level": "WARNING"},
        {"path": "certificate.transport.loading_location.locode", "level": "SEVERE"},
        {"path": "certificate.declarations", "level": "INFO"},
    ]
    placed = place_findings(copy.deepcopy(form), findings)
    assert [f["path"] for f in placed.findings_of("items-0-quantity_unit")] == [findings[0]["path"]]
    assert placed.findings_of("items-0-description") == [findings[1]]
    assert placed.findings_of("importer_name") == [findings[2]]
    assert placed.findings_of("loading_locode") == [findings[3]]
    assert placed.other == [findings[4]]


def test_a_back_to_back_form_names_the_original_certificate() -> None:
    form = read_form(
        {
            "agreement": "ATIGA",
            "original_number": "ATIGA-ID-2025-000001",
            "original_country": "ID",
            "original_date": "2025-02-01",
        }
    )
    out = apply_form({}, form, form_code="FORM_D")
    assert out["certificate"]["references"]["related_certificates"] == [
        {
            "relation": "back_to_back_of",
            "number": "ATIGA-ID-2025-000001",
            "issuing_country": "ID",
            "issue_date": "2025-02-01",
        }
    ]
    assert form_of(out).values["original_number"] == "ATIGA-ID-2025-000001"
