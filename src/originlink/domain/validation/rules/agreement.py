"""Rules that need the agreement profile: the agreement itself, its parties, its criteria.

DS-03 (item cap), DS-14 (countries are parties; the exporting party issues), DS-20 (origin
criterion from the agreement's list), DS-21 (FOB for value criteria), DS-22 (percentage),
DS-25 (origin country), DS-29 (preferential ⇔ known agreement; form of that agreement).
"""

from __future__ import annotations

from collections.abc import Iterator

from originlink.domain.dataset import GoodsItem
from originlink.domain.findings import Finding, join_path
from originlink.domain.profiles import AgreementProfile, Criterion
from originlink.domain.validation.rules.base import (
    Rule,
    Subject,
    info,
    severe,
    unset_skip,
    warning,
)

_C = "certificate"
_A = "agreement"


def ds29_agreement_known(s: Subject) -> Iterator[Finding]:
    c = s.cert
    code = c.agreement_code
    if c.is_preferential and code is None:
        yield severe(
            "DS-29",
            f"{_C}.agreement",
            "A preferential CO must name the agreement under which preference is claimed "
            "(agreement.code).",
            area=_A,
        )
    elif c.is_preferential and code is not None and s.registry.get(code) is None:
        yield severe(
            "DS-29",
            f"{_C}.agreement.code",
            f"'{code}' is not a known agreement; known: {', '.join(s.registry.codes())}.",
            area=_A,
            known=s.registry.codes(),
        )
    elif not c.is_preferential and code is not None:
        yield severe(
            "DS-29",
            f"{_C}.agreement",
            f"A non-preferential CO claims no preference and must not name an agreement ({code}).",
            area=_A,
        )
    override = s.agreement_override
    if override is not None and code is not None and override != code:
        yield warning(
            "DS-29",
            f"{_C}.agreement.code",
            f"The CO names {code}, but it was checked against {override} as asked.",
            area=_A,
            checked_against=override,
        )
    profile = s.preferential_profile
    if profile is not None and c.form_code not in profile.form_codes:
        yield severe(
            "DS-29",
            f"{_C}.form_code",
            f"'{c.form_code}' is not a form of {profile.code}; expected "
            f"{' or '.join(profile.form_codes)}.",
            area=_A,
            form_codes=list(profile.form_codes),
        )


def ds03_item_cap(s: Subject) -> Iterator[Finding]:
    profile = s.preferential_profile
    if profile is None:
        return
    path = f"{_C}.goods_items"
    rule = profile.rules.item_cap
    if rule is None:
        yield unset_skip(profile, "DS-03", "item_cap", path, "The number of items per CO")
        return
    count = len(s.cert.goods_items)
    if count > rule.max_items:
        yield severe(
            "DS-03",
            path,
            f"The CO lists {count} items; {profile.code} allows at most {rule.max_items} per "
            "certificate.",
            area=_A,
            items=count,
            max_items=rule.max_items,
            source=rule.source,
        )


def ds14_parties(s: Subject) -> Iterator[Finding]:
    profile = s.preferential_profile
    if profile is None:
        return
    c = s.cert
    for name, code in (("exporting", c.exporting_country), ("importing", c.importing_country)):
        if not profile.is_party(code):
            yield severe(
                "DS-14",
                f"{_C}.{name}_country",
                f"The {name} country {code} is not a party to {profile.code}.",
                area=_A,
                country=code,
                parties=list(profile.parties.countries),
                source=profile.parties.source,
            )
    if c.flag("back_to_back"):
        if not profile.is_party(c.issuing_country):
            yield severe(
                "DS-14",
                f"{_C}.issuing_country",
                f"A back-to-back CO is issued by an intermediate party; {c.issuing_country} is "
                f"not a party to {profile.code}.",
                area=_A,
                country=c.issuing_country,
            )
    elif c.issuing_country != c.exporting_country:
        yield severe(
            "DS-14",
            f"{_C}.issuing_country",
            f"The CO was issued in {c.issuing_country}, but the goods are exported from "
            f"{c.exporting_country}: the exporting party issues the CO (a CO issued by an "
            "intermediate party must be marked back-to-back).",
            area=_A,
            issuing_country=c.issuing_country,
            exporting_country=c.exporting_country,
        )


def _allowed(profile: AgreementProfile) -> str:
    rule = profile.rules.criteria
    return ", ".join(c.code for c in rule.codes) if rule else ""


def ds20_origin_criterion(s: Subject) -> Iterator[Finding]:
    c = s.cert
    if not c.is_preferential:
        for i, item in enumerate(c.goods_items):
            if item.origin_criterion is not None and item.origin_criterion.code is not None:
                yield warning(
                    "DS-20",
                    join_path(_C, "goods_items", i, "origin_criterion", "code"),
                    "A non-preferential CO states no origin criterion; it will not be shown.",
                )
        return
    profile = s.profile
    if profile is None:
        return
    rule = profile.rules.criteria
    if rule is None:
        yield unset_skip(
            profile, "DS-20", "criteria", f"{_C}.goods_items", "The origin criterion of each item"
        )
        return
    for i, item in enumerate(c.goods_items):
        path = join_path(_C, "goods_items", i, "origin_criterion", "code")
        code = item.origin_criterion.code if item.origin_criterion else None
        if not rule.used:
            if code is not None:
                yield warning(
                    "DS-20",
                    path,
                    f"The {profile.form_name} has no origin-criterion box; '{code}' will not "
                    "be shown.",
                    area=_A,
                )
        elif code is None:
            yield severe(
                "DS-20",
                path,
                f"Item {item.sequence_number} states no origin criterion; {profile.code} "
                f"requires one of: {_allowed(profile)}.",
                area=_A,
                allowed=[x.code for x in rule.codes],
            )
        elif rule.find(code) is None:
            yield severe(
                "DS-20",
                path,
                f"'{code}' is not an origin criterion of {profile.code}; allowed: "
                f"{_allowed(profile)}.",
                area=_A,
                allowed=[x.code for x in rule.codes],
                source=rule.source,
            )


def _criteria(s: Subject) -> Iterator[tuple[int, GoodsItem, Criterion]]:
    """Items whose criterion the profile knows, with that criterion."""
    profile = s.preferential_profile
    rule = profile.rules.criteria if profile else None
    if rule is None or not rule.used:
        return
    for i, item in enumerate(s.cert.goods_items):
        code = item.origin_criterion.code if item.origin_criterion else None
        criterion = rule.find(code) if code is not None else None
        if criterion is not None:
            yield i, item, criterion


def ds21_fob_for_value_criteria(s: Subject) -> Iterator[Finding]:
    profile = s.preferential_profile
    if profile is None:
        return
    known = list(_criteria(s))
    rule = profile.rules.fob
    if rule is None:
        if any(criterion.value_based for _, _, criterion in known):
            yield unset_skip(
                profile, "DS-21", "fob", f"{_C}.goods_items", "Whether FOB values are required"
            )
        return
    importing = s.cert.importing_country
    required_here = rule.required_for(importing)
    for i, item, criterion in known:
        path = join_path(_C, "goods_items", i, "fob_value")
        if criterion.value_based and required_here:
            if item.fob_value is None:
                yield severe(
                    "DS-21",
                    path,
                    f"Item {item.sequence_number} claims the value criterion {criterion.code}: "
                    f"{profile.code} requires its FOB value on the CO for imports into "
                    f"{importing}.",
                    area=_A,
                    criterion=criterion.code,
                    source=rule.source,
                )
            elif item.fob_value.value <= 0:
                yield severe(
                    "DS-21",
                    f"{path}.value",
                    f"The FOB value of item {item.sequence_number} must be greater than zero "
                    f"for the value criterion {criterion.code}.",
                    area=_A,
                )
        elif item.fob_value is not None:
            yield info(
                "DS-21",
                path,
                f"FOB value given for item {item.sequence_number} although {profile.code} does "
                f"not require it here ({criterion.code}, imports into {importing}): accepted.",
                area=_A,
            )


def ds22_value_content_percent(s: Subject) -> Iterator[Finding]:
    """A criterion that needs a percentage has one (the structural pass reports a percentage
    outside 0-100 as DS-22)."""
    profile = s.preferential_profile
    for i, item, criterion in _criteria(s):
        percent = item.origin_criterion.value_content_percent if item.origin_criterion else None
        if criterion.percent_required and percent is None:
            assert profile is not None
            yield severe(
                "DS-22",
                join_path(_C, "goods_items", i, "origin_criterion", "value_content_percent"),
                f"Item {item.sequence_number} claims {criterion.code}; {profile.code} requires "
                "the value-content percentage with it.",
                area=_A,
                criterion=criterion.code,
            )


def ds25_origin_country(s: Subject) -> Iterator[Finding]:
    profile = s.preferential_profile
    if profile is None:
        return
    c = s.cert
    for i, item in enumerate(c.goods_items):
        origin = item.origin_country
        if origin is None:
            continue
        path = join_path(_C, "goods_items", i, "origin_country")
        if not profile.is_party(origin):
            yield warning(
                "DS-25",
                path,
                f"The stated origin {origin} is not a party to {profile.code}.",
                area=_A,
                origin_country=origin,
            )
        elif (
            origin != c.exporting_country
            and not c.flag("accumulation")
            and not c.flag("back_to_back")
        ):
            yield warning(
                "DS-25",
                path,
                f"Item {item.sequence_number} originates in {origin} but is exported from "
                f"{c.exporting_country}, and accumulation is not ticked.",
                area=_A,
                origin_country=origin,
                exporting_country=c.exporting_country,
            )


RULES: tuple[Rule, ...] = (
    ds29_agreement_known,
    ds03_item_cap,
    ds14_parties,
    ds20_origin_criterion,
    ds21_fob_for_value_criteria,
    ds22_value_content_percent,
    ds25_origin_country,
)
