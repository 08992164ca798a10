"""Rules on references and flags.

DS-02 (invoice numbering), DS-26 (items and invoices refer to each other), DS-28 (flags agree
with the data and the agreement).

A flag the agreement profile leaves unset (``flags.<name>`` in ``[unset]``) is reported as an
INFO finding with the profile's reason rather than refused: the profiles record "not found in the
sources" that way, and refusing would invent a rule the sources do not give.
"""

from __future__ import annotations

from collections.abc import Iterator

from originlink.domain.dataset import Relation
from originlink.domain.dataset.flags import FLAG_NAMES, FLAGS_BY_NAME
from originlink.domain.findings import Finding, join_path
from originlink.domain.validation.rules.base import (
    ISSUED_ON,
    Rule,
    Subject,
    severe,
    unset_skip,
    warning,
)

_C = "certificate"
_INVOICES = (_C, "references", "invoices")


def ds02_invoice_numbers(s: Subject) -> Iterator[Finding]:
    invoices = s.cert.references.invoices if s.cert.references else None
    for i, invoice in enumerate(invoices or ()):
        if invoice.sequence != i + 1:
            yield severe(
                "DS-02",
                join_path(*_INVOICES, i, "sequence"),
                f"Invoice {i + 1} in the list has order number {invoice.sequence}; invoices are "
                "numbered 1, 2, 3 ... in order, without gaps or repeats.",
                expected=i + 1,
                found=invoice.sequence,
            )


def ds26_invoice_links(s: Subject) -> Iterator[Finding]:
    invoices = s.cert.references.invoices if s.cert.references else None
    known = {invoice.sequence for invoice in invoices or ()}
    used: set[int] = set()
    for i, item in enumerate(s.cert.goods_items):
        for j, sequence in enumerate(item.invoice_sequences or ()):
            used.add(sequence)
            if sequence not in known:
                yield severe(
                    "DS-26",
                    join_path(_C, "goods_items", i, "invoice_sequences", j),
                    f"Item {item.sequence_number} refers to invoice {sequence}, which is not "
                    "among the CO's invoices.",
                    invoice_sequence=sequence,
                    known=sorted(known),
                )
    for i, invoice in enumerate(invoices or ()):
        if invoice.sequence not in used:
            yield warning(
                "DS-26",
                join_path(*_INVOICES, i),
                f"Invoice {invoice.number} is not referred to by any goods item.",
                invoice=invoice.number,
            )


def ds28_flags_match_data(s: Subject) -> Iterator[Finding]:
    """The tick boxes agree with the rest of the data, whatever the agreement."""
    c = s.cert
    refs = c.references
    third_party = c.flag("third_party_invoicing")
    operator = c.parties.invoicing_operator
    if third_party and operator is None:
        yield severe(
            "DS-28",
            f"{_C}.parties.invoicing_operator",
            "Third-party invoicing is ticked, but the operator that issued the invoice is not "
            "named.",
        )
    if operator is not None and not third_party:
        yield severe(
            "DS-28",
            f"{_C}.flags.third_party_invoicing",
            f"An invoicing operator ({operator.name}) is named, but third-party invoicing is "
            "not ticked.",
        )
    if c.flag("back_to_back") and not (refs and refs.related(Relation.BACK_TO_BACK_OF)):
        yield severe(
            "DS-28",
            f"{_C}.references.related_certificates",
            "A back-to-back CO must name the first CO it is based on (relation "
            "back_to_back_of, with number, issue date and issuing country).",
        )
    yield from _true_copy_data(s)


def _true_copy_data(s: Subject) -> Iterator[Finding]:
    c = s.cert
    flags = c.flags
    copy_date = flags.true_copy_issue_date if flags else None
    if not c.flag("certified_true_copy"):
        if copy_date is not None:
            yield severe(
                "DS-28",
                f"{_C}.flags.true_copy_issue_date",
                "A true-copy date is given, but the CO is not marked as a certified true copy.",
            )
        return
    originals = c.references.related(Relation.TRUE_COPY_OF) if c.references else []
    if not originals:
        yield severe(
            "DS-28",
            f"{_C}.references.related_certificates",
            "A certified true copy must name the CO it copies (relation true_copy_of).",
        )
    else:
        original = originals[0]
        if c.certificate_number is not None and original.number != c.certificate_number:
            yield severe(
                "DS-28",
                f"{_C}.certificate_number",
                f"A certified true copy keeps the original's number {original.number}, "
                f"not {c.certificate_number}.",
            )
        if s.issue_date is not None and original.issue_date != s.issue_date:
            yield severe(
                "DS-28",
                f"{_C}.issue_datetime",
                f"A certified true copy keeps the original's issue date "
                f"{original.issue_date.isoformat()}, not {s.issue_date.isoformat()}.",
            )
    if copy_date is None and c.status in ISSUED_ON:
        yield severe(
            "DS-28",
            f"{_C}.flags.true_copy_issue_date",
            "A certified true copy must give the date the copy was made.",
        )


def ds28_flags_allowed(s: Subject) -> Iterator[Finding]:
    """Each ticked flag is one the agreement provides for; the true copy within its window."""
    profile = s.preferential_profile
    if profile is None:
        return
    c = s.cert
    for name in FLAG_NAMES:
        if not c.flag(name):
            continue
        path = f"{_C}.flags.{name}"
        allowed = profile.flag_allowed(name)
        if allowed is False:
            yield severe(
                "DS-28",
                path,
                f"{profile.name} does not provide for {FLAGS_BY_NAME[name].provision}; the flag "
                "must not be set.",
                area="agreement",
                agreement=profile.code,
                source=profile.rules.flags[name].source,
            )
        elif allowed is None:
            yield unset_skip(
                profile, "DS-28", f"flags.{name}", path, f"Whether {profile.code} allows this flag"
            )
    yield from _true_copy_window(s)


def _true_copy_window(s: Subject) -> Iterator[Finding]:
    profile = s.preferential_profile
    c = s.cert
    if profile is None or not c.flag("certified_true_copy"):
        return
    path = f"{_C}.flags.true_copy_issue_date"
    rule = profile.rules.true_copy
    if rule is None:
        yield unset_skip(profile, "DS-28", "true_copy", path, "The certified-true-copy window")
        return
    if not rule.allowed:
        yield severe(
            "DS-28",
            f"{_C}.flags.certified_true_copy",
            f"{profile.name} does not provide for certified true copies.",
            area="agreement",
            source=rule.source,
        )
        return
    copy_date = c.flags.true_copy_issue_date if c.flags else None
    original = s.issue_date
    if copy_date is None or original is None:
        return
    if copy_date < original:
        yield severe(
            "DS-28",
            path,
            f"The copy is dated {copy_date.isoformat()}, before the original was issued on "
            f"{original.isoformat()}.",
        )
    if rule.window is None:
        yield unset_skip(
            profile, "DS-28", "true_copy.window", path, "The period for making a true copy"
        )
        return
    latest = rule.window.add_to(original)
    if copy_date > latest:
        yield severe(
            "DS-28",
            path,
            f"The certified true copy was made on {copy_date.isoformat()}, later than "
            f"{latest.isoformat()} ({rule.window.describe()} after the original's issue on "
            f"{original.isoformat()}) as {profile.code} allows.",
            area="agreement",
            original_issue_date=original,
            copy_date=copy_date,
            window=rule.window,
            latest=latest,
            source=rule.source,
        )


RULES: tuple[Rule, ...] = (
    ds02_invoice_numbers,
    ds26_invoice_links,
    ds28_flags_match_data,
    ds28_flags_allowed,
)
