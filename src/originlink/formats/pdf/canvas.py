"""Drawing primitives of the form: labelled boxes, wrapped text that fits its box, tick boxes.

Every string passes through the :class:`~.typeset.Typesetter`, which replaces characters no
font can show (when the caller allowed that) before measuring, so what is measured is what is
drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf import FPDF

from originlink.formats.pdf.fonts import FontSet
from originlink.formats.pdf.typeset import Align, Typesetter, line_height

#: Padding inside boxes, mm.
PAD = 1.2
LABEL_SIZE = 5.6
TEXT_SIZES = (8.0, 7.0, 6.2, 5.5)
INK = (0, 0, 0)
FRAME = (40, 40, 40)
GREY = (120, 120, 120)

__all__ = ["LABEL_SIZE", "PAD", "TEXT_SIZES", "Align", "Canvas", "Fit", "line_height"]


@dataclass
class Fit:
    """Text fitted into a box: the size chosen, the lines that fit, the lines that did not."""

    size: float
    lines: list[str]
    overflow: list[str] = field(default_factory=list)


class Canvas:
    def __init__(self, pdf: FPDF, fonts: FontSet) -> None:
        self.pdf = pdf
        self.fonts = fonts
        self.type = Typesetter(pdf, fonts)

    def lines(self, text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
        """``text`` wrapped to ``width`` mm at ``size`` pt (paragraphs kept)."""
        return self.type.wrap(text, width, size, bold=bold)

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        return self.type.width(self.fonts.clean(text), size, bold=bold)

    def fit(
        self, text: str, width: float, height: float, sizes: tuple[float, ...] = TEXT_SIZES
    ) -> Fit:
        """The largest of ``sizes`` at which ``text`` fits; at the smallest, what does not fit
        is returned as overflow (the caller prints it on a continuation sheet)."""
        lines: list[str] = []
        for size in sizes:
            lines = self.lines(text, width, size)
            if len(lines) * line_height(size) <= height:
                return Fit(size, lines)
        size = sizes[-1]
        room = max(int(height // line_height(size)) - 1, 0)
        return Fit(size, lines[:room], lines[room:])

    def draw_lines(
        self,
        x: float,
        y: float,
        width: float,
        lines: list[str],
        size: float,
        *,
        bold: bool = False,
        align: Align = "L",
    ) -> float:
        """Draw pre-wrapped lines from the top-left corner; return the y below them."""
        step = line_height(size)
        for line in lines:
            self.type.draw(x, y, width, line, size, bold=bold, align=align)
            y += step
        return y

    def text(
        self,
        x: float,
        y: float,
        width: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: Align = "L",
    ) -> float:
        return self.draw_lines(
            x, y, width, self.lines(text, width, size, bold=bold), size, bold=bold, align=align
        )

    def frame(self, x: float, y: float, w: float, h: float, *, width: float = 0.25) -> None:
        self.pdf.set_draw_color(*FRAME)
        self.pdf.set_line_width(width)
        self.pdf.rect(x, y, w, h)

    def box(self, x: float, y: float, w: float, h: float, label: str) -> float:
        """A framed box with its small bold label; returns the y where content starts."""
        self.frame(x, y, w, h)
        self.pdf.set_text_color(*INK)
        if not label:
            return y + 0.6
        return self.text(x + PAD, y + 0.6, w - 2 * PAD, label, LABEL_SIZE, bold=True) + 0.4

    def tick(self, x: float, y: float, label: str, ticked: bool, *, size: float = 6.5) -> float:
        """A square tick box and its label; returns the x after the label."""
        side = 2.8
        self.frame(x, y + 0.2, side, side, width=0.25)
        if ticked:
            self.pdf.set_line_width(0.45)
            self.pdf.line(x + 0.5, y + 1.7, x + 1.2, y + 2.6)
            self.pdf.line(x + 1.2, y + 2.6, x + 2.5, y + 0.6)
        width = self.width(label, size, bold=ticked) + 1.5
        self.type.draw(x + side + 0.8, y + 0.1, width, label, size, bold=ticked)
        return x + side + 0.8 + width + 2.5

    def signature_line(self, x: float, bottom: float, w: float, caption: str) -> None:
        """A dotted line near the bottom of a box with its caption under it."""
        self.pdf.set_draw_color(*GREY)
        self.pdf.set_line_width(0.15)
        self.pdf.set_dash_pattern(dash=0.8, gap=0.6)
        self.pdf.line(x + PAD, bottom - 4.2, x + w - PAD, bottom - 4.2)
        self.pdf.set_dash_pattern()
        self.text(x + PAD, bottom - 3.9, w - 2 * PAD, caption, 5.2)
