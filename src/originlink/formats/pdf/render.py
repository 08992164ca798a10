"""The printed certificate: A4, in the layout of the agreement's own form.

Page 1 is the face of the form (the boxes, numbering and wording of the form annexed to the
agreement, see :mod:`.layouts`), page 2 its back (overleaf notes; the verification boxes of an
EUR.1), then continuation sheets for the items that do not fit and for text too long for its
box. Every page says "page x of y"; a certificate that is not ISSUED carries its status as a
watermark.

Before anything is drawn every text is checked against the fonts: a character no font can
show is an error (:class:`~.fonts.MissingGlyphs`) naming it, unless the caller allows missing
glyphs, which are then printed as U+FFFD and announced on the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from originlink.domain.dataset import CODocument
from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import AgreementProfile
from originlink.formats.pdf.canvas import Canvas
from originlink.formats.pdf.content import ItemRow
from originlink.formats.pdf.fonts import FontSet, MissingGlyphs, describe
from originlink.formats.pdf.form import FormContent, form_content
from originlink.formats.pdf.pages import LEFT, PAGE_BOTTOM, TOP, FormPages
from originlink.formats.pdf.qr import verification_payload
from originlink.formats.pdf.table import NO_FURTHER_ITEMS, ItemsTable

log = logging.getLogger("originlink.formats.pdf")
#: Called as the items are laid out: (items placed, items in all).
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """The PDF bytes and what a caller should know about them."""

    data: bytes
    pages: int
    qr_payload: str | None
    missing_characters: dict[str, int]


def _trailer(content: FormContent) -> ItemRow | None:
    """On a form without a remarks box, the remarks go after the last item (Box 7)."""
    layout = content.layout
    if not layout.remarks_after_items:
        return None
    remarks = content.texts.get("remarks", "")
    text = NO_FURTHER_ITEMS + (f"\n\nRemarks: {remarks}" if remarks else "")
    key = next(c.content for c in layout.columns if c.content.startswith("description"))
    return ItemRow("", {key: text})


def render_certificate(
    doc: CODocument,
    *,
    profile: AgreementProfile | None = None,
    status: str | None = None,
    verification_url: str | None = None,
    digest: str | None = None,
    fallback_fonts: tuple[Path, ...] = (),
    created_at: datetime | None = None,
    allow_missing_glyphs: bool = False,
    on_progress: Progress | None = None,
) -> RenderedPdf:
    """Render ``doc`` as the printed certificate.

    ``status`` overrides the document's (a node passes the effective status, e.g. EXPIRED
    once validity has ended). The QR code holds ``verification_url`` with ``?d=<digest>``; with
    no URL the certification box says that no verification address is recorded. Raises
    :class:`MissingGlyphs` for characters no font has unless ``allow_missing_glyphs``.
    ``on_progress`` is told of each item placed (for a progress bar)."""
    payload = (
        verification_payload(verification_url, digest) if verification_url and digest else None
    )
    try:
        content = form_content(doc, profile, status=status, verification_url=payload)
    except KeyError as exc:
        raise ConfigurationError(f"agreement profile: {exc.args[0]}") from None
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, TOP, LEFT)
    fonts = FontSet(pdf, fallback_fonts)
    missing = fonts.missing_in(content.all_texts())
    if missing and not allow_missing_glyphs:
        raise MissingGlyphs(
            f"certificate {content.number}: no font can print {describe(missing)}; install "
            "the fonts (scripts/ensure-fonts.sh), add one that has them (--font, "
            "ORIGINLINK_PDF_FONTS) or allow missing glyphs (--allow-missing-glyphs)"
        )
    canvas = Canvas(pdf, fonts)
    pages = FormPages(content, canvas, payload, digest)
    pages.face()
    table = ItemsTable(canvas, content.layout.columns, content.items, on_row=on_progress)
    y = table.draw(
        first_top=content.layout.items_top,
        first_bottom=content.layout.items_bottom,
        page_bottom=PAGE_BOTTOM,
        new_page=pages.continuation_page,
        trailer=_trailer(content),
    )
    if pages.annex:
        pages.annex_pages(y if pdf.page > 1 and pages.back_done else pages.continuation_page())
    if not pages.back_done:
        pages.back()
    _metadata(pdf, content, doc, digest, fonts, created_at)
    data = bytes(pdf.output())
    if fonts.missing:
        log.warning(
            "certificate %s: %d character(s) not in the embedded fonts, printed as U+FFFD: %s",
            content.number,
            sum(fonts.missing.values()),
            fonts.missing_summary(),
        )
    return RenderedPdf(data, pdf.pages_count, payload, dict(fonts.missing))


def _metadata(
    pdf: FPDF,
    content: FormContent,
    doc: CODocument,
    digest: str | None,
    fonts: FontSet,
    created_at: datetime | None,
) -> None:
    pdf.set_title(f"{content.form_title} certificate of origin {content.number}")
    pdf.set_subject(f"Certificate of origin {content.number}, status {content.status}")
    pdf.set_author(doc.certificate.parties.issuing_authority.name)
    pdf.set_creator("OriginLink")
    keywords = [
        f"certificate-number={content.number}",
        f"status={content.status}",
        f"layout={content.layout.name}",
    ]
    if digest:
        keywords.append(f"digest={digest}")
    if fonts.missing:
        keywords.append(f"missing-glyphs={fonts.missing_summary()}")
    pdf.set_keywords("; ".join(keywords))
    when = created_at or doc.certificate.issue_datetime
    if when is not None:
        pdf.set_creation_date(when)
