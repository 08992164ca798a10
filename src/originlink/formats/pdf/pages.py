"""The pages of a printed certificate: the face of the form, its back (overleaf notes, and the
verification boxes of an EUR.1), continuation sheets and what every page carries.

Each box of the layout is drawn by its kind. Boxes reserved for the importing customs show only
the form's printed choices and signature line; text too long for its box is continued on a
continuation sheet ("Box 1 (continued)"), never cut.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from fpdf import FPDF

from originlink.formats.pdf.canvas import LABEL_SIZE, PAD, Canvas, line_height
from originlink.formats.pdf.fonts import REPLACEMENT
from originlink.formats.pdf.form import FormContent
from originlink.formats.pdf.layouts import Box
from originlink.formats.pdf.layouts.base import CONTINUATION_WORDS
from originlink.formats.pdf.qr import qr_png

LEFT, TOP, WIDTH = 10.0, 10.0, 190.0
PAGE_BOTTOM = 284.0
MARK_RED = (176, 0, 32)
STATEMENT_SIZES = (7.0, 6.4, 5.8, 5.2)
#: A reserved box's line starting with this gets a tick box.
TICK = "□ "


@dataclass(frozen=True, slots=True)
class _Annex:
    label: str
    lines: list[str]
    size: float


class FormPages:
    def __init__(
        self, content: FormContent, canvas: Canvas, qr_payload: str | None, digest: str | None
    ) -> None:
        self.c = content
        self.layout = content.layout
        self.canvas = canvas
        self.pdf: FPDF = canvas.pdf
        self.qr_payload = qr_payload
        self.qr_image = io.BytesIO(qr_png(qr_payload)) if qr_payload else None
        self.digest = digest
        self.annex: list[_Annex] = []
        self.back_done = False
        self.missing_before_page = 0
        self.pdf.footer = self.footer  # type: ignore[method-assign]

    # -- the face ---------------------------------------------------------------------------
    def face(self) -> None:
        self.pdf.add_page()
        draw = {
            "text": self.text_box,
            "header": self.header_box,
            "reserved": self.reserved_box,
            "declaration": self.declaration_box,
            "certification": self.certification_box,
            "ticks": self.ticks_box,
            "static": self.static_box,
        }
        for box in self.layout.boxes:
            draw[box.kind](box)
        y = max(box.y + box.h for box in self.layout.boxes)
        for note in self.layout.footnotes:
            y = self.canvas.text(LEFT + PAD, y + 0.4, WIDTH - 2 * PAD, note, 5.6)

    def _fitted(self, x: float, top: float, w: float, bottom: float, text: str, name: str) -> None:
        fit = self.canvas.fit(text, w - 2 * PAD, bottom - top - 0.6)
        lines = list(fit.lines)
        if fit.overflow:
            lines.append(f"… continued on the continuation sheet ({name})")
            self.annex.append(_Annex(f"{name} (continued)", fit.overflow, fit.size))
        self.canvas.draw_lines(x + PAD, top, w - 2 * PAD, lines, fit.size)

    def _box_name(self, box: Box) -> str:
        return f"Box {box.number}" if box.number else box.label.rstrip(":")

    def text_box(self, box: Box) -> None:
        canvas = self.canvas
        top = canvas.box(box.x, box.y, box.w, box.h, box.title)
        if box.markings:
            top = self.markings(box.x, top, box.w)
        bottom = box.y + box.h
        if box.options:
            note = canvas.lines("\n".join(box.options), box.w - 2 * PAD, 5.2)
            bottom -= len(note) * line_height(5.2) + 0.6
            canvas.draw_lines(box.x + PAD, bottom + 0.3, box.w - 2 * PAD, note, 5.2)
        text = self.c.texts.get(box.content, "")
        self._fitted(box.x, top, box.w, bottom, text, self._box_name(box))

    def static_box(self, box: Box) -> None:
        self.canvas.box(box.x, box.y, box.w, box.h, box.title)

    def markings(self, x: float, y: float, w: float) -> float:
        """The markings in red capitals at ``y``; returns the y below them."""
        if not self.c.markings:
            return y
        self.pdf.set_text_color(*MARK_RED)
        for marking in self.c.markings:
            y = self.canvas.text(x + PAD, y, w - 2 * PAD, marking, 9, bold=True, align="C")
        self.pdf.set_text_color(0, 0, 0)
        return y + 0.6

    def header_box(self, box: Box) -> None:
        c, canvas, layout = self.c, self.canvas, self.layout
        canvas.frame(box.x, box.y, box.w, box.h)
        inner = box.w - 2 * PAD
        y = canvas.text(box.x + PAD, box.y + 0.6, inner, layout.number_label, LABEL_SIZE, bold=True)
        size = 12.0 if canvas.width(c.number, 12, bold=True) <= inner else 9.0
        y = canvas.text(box.x + PAD, y, inner, c.number, size, bold=True) + 1.5
        for index, line in enumerate(layout.title_lines):
            text = line.format(country=c.issuing_country, agreement=c.agreement_name)
            big = index == layout.emphasis
            size = 12.0 if big else 7.6
            y = canvas.text(box.x + PAD, y + 0.3, inner, text, size, bold=big, align="C")
        if layout.issued_in:
            issued = layout.issued_in.format(country=c.issuing_country)
            y = canvas.text(box.x + PAD, y + 1.2, inner, issued, 7.6, bold=True, align="C")
        if layout.header_note:
            y = canvas.text(box.x + PAD, y + 0.6, inner, layout.header_note, 6.2, align="C")
        if box.markings:
            self.markings(box.x, y + 1, box.w)

    def reserved_box(self, box: Box) -> None:
        """A box for the importing customs: its printed choices, no data from the CO."""
        canvas = self.canvas
        y = canvas.box(box.x, box.y, box.w, box.h, box.title) + 0.4
        for option in box.options:
            if not option.startswith(TICK):
                y = canvas.text(box.x + PAD, y, box.w - 2 * PAD, option, 6.2) + 0.4
                continue
            lines = canvas.lines(option.removeprefix(TICK), box.w - 2 * PAD - 5, 6.2)
            canvas.tick(box.x + PAD, y, "", False, size=6.2)
            y = canvas.draw_lines(box.x + PAD + 4.2, y + 0.2, box.w - 2 * PAD - 5, lines, 6.2)
            y += 0.8
        if box.caption:
            canvas.signature_line(box.x, box.y + box.h, box.w, box.caption)

    def declaration_box(self, box: Box) -> None:
        c, canvas = self.c, self.canvas
        top = canvas.box(box.x, box.y, box.w, box.h, box.title)
        text = f"{c.declaration}\n\n{c.declaration_signature}"
        self._statement(box, top, box.w, text, 7.5)
        canvas.signature_line(box.x, box.y + box.h, box.w, box.caption)

    def _statement(self, box: Box, top: float, w: float, text: str, reserve: float) -> None:
        bottom = box.y + box.h - reserve
        fit = self.canvas.fit(text, w - 2 * PAD, bottom - top, STATEMENT_SIZES)
        lines = list(fit.lines)
        if fit.overflow:
            name = self._box_name(box)
            lines.append(f"… continued on the continuation sheet ({name})")
            self.annex.append(_Annex(f"{name} (continued)", fit.overflow, fit.size))
        self.canvas.draw_lines(box.x + PAD, top, w - 2 * PAD, lines, fit.size)

    def certification_box(self, box: Box) -> None:
        """The form's statement and the certifying body beside the QR code, then in plain words
        who signed electronically, when, and where to check it."""
        c, canvas = self.c, self.canvas
        top = canvas.box(box.x, box.y, box.w, box.h, box.title)
        qr = min(26.0, box.h - 22) if self.qr_image is not None else 0.0
        words_lines = canvas.lines(c.signed_words, box.w - 2 * PAD, 6.0, bold=True)
        words_h = len(words_lines) * line_height(6.0)
        words_top = box.y + box.h - 5.2 - words_h
        parts = [c.certification, c.certification_signature, c.texts.get("official", "")]
        text = "\n".join(p for p in parts if p)
        text_w = box.w - (qr + 1.5 if qr else 0)
        fake = Box(box.number, box.label, box.x, box.y, box.w, words_top - box.y - 0.5)
        self._statement(fake, top, text_w, text, 0)
        if self.qr_image is not None:
            self.pdf.image(self.qr_image, x=box.x + box.w - qr - 1, y=top, w=qr, h=qr)
        canvas.draw_lines(box.x + PAD, words_top, box.w - 2 * PAD, words_lines, 6.0, bold=True)
        canvas.signature_line(box.x, box.y + box.h, box.w, box.caption)

    def ticks_box(self, box: Box) -> None:
        canvas = self.canvas
        canvas.frame(box.x, box.y, box.w, box.h)
        label = f"{box.number}." if box.number else ""
        cx = box.x + PAD + canvas.width(label, 7, bold=True) + 2
        canvas.text(box.x + PAD, box.y + 0.8, 8, label, 7, bold=True)
        start, cy = cx, box.y + 0.9
        for tick in self.c.ticks:
            width = canvas.width(tick.label, 6.5, bold=tick.ticked) + 8
            if cx + width > box.x + box.w and cx > start:
                cx, cy = start, cy + 3.9
            cx = canvas.tick(cx, cy, tick.label, tick.ticked)

    # -- the back -------------------------------------------------------------------------
    def back(self) -> None:
        """The back of the form: its reverse boxes (EUR.1) and notes, on the page after the
        face, as they are printed overleaf on paper."""
        self.back_done = True
        layout = self.layout
        if not layout.overleaf and not layout.reverse:
            return
        self.pdf.add_page()
        canvas = self.canvas
        title = f"{layout.short_title} — {self.c.number}"
        canvas.text(LEFT, TOP, WIDTH, title, 7, bold=True, align="R")
        y = TOP + 5.0
        for box in layout.reverse:
            self.reserved_box(box)
            y = max(y, box.y + box.h + 4)
        y = canvas.text(LEFT, y, WIDTH, layout.overleaf_title, 11, bold=True, align="C") + 2
        for paragraph in layout.overleaf:
            lines = canvas.lines(paragraph, WIDTH - 2 * PAD, 7.2)
            if y + len(lines) * line_height(7.2) > PAGE_BOTTOM:
                self.pdf.add_page()
                y = TOP
            y = canvas.draw_lines(LEFT + PAD, y, WIDTH - 2 * PAD, lines, 7.2) + 1.4

    # -- continuation sheets --------------------------------------------------------------
    def continuation_page(self) -> float:
        if not self.back_done:
            self.back()
        c, canvas = self.c, self.canvas
        heading, part_of = CONTINUATION_WORDS[self.layout.language]
        self.pdf.add_page()
        canvas.frame(LEFT, TOP, WIDTH, 24)
        title = self.layout.short_title.upper()
        size = 12.0 if len(title) <= 24 else 8.0
        y = canvas.text(LEFT + PAD, TOP + 1.5, 118, title, size, bold=True)
        y = canvas.text(LEFT + PAD, y + 0.3, 118, heading, 9, bold=True)
        y = canvas.text(LEFT + PAD, y + 0.3, 118, c.agreement_name, 6.5)
        canvas.text(LEFT + PAD, y + 0.3, 118, part_of.format(number=c.number), 5.8)
        if c.markings:
            self.pdf.set_text_color(*MARK_RED)
            canvas.text(LEFT + 122, TOP + 17.5, 46, " · ".join(c.markings), 6, bold=True)
            self.pdf.set_text_color(0, 0, 0)
        canvas.text(LEFT + 122, TOP + 1.5, 45, self.layout.number_label, LABEL_SIZE, bold=True)
        canvas.text(LEFT + 122, TOP + 4.5, 46, c.number, 10, bold=True)
        canvas.text(LEFT + 122, TOP + 11, 46, f"Issued in {c.issuing_country}", 6.5, bold=True)
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

    # -- every page -------------------------------------------------------------------------
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
        self.pdf.set_font("DejaVuSansCondensed", "", 6)
        self.pdf.set_xy(LEFT, PAGE_BOTTOM + 1.5)
        self.pdf.cell(WIDTH, line_height(6), footer, align="C")
        self.pdf.set_text_shaping(True)
        missing = sum(self.canvas.fonts.missing.values())
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
        self.pdf.set_font("DejaVuSansCondensed", "B", 76)
        self.pdf.set_text_color(*MARK_RED)
        with (
            self.pdf.local_context(fill_opacity=0.22, stroke_opacity=0.22),
            self.pdf.rotation(angle=52, x=105, y=150),
        ):
            width = self.pdf.get_string_width(word)
            self.pdf.set_xy(105 - width / 2, 140)
            self.pdf.cell(width, 20, word)
        self.pdf.set_text_color(0, 0, 0)
