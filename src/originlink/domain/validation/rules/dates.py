"""Rules on dates: nothing issued in the future, dates in order, issuance in time, validity.

DS-08 (not in the future), DS-09 (order of dates), DS-10 (issuance window and retroactive
issuance, from the agreement profile), DS-11 (validity at the evaluation date).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone

from originlink.domain.findings import Finding, Level, join_path
from originlink.domain.validation.rules.base import (
    Rule,
    Subject,
    describe_window,
    info,
    severe,
    unset_skip,
    warning,
)

_C = "certificate"
#: The earliest time zone: a date-only value is "in the future" only once no place on earth
#: has reached it yet (DS-08).
_UTC_PLUS_14 = timezone(timedelta(hours=14))


def _in_future(moment: date, now: datetime, skew: timedelta) -> bool:
    if isinstance(moment, datetime):
        return moment > now + skew
    return moment > now.astimezone(_UTC_PLUS_14).date()


def ds08_not_in_future(s: Subject) -> Iterator[Finding]:
    c = s.cert
    certification = c.declarations.certification if c.declarations else None
    checked: list[tuple[str, date | None, str]] = [
        (f"{_C}.issue_datetime", c.issue_datetime, "The issue date"),
        (
            f"{_C}.declarations.certification.datetime",
            certification.datetime if certification else None,
            "The certification date",
        ),
        (
            f"{_C}.flags.true_copy_issue_date",
            c.flags.true_copy_issue_date if c.flags else None,
            "The date the true copy was made",
        ),
    ]
    now, skew = s.context.now, s.context.clock_skew
    for path, moment, label in checked:
        if moment is not None and _in_future(moment, now, skew):
            yield severe(
                "DS-08",
                path,
                f"{label} ({moment.isoformat()}) is in the future (now: "
                f"{now.isoformat(timespec='seconds')}).",
                value=moment,
                now=now,
                clock_skew_seconds=int(skew.total_seconds()),
            )


def ds09_dates_in_order(s: Subject) -> Iterator[Finding]:
    c = s.cert
    declarations = c.declarations
    exporter_date = declarations.exporter.date if declarations and declarations.exporter else None
    certified = (
        declarations.certification.datetime if declarations and declarations.certification else None
    )
    if exporter_date is not None and certified is not None and exporter_date > certified:
        yield severe(
            "DS-09",
            f"{_C}.declarations.exporter.date",
            f"The exporter declared on {exporter_date.isoformat()}, after the authority "
            f"certified on {certified.isoformat()}; the declaration comes first.",
        )
    issued = s.issue_date
    if issued is None:
        return
    if c.validity_end_date is not None and c.validity_end_date <= issued:
        yield severe(
            "DS-09",
            f"{_C}.validity_end_date",
            f"The CO is valid until {c.validity_end_date.isoformat()}, which is not after its "
            f"issue date {issued.isoformat()}.",
        )
    invoices = c.references.invoices if c.references else None
    for i, invoice in enumerate(invoices or ()):
        if invoice.issue_date is not None and invoice.issue_date > issued:
            yield warning(
                "DS-09",
                join_path(_C, "references", "invoices", i, "issue_date"),
                f"Invoice {invoice.number} is dated {invoice.issue_date.isoformat()}, after the "
                f"CO was issued on {issued.isoformat()}.",
            )
    for i, item in enumerate(c.goods_items):
        declared = item.origin_declaration.date if item.origin_declaration else None
        if declared is not None and declared > issued:
            yield warning(
                "DS-09",
                join_path(_C, "goods_items", i, "origin_declaration", "date"),
                f"The origin declaration for item {item.sequence_number} is dated "
                f"{declared.isoformat()}, after the CO was issued on {issued.isoformat()}.",
            )


def _invoice_anchor(s: Subject) -> date | None:
    invoices = s.cert.references.invoices if s.cert.references else None
    dates = [inv.issue_date for inv in invoices or () if inv.issue_date is not None]
    return min(dates) if dates else None


def ds10_issuance_window(s: Subject) -> Iterator[Finding]:
    """Issued within the agreement's window after shipment (or invoice); later only when marked
    as issued retroactively, and never after the retroactive ceiling."""
    profile, issued = s.preferential_profile, s.issue_date
    if profile is None or issued is None:
        return
    path = f"{_C}.issue_datetime"
    rule = profile.rules.issuance
    if rule is None:
        yield unset_skip(profile, "DS-10", "issuance", path, "Whether the CO was issued in time")
        return
    if rule.anchor == "shipment":
        anchor, anchor_name = s.departure_date, "shipment"
        missing = "no departure date is given (transport.departure_datetime)"
    else:
        anchor, anchor_name = _invoice_anchor(s), "the invoice"
        missing = "no invoice date is given"
    if anchor is None:
        yield info(
            "DS-10",
            path,
            f"The issuance window of {profile.code} ({rule.window.describe()} after "
            f"{anchor_name}) was not checked: {missing}.",
            area="agreement",
        )
        return
    deadline = rule.window.add_to(anchor)
    retro = s.cert.flag("issued_retroactively")
    facts = {
        "agreement": profile.code,
        "issue_date": issued,
        "anchor": rule.anchor,
        "anchor_date": anchor,
        "window": rule.window,
        "window_end": deadline,
        "source": rule.source,
    }
    window_text = describe_window(rule.window, anchor_name, anchor)
    if issued <= deadline:
        if retro:
            yield warning(
                "DS-10",
                f"{_C}.flags.issued_retroactively",
                f"The CO is marked as issued retroactively, but it was issued on "
                f"{issued.isoformat()}, within the normal window ({window_text}).",
                area="agreement",
                **facts,
            )
        return
    retro_rule = profile.rules.retroactive
    marking = f' ("{retro_rule.marking}")' if retro_rule and retro_rule.marking else ""
    if not retro:
        yield severe(
            "DS-10",
            f"{_C}.flags.issued_retroactively",
            f"Issued on {issued.isoformat()}; the normal window ended on "
            f"{deadline.isoformat()} ({window_text}): {profile.code} requires such a CO to be "
            f"marked as issued retroactively{marking}.",
            area="agreement",
            **facts,
        )
    yield from _retroactive_ceiling(s, issued, anchor, facts)


def _retroactive_ceiling(
    s: Subject, issued: date, anchor: date, facts: dict[str, object]
) -> Iterator[Finding]:
    profile = s.preferential_profile
    assert profile is not None
    path = f"{_C}.issue_datetime"
    rule = profile.rules.retroactive
    if rule is None:
        yield unset_skip(
            profile, "DS-10", "retroactive", path, "The latest date for retroactive issuance"
        )
        return
    if not rule.allowed:
        yield severe(
            "DS-10",
            path,
            f"Issued after the normal window, but {profile.name} does not provide for "
            "retroactive issuance.",
            area="agreement",
            retroactive_source=rule.source,
            **facts,
        )
        return
    if rule.ceiling is None:
        yield unset_skip(
            profile,
            "DS-10",
            "retroactive.ceiling",
            path,
            "The latest date for retroactive issuance",
        )
        return
    if rule.ceiling == "none":
        return  # the agreement sets no maximum
    start = s.departure_date or anchor
    latest = rule.ceiling.add_to(start)
    if issued > latest:
        yield severe(
            "DS-10",
            path,
            f"Issued on {issued.isoformat()}, later than {latest.isoformat()}, the last day "
            f"{profile.code} allows for retroactive issuance ({rule.ceiling.describe()} after "
            f"shipment on {start.isoformat()}).",
            area="agreement",
            retroactive_ceiling=rule.ceiling,
            retroactive_latest=latest,
            retroactive_source=rule.source,
            **facts,
        )


def ds11_validity(s: Subject) -> Iterator[Finding]:
    """Past its validity at the evaluation date: SEVERE for a claim, INFO otherwise."""
    c, issued = s.cert, s.issue_date
    if issued is None:
        return
    path = f"{_C}.validity_end_date"
    ends: list[tuple[date, str]] = []
    if c.validity_end_date is not None:
        ends.append((c.validity_end_date, "the validity end date on the CO"))
    profile = s.preferential_profile
    if profile is not None:
        computed = profile.validity_end(
            issued=issued,
            shipped=s.departure_date,
            retroactive=c.flag("issued_retroactively"),
        )
        if computed is None:
            yield unset_skip(profile, "DS-11", "validity", path, "Validity under the agreement")
        else:
            rule = profile.rules.validity
            assert rule is not None
            start = "shipment" if _runs_from_shipment(s) else "issue"
            ends.append((computed, f"{rule.period.describe()} from {start} under {profile.code}"))
    if not ends:
        return
    end, why = min(ends)
    day = s.context.evaluation_day
    if day <= end:
        return
    level = Level.SEVERE if s.context.purpose == "claim" else Level.INFO
    make = severe if level is Level.SEVERE else info
    yield make(
        "DS-11",
        path,
        f"On {day.isoformat()} the CO is past its validity: it was valid until "
        f"{end.isoformat()} ({why}).",
        area="agreement" if profile is not None else "dataset",
        evaluation_date=day,
        valid_until=end,
        purpose=s.context.purpose,
    )


def _runs_from_shipment(s: Subject) -> bool:
    profile = s.preferential_profile
    rule = profile.rules.validity if profile else None
    if rule is None:
        return False
    runs_from = rule.runs_from
    if s.cert.flag("issued_retroactively") and rule.retroactive_runs_from is not None:
        runs_from = rule.retroactive_runs_from
    return runs_from == "shipment" and s.departure_date is not None


RULES: tuple[Rule, ...] = (
    ds08_not_in_future,
    ds09_dates_in_order,
    ds10_issuance_window,
    ds11_validity,
)
