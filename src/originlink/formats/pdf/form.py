"""The whole printed certificate as text: title, boxes, markings, tick boxes, statements.

The layout is that of the paper forms customs officers know (Form RCEP, ATIGA Form D, EUR.1):
1 exporter, 2 producer, 3 importer/consignee, 4 means of transport and route, 5 for official
use, 6-13 the items table, 14 remarks, 15 the exporter's declaration, 16 the certification and
17 the tick boxes. Markings that change what the paper is worth (ISSUED RETROACTIVELY, CERTIFIED
TRUE COPY, BACK-TO-BACK, THIRD PARTY INVOICING) use the agreement profile's wording where it has
one and are printed large, in their own box.
"""

from __future__ import annotations

from dataclasses import dataclass

from originlink.domain.codelists import country_name
from originlink.domain.dataset import CODocument, Relation
from originlink.domain.dataset.certificate import Certificate
from originlink.domain.profiles import AgreementProfile
from originlink.formats.pdf.content import (
    ItemRow,
    consignee_text,
    date_text,
    item_rows,
    party_text,
    producer_text,
    transport_text,
)

#: Tick boxes of the forms (Form RCEP box 17, Form D box 13), in form order.
TICK_LABELS = {
    "issued_retroactively": "Issued retroactively",
    "back_to_back": "Back-to-back",
    "third_party_invoicing": "Third-party invoicing",
    "exhibition": "Exhibition",
    "accumulation": "Accumulation",
    "partial_cumulation": "Partial cumulation",
    "de_minimis": "De minimis",
}
#: The tick boxes shown when no agreement profile says which the form has.
DEFAULT_TICKS = ("issued_retroactively", "back_to_back", "third_party_invoicing")
DEFAULT_CERTIFICATION = (
    "It is hereby certified, on the basis of control carried out, that the declaration by the "
    "exporter is correct."
)
DEFAULT_MARKINGS = {
    "issued_retroactively": "ISSUED RETROACTIVELY",
    "certified_true_copy": "CERTIFIED TRUE COPY",
    "back_to_back": "BACK-TO-BACK",
    "third_party_invoicing": "THIRD PARTY INVOICING",
    "exhibition": "EXHIBITION",
}


@dataclass(frozen=True, slots=True)
class TickBox:
    label: str
    ticked: bool


@dataclass(frozen=True, slots=True)
class FormContent:
    """Every text of the printed certificate."""

    form_title: str
    agreement_name: str
    number: str
    status: str
    issued_in: str
    exporter: str
    producer: str
    consignee: str
    transport: str
    official_use: str
    remarks: str
    items: tuple[ItemRow, ...]
    declaration: str
    declaration_signature: str
    certification: str
    certification_signature: str
    markings: tuple[str, ...]
    ticks: tuple[TickBox, ...]


def markings(cert: Certificate, profile: AgreementProfile | None) -> tuple[str, ...]:
    """The markings of the certificate, in the profile's wording where it has one."""
    wording = dict(DEFAULT_MARKINGS)
    rules = profile.rules if profile else None
    if rules and rules.retroactive and rules.retroactive.marking:
        wording["issued_retroactively"] = rules.retroactive.marking
    if rules and rules.true_copy and rules.true_copy.marking:
        wording["certified_true_copy"] = rules.true_copy.marking
    out = [text for flag, text in wording.items() if cert.flag(flag)]
    if cert.references and cert.references.related(Relation.REPLACES):
        out.append("REPLACEMENT CERTIFICATE")
    return tuple(out)


def tick_boxes(cert: Certificate, profile: AgreementProfile | None) -> tuple[TickBox, ...]:
    """The form's tick boxes: those the agreement allows, and any flag the CO sets."""
    if profile is not None:
        shown = [flag for flag in TICK_LABELS if profile.flag_allowed(flag)]
    else:
        shown = list(DEFAULT_TICKS)
    shown += [flag for flag in TICK_LABELS if cert.flag(flag) and flag not in shown]
    order = list(TICK_LABELS)
    return tuple(
        TickBox(TICK_LABELS[flag], cert.flag(flag)) for flag in sorted(shown, key=order.index)
    )


def _official_use(cert: Certificate, marks: tuple[str, ...]) -> str:
    lines = []
    flags = cert.flags
    references = cert.references
    if cert.flag("certified_true_copy"):
        copy_date = date_text(flags.true_copy_issue_date) if flags else ""
        lines.append(
            f"Certified true copy made on {copy_date} of the certificate "
            f"No. {cert.certificate_number or ''} issued on {date_text(cert.issue_datetime)}."
        )
    for ref in references.related(Relation.REPLACES) if references else ():
        lines.append(
            f"Issued in replacement of certificate No. {ref.number} of "
            f"{date_text(ref.issue_date)} ({ref.issuing_country})."
        )
    upper_marks = {m.upper() for m in marks}
    lines += [r for r in cert.official_remarks or () if r.upper() not in upper_marks]
    if cert.validity_end_date is not None:
        lines.append(f"Valid until {date_text(cert.validity_end_date)}.")
    return "\n".join(lines)


def _remarks(cert: Certificate) -> str:
    lines = list(cert.remarks or ())
    references = cert.references
    for ref in references.related(Relation.BACK_TO_BACK_OF) if references else ():
        origin = f"; origin {ref.origin_country}" if ref.origin_country else ""
        lines.append(
            f"Back-to-back of certificate No. {ref.number} issued in "
            f"{country_name(ref.issuing_country)} on {date_text(ref.issue_date)}{origin}."
        )
    for ref in references.related(Relation.RELATED) if references else ():
        lines.append(f"Related certificate No. {ref.number} ({ref.issuing_country}).")
    operator = cert.parties.invoicing_operator
    if operator is not None:
        lines.append("Invoice issued by: " + party_text(operator).replace("\n", ", "))
    return "\n".join(lines)


def _declaration(cert: Certificate, profile: AgreementProfile | None) -> tuple[str, str]:
    exporter = cert.declarations.exporter if cert.declarations else None
    origins = sorted({item.origin_country or cert.exporting_country for item in cert.goods_items})
    produced_in = ", ".join(country_name(code).upper() for code in origins)
    if exporter is not None and exporter.statement:
        statement = exporter.statement
    elif cert.is_preferential:
        agreement = profile.name if profile else (cert.agreement_code or "the agreement")
        statement = (
            "The undersigned hereby declares that the above details and statements are "
            f"correct, that all the goods were produced in {produced_in} and that they comply "
            f"with the origin requirements specified in the {agreement} for the goods exported "
            f"to {country_name(cert.importing_country).upper()}."
        )
    else:
        statement = (
            "The undersigned hereby declares that the above details and statements are "
            f"correct and that all the goods originate in {produced_in}."
        )
    lines = []
    if exporter is not None:
        place_date = ", ".join(p for p in (exporter.place, date_text(exporter.date)) if p)
        if place_date:
            lines.append(f"Place and date: {place_date}")
        who = ", ".join(p for p in (exporter.signatory_name, exporter.signatory_job_title) if p)
        if who:
            lines.append(f"Signatory: {who}")
    lines.append(f"for {cert.parties.exporter.name}")
    return statement, "\n".join(lines)


def _certification(doc: CODocument) -> tuple[str, str]:
    cert = doc.certificate
    certification = cert.declarations.certification if cert.declarations else None
    statement = (
        certification.statement
        if certification is not None and certification.statement
        else DEFAULT_CERTIFICATION
    )
    lines = [cert.parties.issuing_authority.name]
    official = cert.parties.certifying_official
    if official is not None:
        lines.append(
            "Certifying official: " + ", ".join(p for p in (official.name, official.job_title) if p)
        )
    place = (cert.issue_place.name or cert.issue_place.locode) if cert.issue_place else None
    when = date_text(certification.datetime if certification else cert.issue_datetime)
    place_date = ", ".join(p for p in (place, when) if p)
    if place_date:
        lines.append(f"Place and date: {place_date}")
    if certification is not None and certification.control_code:
        lines.append(f"Control code: {certification.control_code}")
    signature = doc.signatures.issuing_authority if doc.signatures else None
    if signature is not None:
        lines.append(f"Signed electronically by the issuing authority ({signature.format.value}).")
    return statement, "\n".join(lines)


def form_content(
    doc: CODocument, profile: AgreementProfile | None, *, status: str | None = None
) -> FormContent:
    """The text of every box; ``status`` overrides the document's (e.g. EXPIRED by date)."""
    cert = doc.certificate
    if profile is not None:
        title, agreement = profile.form_name, profile.name
    else:
        title = cert.title or "Certificate of Origin"
        agreement = (cert.agreement.name or cert.agreement.code) if cert.agreement else ""
    if not cert.is_preferential and profile is None:
        agreement = "Non-preferential certificate of origin"
    marks = markings(cert, profile)
    declaration, declaration_signature = _declaration(cert, profile)
    certification, certification_signature = _certification(doc)
    return FormContent(
        form_title=title,
        agreement_name=agreement,
        number=cert.certificate_number or "(not yet numbered)",
        status=status or cert.status.value,
        issued_in=f"Issued in {country_name(cert.issuing_country).upper()}",
        exporter=party_text(cert.parties.exporter),
        producer=producer_text(cert),
        consignee=consignee_text(cert),
        transport=transport_text(cert),
        official_use=_official_use(cert, marks),
        remarks=_remarks(cert),
        items=item_rows(cert),
        declaration=declaration,
        declaration_signature=declaration_signature,
        certification=certification,
        certification_signature=certification_signature,
        markings=marks,
        ticks=tick_boxes(cert, profile),
    )
