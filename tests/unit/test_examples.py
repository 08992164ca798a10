"""Every bundled example has the outcome ``examples/expected.json`` gives it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any

import pytest

from originlink.cli.demo_cmds import check_example, example_files, load_manifest
from originlink.domain.dataset import CODocument
from originlink.domain.findings import Level
from originlink.domain.profiles import bundled_profiles
from tests.conftest import EXAMPLES

MANIFEST = load_manifest(EXAMPLES)
DAY = MANIFEST.evaluation_date
assert DAY is not None
NOW = datetime.combine(DAY, time(12, 0), tzinfo=UTC)
VALID = sorted(n for n in MANIFEST.examples if n.startswith("valid/"))


def _json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text("utf-8"))
    return data


def test_every_example_file_is_listed_and_every_listed_file_exists() -> None:
    assert sorted(example_files(EXAMPLES)) == sorted(MANIFEST.examples)


def test_there_are_enough_examples() -> None:
    invalid = [n for n in MANIFEST.examples if n.startswith("invalid/")]
    assert len(VALID) >= 8 and len(invalid) >= 12


@pytest.mark.parametrize("name", sorted(MANIFEST.examples))
def test_example_has_its_expected_outcome(name: str) -> None:
    expected = MANIFEST.examples[name]
    outcome = check_example(EXAMPLES, name, expected, registry=bundled_profiles(), now=NOW, at=DAY)
    lines = [f.one_line() for f in outcome.report.findings] if outcome.report else outcome.error
    assert outcome.exit_code == expected.exit, lines
    assert not outcome.missing_codes, lines
    if name.startswith("invalid/ds-"):
        code = "DS-" + name.split("-")[1]
        assert outcome.report is not None
        assert code in {f.code for f in outcome.report.severe()}, lines


@pytest.mark.parametrize("name", VALID)
def test_valid_examples_are_clean(name: str) -> None:
    outcome = check_example(
        EXAMPLES, name, MANIFEST.examples[name], registry=bundled_profiles(), now=NOW, at=DAY
    )
    assert outcome.report is not None
    noisy = [f.one_line() for f in outcome.report.findings if f.level is not Level.INFO]
    assert noisy == []
    expired = [f for f in outcome.report.findings if f.code == "DS-11" and "valid_until" in f.facts]
    assert expired == []  # all still valid at the evaluation date


@pytest.mark.parametrize("name", VALID)
def test_valid_examples_round_trip_exactly(name: str) -> None:
    data = _json(name)
    assert CODocument.model_validate(data).to_json_dict() == data


def test_valid_examples_cover_every_agreement_and_the_special_cases() -> None:
    certificates = [_json(n)["certificate"] for n in VALID]
    agreements = {c["agreement"]["code"] for c in certificates if c["is_preferential"]}
    assert agreements == set(bundled_profiles().codes())
    flags = {name for c in certificates for name, on in c.get("flags", {}).items() if on is True}
    assert {
        "back_to_back",
        "third_party_invoicing",
        "certified_true_copy",
        "issued_retroactively",
    } <= flags
    assert any(not c["is_preferential"] for c in certificates)
    assert any(len(c["goods_items"]) >= 4 for c in certificates)
    assert any(
        item.get("origin_criterion", {}).get("code") == "RVC" and "fob_value" in item
        for c in certificates
        for item in c["goods_items"]
    )


def test_the_readme_lists_every_example() -> None:
    readme = (EXAMPLES / "README.md").read_text("utf-8")
    for name in MANIFEST.examples:
        assert f"]({name})" in readme, name
