"""The pure claim rules (``domain.claims``): every reason code, facts, units, rounding, and the
declaration's input checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from originlink.domain.claims import (
    CoFacts,
    CoMissing,
    Decision,
    Guarantee,
    ItemFacts,
    Reason,
    co_checks,
    importer_matches,
    missing_outcome,
    normalise_name,
    plan_line,
)
from originlink.domain.declarations import Declaration, DeclarationLine, parse_input
from originlink.domain.errors import ValidationFailed

RCEP_GUARANTEE = Guarantee(True, "RCEP: RCEP-TXT Art 3.24.6")
ITEMS = {
    1: ItemFacts(1, "848210", "H87", 1_200_000_000, 700_000_000, None),
    2: ItemFacts(2, "721049", "KGM", 500_000_000, 500_000_000, None),
    3: ItemFacts(3, "721049", None, None, None, None),
}


def decl(**changes: Any) -> Declaration:
    data: dict[str, Any] = {
        "id": "D-1",
        "importer": {"name": "Example Trading KK"},
        "date": "2025-03-10",
        "agreement": "RCEP",
        "certificate": {"issuing_country": "SG", "number": "RCEP-SG-2025-000001"},
        "lines": [
            {
                "line_number": 1,
                "co_item": 1,
                "hs_code": "8482.10.00",
                "quantity": {"value": "100", "unit_code": "H87"},
                "customs_value": {"value": "1520.00", "currency_code": "USD"},
            }
        ],
    }
    data.update(changes)
    return Declaration.model_validate(data)


def co(**changes: Any) -> CoFacts:
    values: dict[str, Any] = {
        "record_id": "c-1",
        "status": "RECEIVED",
        "verification_status": None,
        "agreement": "RCEP",
        "importer_name": "Example Trading KK",
        "importer_identifiers": (),
        "validity_end_date": date(2026, 3, 4),
    }
    values.update(changes)
    return CoFacts(**values)


def line(item: int = 1, quantity: str = "100", unit: str = "H87", hs: str = "848210") -> Any:
    return DeclarationLine.model_validate(
        {
            "line_number": 1,
            "co_item": item,
            "hs_code": hs,
            "quantity": {"value": quantity, "unit_code": unit},
            "customs_value": {"value": "1", "currency_code": "USD"},
        }
    )


def plan(declaration: Declaration, facts: CoFacts, ln: Any, items: Any = None) -> Any:
    reasons, shared = co_checks(declaration, facts)
    return plan_line(
        ln,
        co_reasons=reasons,
        co_facts=shared,
        items=ITEMS if items is None else items,
        guarantee=RCEP_GUARANTEE,
    )


@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        ({"status": "CANCELLED"}, Reason.CO_CANCELLED),
        ({"status": "REPLACED", "replaced_by": "c-2"}, Reason.CO_REPLACED),
        ({"status": "EXPIRED"}, Reason.CO_EXPIRED),
        ({"validity_end_date": date(2025, 3, 9)}, Reason.CO_EXPIRED),
        ({"status": "REJECTED", "finding_codes": ("DS-18",)}, Reason.CO_REJECTED),
        ({"status": "REJECTED", "finding_codes": ("SIG_INTEGRITY",)}, Reason.SIGNATURE_INVALID),
        ({"agreement": "ATIGA"}, Reason.AGREEMENT_MISMATCH),
        ({"importer_name": "Other Importer Ltd"}, Reason.IMPORTER_MISMATCH),
    ],
)
def test_co_level_denials(facts: dict[str, Any], reason: Reason) -> None:
    result = plan(decl(), co(**facts), line())
    assert result.outcome is not None
    assert result.outcome.decision is Decision.DENIED
    assert reason in result.outcome.reason_codes


def test_validity_ends_on_its_last_day_inclusive() -> None:
    result = plan(decl(date="2025-03-10"), co(validity_end_date=date(2025, 3, 10)), line())
    assert result.outcome is None and result.draw_micros == 100_000_000
    assert result.facts["validity_end_date"] == "2025-03-10"


@pytest.mark.parametrize(
    ("ln", "items", "reason"),
    [
        (line(item=9), None, Reason.ITEM_NOT_ON_CO),
        (line(hs="848220"), None, Reason.HS_MISMATCH),
        (line(unit="KGM"), None, Reason.UNIT_NOT_CONVERTIBLE),
        (
            line(),
            {1: ItemFacts(1, "848210", "H87", 1, 1, "NOT_CONFIRMED")},
            Reason.ORIGIN_NOT_CONFIRMED,
        ),
        (
            line(),
            {1: ItemFacts(1, "848210", "H87", 1, 1, "PARTIALLY_CONFIRMED")},
            Reason.ORIGIN_NOT_CONFIRMED,
        ),
        (line(), {1: ItemFacts(1, "848210", "H87", 1, 1, "NO_REPLY")}, Reason.ORIGIN_NOT_CONFIRMED),
    ],
)
def test_line_level_denials(ln: Any, items: Any, reason: Reason) -> None:
    result = plan(decl(), co(), ln, items)
    assert result.outcome is not None and result.outcome.decision is Decision.DENIED
    assert result.outcome.reason_codes == (reason,)


def test_referrals_carry_release_under_guarantee_when_the_agreement_allows_it() -> None:
    under = {1: ItemFacts(1, "848210", "H87", 1, 1, "UNDER_VERIFICATION")}
    result = plan(decl(), co(), line(), under)
    assert result.outcome is not None and result.outcome.decision is Decision.REFERRED
    assert result.outcome.reason_codes == (
        Reason.CO_UNDER_VERIFICATION,
        Reason.RELEASE_UNDER_GUARANTEE,
    )
    no_quantity = plan(decl(), co(), line(item=3, hs="721049"))
    assert no_quantity.outcome is not None
    assert no_quantity.outcome.reason_codes[0] is Reason.QUANTITY_NOT_ON_CO
    reasons, shared = co_checks(decl(), co())
    refused = plan_line(
        line(),
        co_reasons=reasons,
        co_facts=shared,
        items=under,
        guarantee=Guarantee(None, "suspension and denial not found"),
    )
    assert refused.outcome is not None
    assert refused.outcome.reason_codes == (Reason.CO_UNDER_VERIFICATION,)
    assert refused.outcome.facts["release_under_guarantee"].startswith("not set")


def test_a_missing_co_is_not_found_or_referred() -> None:
    gone = missing_outcome(line(), CoMissing(False, "no such CO"), RCEP_GUARANTEE)
    assert gone.decision is Decision.DENIED and gone.reason_codes == (Reason.CO_NOT_FOUND,)
    away = missing_outcome(line(), CoMissing(True, "PARTNER_UNAVAILABLE"), RCEP_GUARANTEE)
    assert away.decision is Decision.REFERRED
    assert away.reason_codes == (Reason.CO_NOT_RECEIVED, Reason.RELEASE_UNDER_GUARANTEE)
    assert away.facts["pull"] == "PARTNER_UNAVAILABLE"
    unknown = missing_outcome(line(), CoMissing(True, "down"), None)
    assert unknown.reason_codes == (Reason.CO_NOT_RECEIVED,)


def test_a_draw_reports_remaining_before_and_after_and_a_shortfall() -> None:
    result = plan(decl(), co(), line(quantity="100"))
    granted = result.drawn(remaining_after=600_000_000)
    assert granted.decision is Decision.GRANTED
    assert granted.reason_codes == (Reason.ALL_CHECKS_PASSED,)
    assert (granted.facts["remaining_before"], granted.facts["remaining_after"]) == ("700", "600")
    assert granted.facts["item_hs6"] == "848210" and granted.facts["declared_hs6"] == "848210"
    short = result.short(remaining=50_000_000)
    assert short.decision is Decision.DENIED
    assert short.reason_codes == (Reason.QUANTITY_EXCEEDED,)
    assert short.facts["requested"] == "100" and short.facts["remaining_after"] == "50"


def test_units_convert_and_round_up_to_millionths() -> None:
    tonnes = plan(decl(), co(), line(item=2, quantity="0.25", unit="TNE", hs="721049"))
    assert tonnes.draw_micros == 250_000_000
    assert tonnes.facts["converted_quantity"] == "250" and tonnes.facts["converted_from"] == "TNE"
    pounds = plan(decl(), co(), line(item=2, quantity="1", unit="LBR", hs="721049"))
    assert pounds.draw_micros == 453_593  # 0.45359237 kg, rounded up


def test_importer_names_compare_without_case_spacing_or_punctuation() -> None:
    assert normalise_name("  EXAMPLE  Trading, K.K. ") == "example trading kk"
    assert importer_matches(decl().importer, co(importer_name="example trading k.k."))
    assert importer_matches(decl().importer, co(importer_name=None)) is None
    with_id = decl(importer={"name": "X", "identifier": {"scheme": "JP:CN", "value": "123"}})
    assert importer_matches(with_id.importer, co(importer_identifiers=(("JP:CN", "123"),)))
    assert not importer_matches(with_id.importer, co(importer_identifiers=(("JP:CN", "999"),)))


def test_no_agreement_claimed_means_no_agreement_check() -> None:
    reasons, _ = co_checks(decl(agreement=None), co(agreement="ATIGA"))
    assert reasons == []


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        ({"id": " bad id"}, "declaration.id", "SCHEMA-VALUE"),
        ({"lines": []}, "declaration.lines", "SCHEMA-VALUE"),
        ({"date": "10/03/2025"}, "declaration.date", "SCHEMA-VALUE"),
        (
            {"certificate": {"issuing_country": "sg", "number": "X"}},
            "declaration.certificate.issuing_country",
            "DS-12",
        ),
        ({"importer": {"name": "A", "vat": "1"}}, "declaration.importer.vat", "SCHEMA-UNKNOWN"),
    ],
)
def test_declaration_input_errors_name_the_field(
    change: dict[str, Any], path: str, code: str
) -> None:
    data = decl().canonical()
    data.update(change)
    with pytest.raises(ValidationFailed) as info:
        parse_input(Declaration, data, root="declaration", what="declaration")
    finding = info.value.findings[0]
    assert finding.path == path
    assert finding.code == code
