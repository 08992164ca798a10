"""Date rules: DS-08 (not in the future), DS-09 (order), DS-10 (issuance window, retroactive
issuance), DS-11 (validity at the evaluation date)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from originlink.domain.findings import Level
from tests.unit.validation_support import SRC, findings, make_profile, one, run

C = "certificate"


def _issue(co: dict[str, Any], moment: str, *, retro: bool = False) -> None:
    c = co[C]
    c["issue_datetime"] = moment
    c["declarations"]["certification"]["datetime"] = moment
    if retro:
        c["flags"] = {"issued_retroactively": True}


# --- DS-08 -------------------------------------------------------------------------------------


def test_ds08_issue_date_in_the_future(minimal_co: dict[str, Any]) -> None:
    now = datetime(2025, 3, 4, 0, 0, tzinfo=UTC)  # the CO says 01:15 UTC
    report = run(minimal_co, now=now)
    paths = {f.path for f in findings(report, "DS-08")}
    assert paths == {f"{C}.issue_datetime", f"{C}.declarations.certification.datetime"}
    assert findings(report, "DS-08")[0].facts["clock_skew_seconds"] == 300


def test_ds08_allows_the_configured_clock_skew(minimal_co: dict[str, Any]) -> None:
    now = datetime(2025, 3, 4, 1, 11, tzinfo=UTC)  # four minutes before issue
    assert not findings(run(minimal_co, now=now), "DS-08")
    assert findings(run(minimal_co, now=now, clock_skew=timedelta(minutes=1)), "DS-08")


def test_ds08_a_date_only_value_is_future_only_past_today_at_utc_plus_14(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["flags"] = {"certified_true_copy": True, "true_copy_issue_date": "2025-05-02"}
    # 2025-05-01 11:00 UTC is already 2025-05-02 at UTC+14
    assert not findings(run(minimal_co, now=datetime(2025, 5, 1, 11, tzinfo=UTC)), "DS-08")
    finding = one(run(minimal_co, now=datetime(2025, 5, 1, 9, tzinfo=UTC)), "DS-08")
    assert finding.path == f"{C}.flags.true_copy_issue_date"


# --- DS-09 -------------------------------------------------------------------------------------


def test_ds09_the_exporter_declares_before_the_authority_certifies(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["declarations"]["exporter"]["date"] = "2025-03-04T09:16:00+08:00"
    finding = one(run(minimal_co), "DS-09", Level.SEVERE)
    assert finding.path == f"{C}.declarations.exporter.date"


def test_ds09_validity_end_after_issue(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["validity_end_date"] = "2025-03-04"
    assert one(run(minimal_co), "DS-09", Level.SEVERE).path == f"{C}.validity_end_date"


def test_ds09_invoice_and_origin_declaration_dates_after_issue_are_warnings(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["references"]["invoices"][0]["issue_date"] = "2025-03-05"
    minimal_co[C]["goods_items"][0]["origin_declaration"] = {"number": "DJ-1", "date": "2025-03-06"}
    found = findings(run(minimal_co), "DS-09")
    assert {(f.level, f.path) for f in found} == {
        (Level.WARNING, f"{C}.references.invoices[0].issue_date"),
        (Level.WARNING, f"{C}.goods_items[0].origin_declaration.date"),
    }


# --- DS-10 -------------------------------------------------------------------------------------


def test_ds10_issued_inside_the_window(minimal_co: dict[str, Any]) -> None:
    _issue(minimal_co, "2025-03-08T16:00:00+08:00")  # shipment 2025-03-05 + 3 days
    assert not findings(run(minimal_co), "DS-10")


def test_ds10_late_without_the_retroactive_flag(minimal_co: dict[str, Any]) -> None:
    _issue(minimal_co, "2025-03-10T10:00:00+08:00")
    finding = one(run(minimal_co), "DS-10", Level.SEVERE)
    assert finding.path == f"{C}.flags.issued_retroactively"
    assert '"ISSUED RETROACTIVELY"' in finding.message
    assert finding.facts["window_end"] == "2025-03-08"
    assert finding.facts["anchor_date"] == "2025-03-05"
    assert finding.facts["window"] == "3 days"


def test_ds10_late_with_the_flag_within_the_ceiling(minimal_co: dict[str, Any]) -> None:
    _issue(minimal_co, "2025-03-10T10:00:00+08:00", retro=True)
    assert not findings(run(minimal_co), "DS-10")


def test_ds10_retroactive_beyond_the_ceiling(minimal_co: dict[str, Any]) -> None:
    _issue(minimal_co, "2026-03-06T10:00:00+08:00", retro=True)
    finding = one(run(minimal_co), "DS-10", Level.SEVERE)
    assert finding.path == f"{C}.issue_datetime"
    assert finding.facts["retroactive_latest"] == "2026-03-05"


def test_ds10_flag_on_a_co_issued_in_time_is_a_warning(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["flags"] = {"issued_retroactively": True}
    assert one(run(minimal_co), "DS-10").level is Level.WARNING


def test_ds10_retroactive_issuance_the_agreement_does_not_provide_for(
    minimal_co: dict[str, Any],
) -> None:
    _issue(minimal_co, "2025-03-10T10:00:00+08:00", retro=True)
    profile = make_profile(rules={"retroactive": {**SRC, "allowed": False}})
    finding = one(run(minimal_co, profile=profile), "DS-10")
    assert "does not provide for retroactive issuance" in finding.message


def test_ds10_no_maximum_when_the_agreement_states_none(minimal_co: dict[str, Any]) -> None:
    _issue(minimal_co, "2026-05-06T10:00:00+08:00", retro=True)
    profile = make_profile(rules={"retroactive": {**SRC, "allowed": True, "ceiling": "none"}})
    assert not findings(run(minimal_co, profile=profile), "DS-10")


@pytest.mark.parametrize(
    ("unset", "rules", "rule"),
    [
        ({"issuance": "no grace period in the text"}, None, "issuance"),
        ({"retroactive": "not found"}, None, "retroactive"),
        (
            {"retroactive.ceiling": "maximum window not found"},
            {"retroactive": {**SRC, "allowed": True}},
            "retroactive.ceiling",
        ),
    ],
)
def test_ds10_unset_profile_rules_are_skipped_with_their_reason(
    minimal_co: dict[str, Any], unset: dict[str, str], rules: dict[str, Any] | None, rule: str
) -> None:
    _issue(minimal_co, "2026-05-06T10:00:00+08:00", retro=True)
    report = run(minimal_co, profile=make_profile(unset=unset, rules=rules))
    finding = one(report, "DS-10", Level.INFO)
    assert finding.facts["unset_rule"] == rule
    assert unset[rule] in finding.message
    assert report.ok


def test_ds10_without_a_departure_date(minimal_co: dict[str, Any]) -> None:
    del minimal_co[C]["transport"]["departure_datetime"]
    finding = one(run(minimal_co), "DS-10", Level.INFO)
    assert "no departure date" in finding.message


def test_ds10_window_in_working_days(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["transport"]["departure_datetime"] = "2025-03-07T18:00:00+08:00"  # a Friday
    issuance = {**SRC, "window": {"amount": 3, "unit": "working_days"}, "anchor": "shipment"}
    profile = make_profile(rules={"issuance": issuance})
    _issue(minimal_co, "2025-03-12T09:00:00+08:00")  # Wednesday: third working day
    assert not findings(run(minimal_co, profile=profile), "DS-10")
    _issue(minimal_co, "2025-03-13T09:00:00+08:00")
    assert one(run(minimal_co, profile=profile), "DS-10").facts["window_end"] == "2025-03-12"


def test_ds10_window_from_the_invoice_date(minimal_co: dict[str, Any]) -> None:
    issuance = {**SRC, "window": {"amount": 180, "unit": "days"}, "anchor": "invoice"}
    profile = make_profile(rules={"issuance": issuance})
    _issue(minimal_co, "2025-08-30T09:00:00-03:00")  # invoice 2025-03-03 + 180 days
    assert not findings(run(minimal_co, profile=profile), "DS-10")
    _issue(minimal_co, "2025-09-01T09:00:00-03:00")
    finding = one(run(minimal_co, profile=profile), "DS-10")
    assert finding.facts["anchor"] == "invoice"
    del minimal_co[C]["references"]["invoices"][0]["issue_date"]
    assert "no invoice date" in one(run(minimal_co, profile=profile), "DS-10").message


# --- DS-11 -------------------------------------------------------------------------------------


def test_ds11_past_validity_is_info_for_a_document(minimal_co: dict[str, Any]) -> None:
    finding = one(run(minimal_co, evaluation_date=date(2026, 3, 5)), "DS-11")
    assert finding.level is Level.INFO
    assert finding.facts["valid_until"] == "2026-03-04"
    assert not findings(run(minimal_co, evaluation_date=date(2026, 3, 4)), "DS-11")


def test_ds11_past_validity_is_severe_for_a_claim(minimal_co: dict[str, Any]) -> None:
    report = run(minimal_co, evaluation_date=date(2026, 3, 5), purpose="claim")
    assert one(report, "DS-11").level is Level.SEVERE
    assert not report.ok


def test_ds11_evaluation_date_defaults_to_today(minimal_co: dict[str, Any]) -> None:
    assert not findings(run(minimal_co, now=datetime(2026, 3, 4, 23, tzinfo=UTC)), "DS-11")
    assert findings(run(minimal_co, now=datetime(2026, 3, 5, 1, tzinfo=UTC)), "DS-11")


def test_ds11_retroactive_co_validity_runs_from_shipment(minimal_co: dict[str, Any]) -> None:
    validity = {
        **SRC,
        "period": {"amount": 12, "unit": "months"},
        "runs_from": "issue",
        "retroactive_runs_from": "shipment",
    }
    profile = make_profile(rules={"validity": validity})
    _issue(minimal_co, "2025-04-20T10:00:00+10:00", retro=True)
    finding = one(run(minimal_co, profile=profile, evaluation_date=date(2026, 4, 1)), "DS-11")
    assert finding.facts["valid_until"] == "2026-03-05"
    assert "from shipment" in finding.message
    minimal_co[C]["flags"] = {}
    report = run(minimal_co, profile=profile, evaluation_date=date(2026, 4, 1))
    assert not findings(report, "DS-11")


def test_ds11_the_earlier_of_the_stated_and_the_agreement_validity(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["validity_end_date"] = "2025-12-31"
    finding = one(run(minimal_co, evaluation_date=date(2026, 1, 2)), "DS-11")
    assert finding.facts["valid_until"] == "2025-12-31"
    assert "on the CO" in finding.message


def test_ds11_validity_unset_in_the_profile(minimal_co: dict[str, Any]) -> None:
    profile = make_profile(unset={"validity": "not found for the 2019 OCP"})
    finding = one(run(minimal_co, profile=profile), "DS-11")
    assert finding.level is Level.INFO and "not found for the 2019 OCP" in finding.message


def test_ds11_not_checked_before_issue(minimal_co: dict[str, Any]) -> None:
    c = minimal_co[C]
    c["status"] = "SUBMITTED"
    for key in ("certificate_number", "issue_datetime"):
        del c[key]
    del c["parties"]["certifying_official"]
    del c["declarations"]["certification"]
    del minimal_co["signatures"]
    assert not findings(run(minimal_co, purpose="application"), "DS-11")
