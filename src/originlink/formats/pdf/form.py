"""The whole printed certificate as text, for the layout of the agreement's form.

:func:`form_content` decides every word; :mod:`.render` only places them, so the wording can be
tested without drawing anything. Boxes reserved for the importing customs get no text at all:
the issuer's official remarks (certified true copy, replacement, validity) go where the form's
notes put them: the remarks box, or Box 12 on the ASEAN forms, which have none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

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
    transport_facts,
    transport_text,
)
from originlink.formats.pdf.layouts import Layout, layout_named
from originlink.formats.pdf.layouts.base import NO_ADDRESS_WORDS, SIGNATURE_WORDS, SIGNED_WORDS
from originlink.formats.pdf.markings import markings
from originlink.formats.pdf.units import country_words


@dataclass(frozen=True, slots=True)
class TickBox:
    label: str
    ticked: bool


@dataclass(frozen=True, slots=True)
class FormContent:
    """Every text of the printed certificate."""

    layout: Layout
    form_title: str
    agreement_name: str
    number: str
    status: str
    issuing_country: str
    #: The text of each ``text`` box, by the box's ``content`` key.
    texts: dict[str, str]
    items: tuple[ItemRow, ...]
    declaration: str
    declaration_signature: str
    certification: str
    certification_signature: str
    #: "Electronically signed by ... on ...; check it at ..." (or why it cannot say so).
    signed_words: str
    markings: tuple[str, ...]
    ticks: tuple[TickBox, ...]

    def all_texts(self) -> Iterator[str]:
        """Every string printed from the CO (for the check that fonts can show them)."""
        yield from (self.number, self.declaration, self.declaration_signature)
        yield from (self.certification, self.certification_signature, self.signed_words)
        yield from self.texts.values()
        for row in self.items:
            yield from row.cells.values()


def tick_boxes(cert: Certificate, layout: Layout) -> tuple[TickBox, ...]:
    """The form's own tick boxes, in its order and wording, ticked where the CO sets the flag."""
    return tuple(TickBox(label, cert.flag(flag)) for flag, label in layout.ticks)


def official_remarks(cert: Certificate, marks: tuple[str, ...]) -> str:
    """What the issuing body records on the form: copy, replacement, its remarks, validity."""
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
            f"{date_text(ref.issue_date)} ({country_words(ref.issuing_country)})."
        )
    upper_marks = {m.upper() for m in marks}
    lines += [r for r in cert.official_remarks or () if r.upper() not in upper_marks]
    if cert.validity_end_date is not None:
        lines.append(f"Valid until {date_text(cert.validity_end_date)}.")
    return "\n".join(lines)


def exporter_remarks(cert: Certificate) -> str:
    lines = list(cert.remarks or ())
    references = cert.references
    for ref in references.related(Relation.BACK_TO_BACK_OF) if references else ():
        origin = f"; origin {country_words(ref.origin_country)}" if ref.origin_country else ""
        lines.append(
            f"Back-to-back of certificate No. {ref.number} issued in "
            f"{country_words(ref.issuing_country)} on {date_text(ref.issue_date)}{origin}."
        )
    for ref in references.related(Relation.RELATED) if references else ():
        lines.append(f"Related certificate No. {ref.number} ({ref.issuing_country}).")
    operator = cert.parties.invoicing_operator
    if operator is not None:
        lines.append("Invoice issued by: " + party_text(operator).replace("\n", ", "))
    return "\n".join(lines)


def _declaration(cert: Certificate, layout: Layout) -> tuple[str, str]:
    origins = sorted({item.origin_country or cert.exporting_country for item in cert.goods_items})
    statement = layout.declaration.format(
        produced_in=", ".join(country_words(code) for code in origins),
        exported_to=country_words(cert.importing_country),
    )
    exporter = cert.declarations.exporter if cert.declarations else None
    words = SIGNATURE_WORDS[layout.language]
    lines = []
    if exporter is not None:
        place_date = ", ".join(p for p in (exporter.place, date_text(exporter.date)) if p)
        if place_date:
            lines.append(f"{words['place_date']}: {place_date}")
        who = ", ".join(p for p in (exporter.signatory_name, exporter.signatory_job_title) if p)
        if who:
            lines.append(f"{words['signatory']}: {who}")
    lines.append(f"{words['for']} {cert.parties.exporter.name}")
    return statement, "\n".join(lines)


def _certification(
    doc: CODocument, layout: Layout, verification_url: str | None
) -> tuple[str, str, str]:
    cert = doc.certificate
    certification = cert.declarations.certification if cert.declarations else None
    authority = cert.parties.issuing_authority.name
    when = date_text(certification.datetime if certification else cert.issue_datetime)
    statement = layout.certification.format(
        authority=authority, issuing_country=country_words(cert.issuing_country), date=when
    )
    words = SIGNATURE_WORDS[layout.language]
    lines = [] if "{authority}" in layout.certification else [authority]
    official = cert.parties.certifying_official
    if official is not None:
        who = ", ".join(p for p in (official.name, official.job_title) if p)
        lines.append(f"{words['official']}: {who}")
    place = (cert.issue_place.name or cert.issue_place.locode) if cert.issue_place else None
    place_date = ", ".join(p for p in (place, when) if p)
    if place_date and "{date}" not in layout.certification:
        lines.append(f"{words['place_date']}: {place_date}")
    if certification is not None and certification.control_code:
        lines.append(f"{words['control']}: {certification.control_code}")
    signed = doc.signatures is not None and doc.signatures.issuing_authority is not None
    if verification_url and signed:
        signed_words = SIGNED_WORDS[layout.language].format(
            authority=authority, date=when, address=verification_url
        )
    elif verification_url:
        signed_words = words["check"].format(address=verification_url)
    else:
        signed_words = NO_ADDRESS_WORDS[layout.language]
    return statement, "\n".join(lines), signed_words


def _box_texts(cert: Certificate, layout: Layout, marks: tuple[str, ...]) -> dict[str, str]:
    remarks = exporter_remarks(cert)
    official = official_remarks(cert, marks)
    invoices = cert.references.invoices if cert.references else None
    facts = transport_facts(cert)
    origins = sorted({item.origin_country or cert.exporting_country for item in cert.goods_items})
    criteria = [f"{row.number} - {row.cell('criterion') or '-'}" for row in item_rows(cert)]
    parties = cert.parties
    texts = {
        "exporter": party_text(parties.exporter),
        "consignee": consignee_text(cert),
        "importer": party_text(parties.importer) if parties.importer else "",
        "consignee_only": party_text(parties.consignee) if parties.consignee else "",
        "producer": producer_text(cert),
        "transport": transport_text(cert, layout.transport_prompts),
        "authority": party_text(parties.issuing_authority),
        "trade_between": _trade_between(cert),
        "origin_countries": ", ".join(country_words(code) for code in origins),
        "destination": country_words(cert.importing_country),
        "port_loading": facts.get("loading", ""),
        "means": facts.get("vessel", ""),
        "invoices": "\n".join(
            " ".join(p for p in (i.number, date_text(i.issue_date)) if p) for i in invoices or ()
        ),
        "criteria_by_item": "\n".join(criteria),
    }
    if layout.remarks_after_items:
        texts["remarks"] = remarks
        texts["official"] = official
    else:
        texts["remarks"] = "\n".join(p for p in (remarks, official) if p)
        texts["official"] = ""
    return texts


def _trade_between(cert: Certificate) -> str:
    exporting, importing = cert.exporting_country, cert.importing_country
    return f"{country_words(exporting)}\nand\n{country_words(importing)}"


def form_content(
    doc: CODocument,
    profile: AgreementProfile | None,
    *,
    status: str | None = None,
    verification_url: str | None = None,
) -> FormContent:
    """The text of every box; ``status`` overrides the document's (e.g. EXPIRED by date)."""
    cert = doc.certificate
    layout = layout_named(profile.layout if profile is not None else None)
    if profile is not None:
        title, agreement = profile.form_name, profile.name
    else:
        title = cert.title or "Certificate of Origin"
        agreement = (cert.agreement.name or cert.agreement.code) if cert.agreement else ""
    if not cert.is_preferential and profile is None:
        agreement = "Non-preferential certificate of origin"
    marks = markings(cert, profile)
    declaration, declaration_signature = _declaration(cert, layout)
    certification, certification_signature, signed_words = _certification(
        doc, layout, verification_url
    )
    return FormContent(
        layout=layout,
        form_title=title,
        agreement_name=agreement,
        number=cert.certificate_number or "(not yet numbered)",
        status=status or cert.status.value,
        issuing_country=country_words(cert.issuing_country),
        texts=_box_texts(cert, layout, marks),
        items=item_rows(cert),
        declaration=declaration,
        declaration_signature=declaration_signature,
        certification=certification,
        certification_signature=certification_signature,
        signed_words=signed_words,
        markings=marks,
        ticks=tick_boxes(cert, layout),
    )
