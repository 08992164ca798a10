"""The profile loader refuses bad files with a message naming the file and the field."""

from __future__ import annotations

from datetime import date

import pytest

from originlink.domain import profiles as profiles_module
from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import (
    PROFILE_FLAGS,
    RULE_NAMES,
    AgreementProfile,
    ProfileRegistry,
    bundled_profiles,
    parse_profile,
)

ORIGIN = "test-fta.toml"


def minimal_toml(*, extra: str = "", head: str = "", unset_skip: tuple[str, ...] = ()) -> str:
    """A valid profile with every rule unset, plus ``head`` (top-level keys) and ``extra``
    (tables, written before ``[unset]``)."""
    unset_keys = [*RULE_NAMES, *(f"flags.{f}" for f in PROFILE_FLAGS)]
    unset = "\n".join(
        f'"{key}" = "not found (test)"' for key in unset_keys if key not in unset_skip
    )
    return f"""
code = "TEST-FTA"
name = "Test agreement"
form_name = "Form T"
form_codes = ["FORM_T"]
{head}

[legal_basis]
text = "Test treaty"
source = "Art 1"

[parties]
countries = ["SG", "JP"]
source = "Art 2"

{extra}

[unset]
{unset}
"""


def refusal(text: str) -> str:
    with pytest.raises(ConfigurationError) as info:
        parse_profile(text, origin=ORIGIN)
    message = info.value.detail
    assert message.startswith(f"{ORIGIN}: ")
    return message


def test_minimal_profile_parses() -> None:
    profile = parse_profile(minimal_toml(), origin=ORIGIN)
    assert profile.code == "TEST-FTA"
    assert profile.rules.fob is None and profile.unset_reason("fob") == "not found (test)"
    assert profile.flag_allowed("exhibition") is None


def test_bad_toml_is_refused_naming_the_file() -> None:
    message = refusal(minimal_toml() + "\nthis is = = not toml\n")
    assert "not valid TOML" in message


def test_unknown_key_is_refused_naming_the_field() -> None:
    message = refusal(minimal_toml(head='colour = "blue"'))
    assert "colour" in message and "Extra inputs" in message


def test_unknown_key_inside_a_rule_names_its_path() -> None:
    extra = '[rules.item_cap]\nmax_items = 20\nsource = "Box 6"\nmaximum = 3\n'
    message = refusal(minimal_toml(extra=extra, unset_skip=("item_cap",)))
    assert "rules.item_cap.maximum" in message


def test_rule_neither_set_nor_unset_is_refused() -> None:
    message = refusal(minimal_toml(unset_skip=("fob",)))
    assert "missing: fob" in message


def test_flag_neither_set_nor_unset_is_refused() -> None:
    message = refusal(minimal_toml(unset_skip=("flags.exhibition",)))
    assert "flags.exhibition" in message and "missing" in message


def test_rule_both_set_and_unset_is_refused() -> None:
    extra = '[rules.item_cap]\nmax_items = 20\nsource = "Box 6"\n'
    message = refusal(minimal_toml(extra=extra))
    assert "'item_cap' is both set and declared unset" in message


def test_flag_both_set_and_unset_is_refused() -> None:
    extra = '[rules.flags.exhibition]\nallowed = true\nsource = "Box 13"\n'
    message = refusal(minimal_toml(extra=extra))
    assert "'flags.exhibition' is both set and declared unset" in message


def test_unknown_flag_and_unknown_unset_key_are_refused() -> None:
    extra = '[rules.flags.teleport]\nallowed = true\nsource = "Box 99"\n'
    assert "unknown flags" in refusal(minimal_toml(extra=extra))
    bad_unset = minimal_toml().replace("[unset]\n", '[unset]\n"warp" = "no"\n')
    assert "unknown rule 'warp'" in refusal(bad_unset)


def test_unset_rule_field_must_name_an_empty_field_of_a_set_rule() -> None:
    extra = (
        '[rules.retroactive]\nallowed = true\nceiling = { amount = 1, unit = "years" }\n'
        'source = "Art 3"\n'
    )
    base = minimal_toml(extra=extra, unset_skip=("retroactive",))
    ok = base.replace("[unset]\n", '[unset]\n"retroactive.marking" = "not found"\n')
    assert parse_profile(ok, origin=ORIGIN).unset_reason("retroactive.marking") == "not found"
    both = base.replace("[unset]\n", '[unset]\n"retroactive.ceiling" = "not found"\n')
    assert "'retroactive.ceiling' is both set and declared unset" in refusal(both)
    no_field = base.replace("[unset]\n", '[unset]\n"retroactive.colour" = "x"\n')
    assert "no optional field 'colour'" in refusal(no_field)


def test_empty_unset_reason_is_refused() -> None:
    text = minimal_toml().replace('"fob" = "not found (test)"', '"fob" = "  "')
    assert "'fob' gives no reason" in refusal(text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{agreement} {country}", "not 1-35 letters"),
        ("{agreement}-{country}-{year}-{sequence:030d}", "not 1-35 letters"),
        ("{agreement}_{sequence}", "not 1-35 letters"),
        ("{agreement}-{serial}", "not usable"),
        ("{0}-{country}", "not usable"),
        ("{sequence:%}", "not 1-35 letters"),
    ],
)
def test_bad_certificate_number_pattern_is_refused(pattern: str, expected: str) -> None:
    message = refusal(minimal_toml(head=f'certificate_number_pattern = "{pattern}"'))
    assert "certificate_number_pattern" in message and expected in message


def test_timezone_must_be_iana_and_for_a_party() -> None:
    assert "IANA" in refusal(minimal_toml(extra='[timezones]\nSG = "Mars/Olympus"\n'))
    assert "not a party" in refusal(minimal_toml(extra='[timezones]\nBR = "America/Sao_Paulo"\n'))
    ok = parse_profile(minimal_toml(extra='[timezones]\nSG = "Asia/Singapore"\n'), origin=ORIGIN)
    zone = ok.timezone("SG")
    assert zone is not None and zone.key == "Asia/Singapore" and ok.timezone("JP") is None


def test_fob_currency_and_notes_are_checked() -> None:
    assert "ISO 4217" in refusal(minimal_toml(head='fob_currency = "XYZ"'))
    assert "may only comment" in refusal(minimal_toml(extra='[notes]\ncode = "x"\n'))
    assert "which is not set" in refusal(minimal_toml(extra='[notes]\nfob_currency = "x"\n'))


def test_parties_must_be_assigned_codes_or_user_assigned() -> None:
    text = minimal_toml().replace('["SG", "JP"]', '["SG", "ZY"]')
    assert "'ZY' is not an assigned" in refusal(text)
    kosovo = minimal_toml().replace('["SG", "JP"]', '["AL", "XK"]')
    assert parse_profile(kosovo, origin=ORIGIN).is_party("XK")
    lower = minimal_toml().replace('["SG", "JP"]', '["sg", "JP"]')
    assert "not an ISO 3166-1 alpha-2" in refusal(lower)


def test_registry_require_unknown_code_lists_the_known_ones() -> None:
    registry = ProfileRegistry({"TEST-FTA": parse_profile(minimal_toml(), origin=ORIGIN)})
    assert registry.get("NOPE") is None
    with pytest.raises(ConfigurationError) as info:
        registry.require("NOPE")
    assert "unknown agreement 'NOPE'" in info.value.detail
    assert "known agreements: TEST-FTA" in info.value.detail
    assert info.value.exit_code == 2


def test_bundled_profiles_refuse_a_code_defined_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    text = minimal_toml()
    monkeypatch.setattr(profiles_module, "agreement_files", lambda: [("a.toml", text)] * 2)
    bundled_profiles.cache_clear()
    try:
        with pytest.raises(
            ConfigurationError, match=r"a\.toml: agreement TEST-FTA is defined twice"
        ):
            bundled_profiles()
    finally:
        monkeypatch.undo()
        bundled_profiles.cache_clear()
    assert "RCEP" in bundled_profiles().codes()


def with_validity(runs_from: str, retro: str | None) -> AgreementProfile:
    retro_line = f'retroactive_runs_from = "{retro}"\n' if retro else ""
    extra = (
        '[rules.validity]\nperiod = { amount = 12, unit = "months" }\n'
        f'runs_from = "{runs_from}"\n{retro_line}source = "Art 4"\n'
    )
    return parse_profile(minimal_toml(extra=extra, unset_skip=("validity",)), origin=ORIGIN)


def test_validity_end_from_issue_or_shipment_with_retroactive_override() -> None:
    issued, shipped = date(2025, 3, 20), date(2025, 1, 31)
    from_issue = with_validity("issue", "shipment")
    assert from_issue.validity_end(issued=issued, shipped=shipped, retroactive=False) == date(
        2026, 3, 20
    )
    assert from_issue.validity_end(issued=issued, shipped=shipped, retroactive=True) == date(
        2026, 1, 31
    )
    from_shipment = with_validity("shipment", None)
    assert from_shipment.validity_end(issued=issued, shipped=shipped, retroactive=True) == date(
        2026, 1, 31
    )
    # Shipment unknown: the issue date is the start.
    assert from_shipment.validity_end(issued=issued, shipped=None, retroactive=False) == date(
        2026, 3, 20
    )


def test_validity_end_is_none_when_validity_is_unset() -> None:
    profile = parse_profile(minimal_toml(), origin=ORIGIN)
    assert profile.validity_end(issued=date(2025, 1, 1), shipped=None, retroactive=False) is None
