"""The validation run as a whole: DS-00 lowering, ordering, the report, validate_model."""

from __future__ import annotations

import json
from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.findings import Level
from originlink.domain.validation import ValidationContext, lossy_entry, validate_model
from originlink.domain.validation.rules import ALL_RULES
from tests.unit.validation_support import NOW, findings, make_profile, one, registry, run

C = "certificate"


def test_ds00_findings_the_source_cannot_carry_become_warnings(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["goods_items"][0]["packages"]["type_code"] = "Q9"
    del minimal_co[C]["goods_items"][0]["fob_value"]
    report = run(
        minimal_co,
        source_format="aladi-cod",
        lossy_paths=frozenset({"certificate.goods_items[].packages"}),
    )
    lowered = one(report, "DS-27")
    assert lowered.level is Level.WARNING
    assert lowered.facts["lowered_by"] == "DS-00"
    assert lowered.facts["loss_report_path"] == "certificate.goods_items[].packages"
    assert "aladi-cod format cannot carry" in lowered.message
    assert one(report, "DS-21").level is Level.SEVERE  # not a lossy path: stays SEVERE


def test_ds00_matches_exact_paths_and_parents_only() -> None:
    lossy = frozenset({"certificate.flags", "certificate.goods_items[0].hs_code"})
    assert lossy_entry("certificate.flags.back_to_back", lossy) == "certificate.flags"
    assert lossy_entry("certificate.goods_items[0].hs_code", lossy) is not None
    assert lossy_entry("certificate.goods_items[1].hs_code", lossy) is None
    assert lossy_entry("certificate.flagsx", lossy) is None


def test_ds00_leaves_warnings_and_infos_alone(minimal_co: dict[str, Any]) -> None:
    report = run(minimal_co, lossy_paths=frozenset({"certificate"}))
    assert one(report, "DS-07").level is Level.INFO
    assert "lowered_by" not in one(report, "DS-07").facts


def test_findings_are_sorted_most_serious_first(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["parties"]["exporter"]["address"]["country_code"] = "MY"  # WARNING
    minimal_co[C]["importing_country"] = "SG"  # SEVERE
    levels = [f.level for f in run(minimal_co).findings]
    order = {Level.SEVERE: 0, Level.WARNING: 1, Level.INFO: 2}
    assert levels == sorted(levels, key=order.__getitem__)
    assert levels[0] is Level.SEVERE


def test_report_as_dict_is_json(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["references"]["invoices"][0]["issue_date"] = "2025-03-05"
    out = run(minimal_co).as_dict()
    assert json.loads(json.dumps(out)) == out
    assert out["ok"] is True and out["agreement"] == "RCEP"
    assert out["counts"] == {"SEVERE": 0, "WARNING": 1, "INFO": 2}
    assert {"level", "path", "code", "message", "area"} <= set(out["findings"][0])


def test_unset_rule_info_names_the_rule_and_the_reason(minimal_co: dict[str, Any]) -> None:
    profile = make_profile(unset={"item_cap": "not limited (national cap 50 only)"})
    finding = one(run(minimal_co, profile=profile), "DS-03")
    assert finding.message == (
        "The number of items per CO was not checked: the RCEP agreement profile leaves "
        "'item_cap' unset (not limited (national cap 50 only))."
    )
    assert finding.area == "agreement"


def test_validate_model_runs_the_rule_pass_on_a_held_model(minimal_co: dict[str, Any]) -> None:
    minimal_co[C]["importing_country"] = "SG"
    doc = CODocument.model_validate(minimal_co)
    report = validate_model(doc, registry=registry(), context=ValidationContext(now=NOW))
    assert report.document is doc
    assert one(report, "DS-13").level is Level.SEVERE
    assert report.codes() == run(minimal_co).codes()


def test_every_rule_is_a_named_function_with_its_code() -> None:
    names = [rule.__name__ for rule in ALL_RULES]
    assert len(names) == len(set(names))
    assert all(name.startswith("ds") and name[2:4].isdigit() for name in names)


def test_a_co_under_an_unknown_agreement_gets_no_agreement_rules(
    minimal_co: dict[str, Any],
) -> None:
    minimal_co[C]["agreement"]["code"] = "TPP"
    minimal_co[C]["importing_country"] = "US"
    report = run(minimal_co)
    assert report.agreement is None
    assert not findings(report, "DS-14")
    assert findings(report, "DS-29")
