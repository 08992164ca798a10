"""References, flags, attachments, extensions: DS-02 (invoices), DS-26, DS-28, DS-32, DS-34."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from originlink.domain.findings import Level
from tests.unit.validation_support import SRC, findings, make_profile, one, run

C = "certificate"


def _invoice(sequence: int, number: str) -> dict[str, Any]:
    return {"sequence": sequence, "number": number, "issue_date": "2025-03-03"}


def _true_copy(co: dict[str, Any], **ref: Any) -> None:
    c = co["certificate"]
    c["flags"] = {"certified_true_copy": True, "true_copy_issue_date": "2025-05-02"}
    c["references"]["related_certificates"] = [
        {
            "relation": "true_copy_of",
            "number": c["certificate_number"],
            "issue_date": "2025-03-04",
            "issuing_country": "SG",
            **ref,
        }
    ]


# --- DS-02 and DS-26 ---------------------------------------------------------------------------


def test_ds02_invoices_are_numbered_one_to_n(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["references"]["invoices"] = [_invoice(1, "A"), _invoice(1, "B")]
    minimal_co[C]["goods_items"][0]["invoice_sequences"] = [1]
    finding = one(run(minimal_co), "DS-02")
    assert finding.path == f"{C}.references.invoices[1].sequence"


def test_ds26_item_refers_to_a_missing_invoice(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["goods_items"][0]["invoice_sequences"] = [1, 2]
    finding = one(run(minimal_co), "DS-26", Level.SEVERE)
    assert finding.path == f"{C}.goods_items[0].invoice_sequences[1]"
    assert finding.facts["known"] == [1]


def test_ds26_invoice_no_item_refers_to_is_a_warning(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["references"]["invoices"].append(_invoice(2, "INV-2"))
    finding = one(run(minimal_co), "DS-26", Level.WARNING)
    assert finding.path == f"{C}.references.invoices[1]"


# --- DS-28: flags against the data -------------------------------------------------------------


def test_ds28_third_party_invoicing_needs_the_operator(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["flags"] = {"third_party_invoicing": True}
    assert one(run(minimal_co), "DS-28").path == f"{C}.parties.invoicing_operator"


def test_ds28_a_named_operator_needs_the_flag(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["parties"]["invoicing_operator"] = {
        "name": "Harbour Trading Ltd",
        "address": {"country_code": "HK"},
    }
    assert one(run(minimal_co), "DS-28").path == f"{C}.flags.third_party_invoicing"
    minimal_co[C]["flags"] = {"third_party_invoicing": True}
    assert not findings(run(minimal_co), "DS-28")


def test_ds28_back_to_back_names_the_first_co(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["flags"] = {"back_to_back": True}
    assert one(run(minimal_co), "DS-28").path == f"{C}.references.related_certificates"
    minimal_co[C]["references"]["related_certificates"] = [
        {
            "relation": "back_to_back_of",
            "number": "E256100012345",
            "issue_date": "2025-02-20",
            "issuing_country": "TH",
        }
    ]
    assert not findings(run(minimal_co), "DS-28")


def test_ds28_a_valid_certified_true_copy(minimal_co: dict[str, Any]) -> None:
    _true_copy(minimal_co)
    assert not findings(run(minimal_co), "DS-28")


def test_ds28_true_copy_without_the_reference(minimal_co: dict[str, Any]) -> None:
    _true_copy(minimal_co)
    del minimal_co[C]["references"]["related_certificates"]
    assert one(run(minimal_co), "DS-28").path == f"{C}.references.related_certificates"


@pytest.mark.parametrize(
    ("ref", "path"),
    [
        ({"number": "RCEP-SG-2025-000124"}, f"{C}.certificate_number"),
        ({"issue_date": "2025-03-05"}, f"{C}.issue_datetime"),
    ],
)
def test_ds28_true_copy_keeps_the_original_number_and_date(
    minimal_co: dict[str, Any], ref: dict[str, str], path: str
) -> None:
    _true_copy(minimal_co, **ref)
    assert one(run(minimal_co), "DS-28").path == path


def test_ds28_true_copy_gives_the_copy_date(minimal_co: dict[str, Any]) -> None:
    _true_copy(minimal_co)
    del minimal_co[C]["flags"]["true_copy_issue_date"]
    assert one(run(minimal_co), "DS-28").path == f"{C}.flags.true_copy_issue_date"


def test_ds28_copy_date_without_the_flag(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["flags"] = {"true_copy_issue_date": "2025-05-02"}
    assert one(run(minimal_co), "DS-28").path == f"{C}.flags.true_copy_issue_date"


# --- DS-28: flags against the agreement profile ------------------------------------------------


def test_ds28_a_flag_the_agreement_does_not_allow(minimal_co: dict[str, Any]) -> None:
    profile = make_profile()
    flags = dict(profile.rules.flags)
    data = {name: rule.model_dump() for name, rule in flags.items()}
    data["exhibition"] = {**SRC, "allowed": False}
    minimal_co[C]["flags"] = {"exhibition": True}
    finding = one(run(minimal_co, profile=make_profile(rules={"flags": data})), "DS-28")
    assert (finding.level, finding.path) == (Level.SEVERE, f"{C}.flags.exhibition")
    assert finding.area == "agreement"


def test_ds28_a_flag_the_profile_leaves_unset_is_skipped_with_the_reason(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["flags"] = {"exhibition": True}
    profile = make_profile(unset={"flags.exhibition": "not found in Section B"})
    finding = one(run(minimal_co, profile=profile), "DS-28")
    assert finding.level is Level.INFO
    assert "leaves 'flags.exhibition' unset (not found in Section B)" in finding.message
    assert finding.facts["reason"] == "not found in Section B"


def test_ds28_true_copy_made_after_the_window(minimal_co: dict[str, Any]) -> None:
    _true_copy(minimal_co)
    minimal_co[C]["flags"]["true_copy_issue_date"] = "2026-03-05"  # original 2025-03-04 + 1 year
    finding = one(run(minimal_co), "DS-28")
    assert finding.path == f"{C}.flags.true_copy_issue_date"
    assert finding.facts["latest"] == "2026-03-04"
    minimal_co[C]["flags"]["true_copy_issue_date"] = "2026-03-04"
    assert not findings(run(minimal_co), "DS-28")


def test_ds28_true_copy_dated_before_the_original(minimal_co: dict[str, Any]) -> None:
    _true_copy(minimal_co)
    minimal_co[C]["flags"]["true_copy_issue_date"] = "2025-03-01"
    assert "before the original" in one(run(minimal_co), "DS-28").message


def test_ds28_true_copies_the_agreement_does_not_provide_for(minimal_co: dict[str, Any]) -> None:
    _true_copy(minimal_co)
    profile = make_profile(rules={"true_copy": {**SRC, "allowed": False}})
    finding = one(run(minimal_co, profile=profile), "DS-28")
    assert finding.path == f"{C}.flags.certified_true_copy"


@pytest.mark.parametrize(
    ("unset", "rules"),
    [
        ({"true_copy": "not found"}, None),
        ({"true_copy.window": "period not found"}, {"true_copy": {**SRC, "allowed": True}}),
    ],
)
def test_ds28_true_copy_window_unset_is_skipped(
    minimal_co: dict[str, Any], unset: dict[str, str], rules: dict[str, Any] | None
) -> None:
    _true_copy(minimal_co)
    minimal_co[C]["flags"]["true_copy_issue_date"] = "2030-01-01"
    finding = one(run(minimal_co, profile=make_profile(unset=unset, rules=rules)), "DS-28")
    assert finding.level is Level.INFO
    assert finding.facts["unset_rule"] == next(iter(unset))


def test_ds28_profile_flags_do_not_apply_to_a_non_preferential_co(
    minimal_co: dict[str, Any],
) -> None:
    c = minimal_co[C]
    c["is_preferential"] = False
    del c["agreement"]
    del c["goods_items"][0]["origin_criterion"]
    c["flags"] = {"exhibition": True}
    profile = make_profile(unset={"flags.exhibition": "not found"})
    assert not findings(run(minimal_co, profile=profile), "DS-28")


# --- DS-32 -------------------------------------------------------------------------------------


def _attachment(content: bytes = b"%PDF-1.7 test", **changes: Any) -> dict[str, Any]:
    return {
        "attachment_id": "A1",
        "purpose": "rendered_certificate",
        "mime_type": "application/pdf",
        "content_base64": base64.b64encode(content).decode(),
        "size_bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        **changes,
    }


def test_ds32_a_correct_attachment_passes(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["attachments"] = [_attachment()]
    assert not findings(run(minimal_co), "DS-32")


@pytest.mark.parametrize(
    ("changes", "path_end", "words"),
    [
        ({"sha256": "0" * 64}, "sha256", "does not match"),
        ({"content_base64": "QUJD", "size_bytes": 3}, "sha256", "does not match"),
        ({"size_bytes": 3}, "size_bytes", "not the content's size"),
        ({"mime_type": "pdf/application"}, "mime_type", "not a registered media type"),
        ({"content_base64": "QUJ"}, "content_base64", "not valid base64"),
    ],
)
def test_ds32_attachment_content_is_checked(
    minimal_co: dict[str, Any], changes: dict[str, Any], path_end: str, words: str
) -> None:
    minimal_co[C]["attachments"] = [_attachment(**changes)]
    finding = one(run(minimal_co), "DS-32", Level.SEVERE)
    assert finding.path == f"{C}.attachments[0].{path_end}"
    assert words in finding.message


def test_ds32_content_or_uri(minimal_co: dict[str, Any]) -> None:
    attachment = _attachment()
    del attachment["content_base64"]
    minimal_co[C]["attachments"] = [attachment]
    assert one(run(minimal_co), "DS-32").path == f"{C}.attachments[0]"
    attachment["uri"] = "https://docs.example.sg/co/123.pdf"
    assert not findings(run(minimal_co), "DS-32")


def test_ds32_size_bound_from_the_context(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["attachments"] = [_attachment(b"x" * 2000)]
    report = run(minimal_co, max_attachment_bytes=1000)
    assert {f.path for f in findings(report, "DS-32")} == {
        f"{C}.attachments[0].size_bytes",
        f"{C}.attachments[0].content_base64",
    }
    assert not findings(run(minimal_co, max_attachment_bytes=2000), "DS-32")


def test_ds32_oversized_content_is_refused_before_decoding(minimal_co: dict[str, Any]) -> None:
    attachment = _attachment(b"y" * 4000)
    del attachment["size_bytes"]
    minimal_co[C]["attachments"] = [attachment]
    finding = one(run(minimal_co, max_attachment_bytes=100), "DS-32")
    assert finding.path == f"{C}.attachments[0].content_base64"


def test_ds32_attachment_ids_are_unique(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["attachments"] = [_attachment(), _attachment()]
    assert one(run(minimal_co), "DS-32").path == f"{C}.attachments[1].attachment_id"


# --- DS-34 extension keys ----------------------------------------------------------------------


def test_ds34_extensions_are_keyed_by_a_known_agreement(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["extensions"] = {"RCEP": {"origin_marker": "*"}, "NAFTA": {"x": 1}}
    finding = one(run(minimal_co), "DS-34", Level.WARNING)
    assert finding.path == f"{C}.extensions.NAFTA"
