"""``originlink agreements``: list, show, --json, unknown code."""

from __future__ import annotations

import json
from typing import Any

import pytest

from originlink.cli.main import run
from originlink.domain.profiles import PROFILE_FLAGS, RULE_NAMES

ALL_CODES = ["ACFTA", "AKFTA", "ATIGA", "CHAFTA", "CKFTA", "MERCOSUR", "RCEP", "UK-AL"]


def invoke(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        run(list(argv))
    captured = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


def invoke_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = invoke(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def test_bare_group_lists_every_profile(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "agreements")
    assert code == 0
    for agreement in ALL_CODES:
        assert agreement in out
    assert "FORM_RCEP" in out and "unset" in out


def test_list_json_gives_counts_caps_and_unset_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {row["code"]: row for row in invoke_json(capsys, "agreements", "--json")}
    assert list(rows) == ALL_CODES
    assert rows["RCEP"]["parties"] == 15 and rows["MERCOSUR"]["parties"] == 4
    assert rows["CHAFTA"]["item_cap"] == 20 and rows["CKFTA"]["item_cap"] == 20
    assert "50" in rows["RCEP"]["item_cap"]["unset"]
    assert rows["UK-AL"]["validity"] == "4 months from issue"
    assert rows["CHAFTA"]["validity"] == "12 months from issue (shipment if retroactive)"
    assert rows["AKFTA"]["issuance_window"] == "3 working days after shipment"
    assert rows["ATIGA"]["issuance_window"] == "at shipment"
    assert rows["UK-AL"]["retroactive_ceiling"] == "none"
    assert "unset" in rows["ACFTA"]["validity"]


def test_show_prints_every_rule_with_source_or_unset_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = invoke(capsys, "agreements", "show", "CKFTA")
    assert code == 0
    assert out.startswith("CKFTA — China-Korea Free Trade Agreement")
    for name in RULE_NAMES:
        assert f"  {name}:" in out, name
    for flag in PROFILE_FLAGS:
        assert f"  {flag}:" in out, flag
    assert "    window: 7 working days" in out
    assert "    source: CKFTA-WTI Art 3.15.3" in out
    assert "  criteria: unset — origin criterion codes not found" in out
    assert "    window: unset — no window for issuing the certified copy" in out
    assert "    max_items: 20" in out


def test_show_lists_criteria_with_their_marks(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = invoke(capsys, "agreements", "show", "ATIGA")
    assert "    code PC: Partial cumulation" in out
    assert "[value-based, percentage required]" in out
    assert "    importing_countries: KH, ID, LA" in out


def test_show_json_has_every_rule_and_flag(capsys: pytest.CaptureFixture[str]) -> None:
    data = invoke_json(capsys, "agreements", "show", "UK-AL", "--json")
    assert data["code"] == "UK-AL"
    assert set(data["rules"]) == set(RULE_NAMES) and set(data["flags"]) == set(PROFILE_FLAGS)
    assert data["rules"]["validity"]["period"] == {"amount": 4, "unit": "months"}
    assert data["rules"]["validity"]["source"] == "UK-AL Art 24"
    assert data["rules"]["retroactive"]["ceiling"] == "none"
    assert data["rules"]["fob"] == {"unset": data["rules"]["fob"]["unset"]}
    assert "not found" in data["rules"]["fob"]["unset"]
    assert "Art 20" in data["flags"]["back_to_back"]["unset"]
    assert data["rules"]["true_copy"]["marking"] == "DUPLICATE"
    assert "Art 19" in data["rules"]["true_copy"]["unset_fields"]["window"]
    assert "unset" not in data


def test_show_json_for_mercosur_keeps_aladi_fields_and_notes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = invoke_json(capsys, "agreements", "show", "MERCOSUR", "--json")
    assert data["aladi_acronym"] == "A18" and data["fob_currency"] == "USD"
    assert data["timezones"]["UY"] == "America/Montevideo"
    assert "confirmed" in data["notes"]["fob_currency"]
    assert data["rules"]["issuance"]["anchor"] == "invoice"
    assert all("unset" in data["flags"][flag] for flag in PROFILE_FLAGS)


def test_unknown_code_exits_2_with_one_line_listing_known_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = invoke(capsys, "agreements", "show", "NAFTA")
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "unknown agreement 'NAFTA'" in lines[0]
    assert "known agreements: " + ", ".join(ALL_CODES) in lines[0]
