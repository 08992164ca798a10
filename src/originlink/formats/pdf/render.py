"""The printed certificate: A4, boxed like Form RCEP / Form D / EUR.1, with continuation sheets.

Page 1 is the form itself: boxes 1-5 at the top, the items table, remarks and tick boxes, the
exporter's declaration and the certification with the QR code. Items that do not fit go on to
continuation sheets, which repeat the title, the certificate number and the QR code; text too
long for its box on page 1 is continued there too ("Box 1 continued"), never cut. Every page
says "page x of y". A certificate that is not ISSUED carries its status as a watermark.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF

from originlink.domain.dataset import CODocument
from originlink.domain.profiles import AgreementProfile
from originlink.formats.pdf.canvas import LABEL_SIZE, PAD, Canvas, line_height
from originlink.formats.pdf.fonts import REPLACEMENT, Coverage, install_fonts
from originlink.formats.pdf.form import FormContent, form_content
from originlink.formats.pdf.qr import qr_png, verification_payload
from originlink.formats.pdf.table import ItemsTable

log = logging.getLogger("originlink.formats.pdf")

LEFT, TOP, WIDTH = 10.0, 10.0, 190.0
HALF = 100.0
PAGE_BOTTOM = 284.0
MARK_RED = (176, 0, 32)


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """The PDF bytes and what a caller should know about them."""

    data: bytes
    pages: int
    qr_payload: str | None
    missing_characters: dict[str, int]


@dataclass(frozen=True, slots=True)
class _Annex:
    label: str
    lines: list[str]
    size: float


class _Renderer:
    def __init__(
        self,
        content: FormContent,
        coverage: Coverage,
        pdf: FPDF,
        qr_payload: str | None,
        digest: str | None,
    ) -> None:
        self.c = content
        self.pdf = pdf
        self.canvas = Canvas(pdf, coverage)
        self.qr_payload = qr_payload
        self.qr_image = io.BytesIO(qr_png(qr_payload)) if qr_payload else None
        self.digest = digest
        self.annex: list[_Annex] = []
        self.items_top = TOP
        self.missing_before_page = 0
        pdf.footer = self.footer  # type: ignore[method-assign]

    # -- page 1 -------------------------------------------------------------------------
    def fitted_box(
        self, x: float, y: float, w: float, h: float, label: str, text: str, box: str
    ) -> None:
        top = self.canvas.box(x, y, w, h, label)
        fit = self.canvas.fit(text, w - 2 * PAD, y + h - top - 0.6)
        lines = list(fit.lines)
        if fit.overflow:
            lines.append(f"… continued on the continuation sheet ({box})")
            self.annex.append(_Annex(f"{box} (continued)", fit.overflow, fit.size))
        self.canvas.draw_lines(x + PAD, top, w - 2 * PAD, lines, fit.size)

    def header_panel(self) -> float:
        c, canvas = self.c, self.canvas
        x, w = LEFT + HALF, WIDTH - HALF
        canvas.frame(x, TOP, w, 14)
        canvas.text(x + PAD, TOP + 0.6, w, "Reference No.", LABEL_SIZE, bold=True)
        canvas.font(13, bold=True)
        size = 13.0 if self.pdf.get_string_width(c.number) <= w - 2 * PAD else 9.5
        canvas.text(x + PAD, TOP + 4.2, w - 2 * PAD, c.number, size, bold=True)
        canvas.frame(x, TOP + 14, w, 32)
        title = c.form_title.upper()
        size = 14.0 if len(title) <= 24 else 10.0
        y = canvas.text(x + 2, TOP + 16, w - 4, title, size, bold=True, align="C")
        if "CERTIFICATE" not in title:
            y = canvas.text(x, y + 0.5, w, "CERTIFICATE OF ORIGIN", 10.5, bold=True, align="C")
        y = canvas.text(x + 3, y + 0.8, w - 6, c.agreement_name, 6.8, align="C")
        canvas.text(x, y + 1.2, w, c.issued_in, 7.5, bold=True, align="C")
        return TOP + 46

    def markings_box(self, y: float) -> float:
        if not self.c.markings:
            return y
        x, w = LEFT + HALF, WIDTH - HALF
        h = 6.0 + 5.2 * len(self.c.markings)
        self.pdf.set_draw_color(*MARK_RED)
        self.pdf.set_line_width(0.8)
        self.pdf.rect(x + 1, y + 1, w - 2, h - 2)
        self.pdf.set_text_color(*MARK_RED)
        yy = y + 3
        for marking in self.c.markings:
            yy = self.canvas.text(x + 2, yy, w - 4, marking, 11, bold=True, align="C")
        self.pdf.set_text_color(0, 0, 0)
        return y + h

    def first_page(self) -> None:
        c = self.c
        self.pdf.add_page()
        boxes = (
            (30, "1. Goods consigned from (exporter's name, address and country)", c.exporter),
            (22, "2. Producer's name, address and country (if known)", c.producer),
            (
                30,
                "3. Goods consigned to (importer's or consignee's name, address, country)",
                c.consignee,
            ),
            (30, "4. Means of transport and route (as far as known)", c.transport),
        )
        y = TOP
        for number, (height, label, text) in enumerate(boxes, start=1):
            self.fitted_box(LEFT, y, HALF, height, label, text, f"Box {number}")
            y += height
        right = self.markings_box(self.header_panel())
        self.official_use_box(LEFT + HALF, right, WIDTH - HALF, y - right)
        self.items_top = y
        self.fitted_box(LEFT, 206, 112, 18, "14. Remarks", c.remarks, "Box 14")
        self.ticks_box(LEFT + 112, 206, WIDTH - 112, 18)
        self.declaration_box(LEFT, 224, 95, PAGE_BOTTOM - 224)
        self.certification_box(LEFT + 95, 224, 95, PAGE_BOTTOM - 224)

    def official_use_box(self, x: float, y: float, w: float, h: float) -> None:
        """Box 5: the issuer's official remarks, then what the importing customs ticks on
        paper (as on Form RCEP and Form D)."""
        reserved = 14.0
        self.fitted_box(x, y, w, h - reserved, "5. For official use", self.c.official_use, "Box 5")
        self.canvas.frame(x, y + h - reserved, w, reserved)
        ty = y + h - reserved + 1
        after = self.canvas.tick(x + PAD, ty, "Preferential treatment given", False, size=6)
        self.canvas.tick(after, ty, "Not given (please state reasons)", False, size=6)
        self._signature_line(
            x, y + h, w, "Signature of authorised signatory of the importing country"
        )

    def ticks_box(self, x: float, y: float, w: float, h: float) -> None:
        top = self.canvas.box(x, y, w, h, "17. Tick where applicable")
        cx, cy = x + PAD, top + 0.4
        if not self.c.ticks:
            self.canvas.text(cx, cy, w - 2 * PAD, "(no tick boxes on this form)", 6)
        for tick in self.c.ticks:
            width = self.pdf.get_string_width(tick.label) + 8
            if cx + width > x + w:
                cx, cy = x + PAD, cy + 4
            cx = self.canvas.tick(cx, cy, tick.label, tick.ticked)

    def declaration_box(self, x: float, y: float, w: float, h: float) -> None:
        c, canvas = self.c, self.canvas
        top = canvas.box(x, y, w, h, "15. Declaration by the exporter")
        top = canvas.text(x + PAD, top + 0.5, w - 2 * PAD, c.declaration, 7)
        canvas.text(x + PAD, top + 2, w - 2 * PAD, c.declaration_signature, 7)
        self._signature_line(x, y + h, w, "Place and date, signature of authorised signatory")

    def certification_box(self, x: float, y: float, w: float, h: float) -> None:
        c, canvas = self.c, self.canvas
        top = canvas.box(x, y, w, h, "16. Certification")
        qr = 27.0
        text_w = w - 2 * PAD - (qr + 1 if self.qr_image else 0)
        top = canvas.text(x + PAD, top + 0.5, text_w, c.certification, 7)
        canvas.text(x + PAD, top + 2, text_w, c.certification_signature, 7)
        if self.qr_image is not None and self.qr_payload is not None:
            self.pdf.image(self.qr_image, x=x + w - qr - 1, y=y + 5, w=qr, h=qr)
            note = "Verify authenticity and current status: scan the code or open"
            vy = canvas.text(x + PAD, y + h - 16.5, w - 2 * PAD, note, 5.8, bold=True)
            canvas.text(x + PAD, vy, w - 2 * PAD, self.qr_payload, 5.4)
        else:
            canvas.text(
                x + PAD,
                y + h - 12,
                w - 2 * PAD,
                "No public verification address is recorded for this certificate.",
                5.8,
                bold=True,
            )
        self._signature_line(
            x, y + h, w, "Place and date, signature and stamp of certifying authority"
        )

    def _signature_line(self, x: float, bottom: float, w: float, caption: str) -> None:
        self.pdf.set_draw_color(120, 120, 120)
        self.pdf.set_line_width(0.15)
        self.pdf.set_dash_pattern(dash=0.8, gap=0.6)
        self.pdf.line(x + PAD, bottom - 4.2, x + w - PAD, bottom - 4.2)
        self.pdf.set_dash_pattern()
        self.canvas.text(x + PAD, bottom - 3.9, w - 2 * PAD, caption, 5.2)

    # -- continuation sheets --------------------------------------------------------------
    def continuation_page(self) -> float:
        c, canvas = self.c, self.canvas
        self.pdf.add_page()
        canvas.frame(LEFT, TOP, WIDTH, 24)
        title = c.form_title.upper()
        size = 12.0 if len(title) <= 24 else 8.0
        y = canvas.text(LEFT + PAD, TOP + 1.5, 118, title, size, bold=True)
        y = canvas.text(LEFT + PAD, y + 0.3, 118, "CONTINUATION SHEET", 9, bold=True)
        y = canvas.text(LEFT + PAD, y + 0.3, 118, c.agreement_name, 6.5)
        part_of = (
            f"This sheet forms part of certificate No. {c.number}; the declaration and the "
            "certification on page 1 cover every item."
        )
        y = canvas.text(LEFT + PAD, y + 0.3, 118, part_of, 5.8)
        if c.markings:
            self.pdf.set_text_color(*MARK_RED)
            canvas.text(LEFT + 122, TOP + 18.5, 46, " · ".join(c.markings), 6, bold=True)
            self.pdf.set_text_color(0, 0, 0)
        canvas.text(LEFT + 122, TOP + 1.5, 45, "Reference No.", LABEL_SIZE, bold=True)
        canvas.text(LEFT + 122, TOP + 4.5, 46, c.number, 10, bold=True)
        canvas.text(LEFT + 122, TOP + 11, 46, c.issued_in, 6.5, bold=True)
        if self.qr_image is not None:
            self.pdf.image(self.qr_image, x=LEFT + WIDTH - 23, y=TOP + 0.5, w=23, h=23)
        return TOP + 26

    def annex_pages(self, y: float) -> None:
        for entry in self.annex:
            step = line_height(entry.size)
            label_h = line_height(LABEL_SIZE) + 1
            lines = list(entry.lines)
            first = True
            while lines:
                room = int((PAGE_BOTTOM - y - label_h - 2) // step)
                if room < 1:
                    y = self.continuation_page()
                    continue
                chunk, lines = lines[:room], lines[room:]
                label = entry.label if first else f"{entry.label}, further"
                y = self.canvas.text(LEFT + PAD, y + 1, WIDTH, label, LABEL_SIZE, bold=True)
                y = self.canvas.draw_lines(LEFT + PAD, y, WIDTH - 2 * PAD, chunk, entry.size) + 1
                first = False

    # -- every page ------------------------------------------------------------------------
    def footer(self) -> None:
        """Drawn by fpdf2 as each page ends: page x of y, the digest, the watermark, and a
        notice when this page has characters the fonts could not show."""
        page = self.pdf.page_no()
        footer = f"Certificate No. {self.c.number} — page {page} of {{nb}}"
        if self.digest:
            footer += f" — digest {self.digest}"
        # fpdf2 fills in the page count ({nb}) only in text it did not shape; the footer is
        # ASCII and needs no shaping.
        self.pdf.set_text_shaping(False)
        self.canvas.font(6)
        self.pdf.set_xy(LEFT, PAGE_BOTTOM + 1.5)
        self.pdf.cell(WIDTH, line_height(6), footer, align="C")
        self.pdf.set_text_shaping(True)
        missing = sum(self.canvas.coverage.missing.values())
        if missing > self.missing_before_page:
            notice = (
                f"{missing - self.missing_before_page} character(s) on this page could not be "
                f"shown with the embedded fonts and are printed as {REPLACEMENT}; the electronic "
                "certificate holds the exact text."
            )
            self.pdf.set_text_color(*MARK_RED)
            self.canvas.text(LEFT, PAGE_BOTTOM + 4.5, WIDTH, notice, 6, bold=True, align="C")
            self.pdf.set_text_color(0, 0, 0)
        self.missing_before_page = missing
        if self.c.status != "ISSUED":
            self.watermark()

    def watermark(self) -> None:
        word = self.c.status.replace("_", " ")
        self.canvas.font(76, bold=True)
        self.pdf.set_text_color(*MARK_RED)
        with (
            self.pdf.local_context(fill_opacity=0.22, stroke_opacity=0.22),
            self.pdf.rotation(angle=52, x=105, y=150),
        ):
            width = self.pdf.get_string_width(word)
            self.pdf.set_xy(105 - width / 2, 140)
            self.pdf.cell(width, 20, word)
        self.pdf.set_text_color(0, 0, 0)


def render_certificate(
    doc: CODocument,
    *,
    profile: AgreementProfile | None = None,
    status: str | None = None,
    verification_url: str | None = None,
    digest: str | None = None,
    fallback_fonts: tuple[Path, ...] = (),
    created_at: datetime | None = None,
) -> RenderedPdf:
    """Render ``doc`` as the printed certificate.

    ``status`` overrides the document's (a node passes the effective status, e.g. EXPIRED
    once validity has ended). The QR code holds ``verification_url`` with ``?d=<digest>``; with
    no URL the certification box says that no verification address is recorded."""
    content = form_content(doc, profile, status=status)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(LEFT, TOP, LEFT)
    coverage = install_fonts(pdf, fallback_fonts)
    payload = (
        verification_payload(verification_url, digest) if verification_url and digest else None
    )
    renderer = _Renderer(content, coverage, pdf, payload, digest)
    renderer.first_page()
    table = ItemsTable(renderer.canvas, content.items)
    y = table.draw(
        first_top=renderer.items_top,
        first_bottom=206.0,
        page_bottom=PAGE_BOTTOM,
        new_page=renderer.continuation_page,
    )
    if renderer.annex:
        renderer.annex_pages(y if pdf.page > 1 else renderer.continuation_page())
    _metadata(pdf, content, doc, digest, coverage, created_at)
    data = bytes(pdf.output())
    if coverage.missing:
        log.warning(
            "certificate %s: %d character(s) not in the embedded fonts, printed as U+FFFD: %s",
            content.number,
            sum(coverage.missing.values()),
            coverage.missing_summary(),
        )
    return RenderedPdf(data, pdf.pages_count, payload, dict(coverage.missing))


def _metadata(
    pdf: FPDF,
    content: FormContent,
    doc: CODocument,
    digest: str | None,
    coverage: Coverage,
    created_at: datetime | None,
) -> None:
    pdf.set_title(f"{content.form_title} certificate of origin {content.number}")
    pdf.set_subject(f"Certificate of origin {content.number}, status {content.status}")
    pdf.set_author(doc.certificate.parties.issuing_authority.name)
    pdf.set_creator("OriginLink")
    keywords = [f"certificate-number={content.number}", f"status={content.status}"]
    if digest:
        keywords.append(f"digest={digest}")
    if coverage.missing:
        keywords.append(f"missing-glyphs={coverage.missing_summary()}")
    pdf.set_keywords("; ".join(keywords))
    when = created_at or doc.certificate.issue_datetime
    if when is not None:
        pdf.set_creation_date(when)
