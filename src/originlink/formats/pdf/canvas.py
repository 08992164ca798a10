"""Drawing primitives of the form: labelled boxes, wrapped text that fits its box, tick boxes.

Every string passes through :meth:`Canvas.lines`, which replaces characters no embedded font
can show (see :mod:`.fonts`) before measuring, so what is measured is what is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from originlink.formats.pdf.fonts import FAMILY, Coverage

#: Millimetres per typographic point.
PT = 25.4 / 72
#: Padding inside boxes, mm.
PAD = 1.2
LABEL_SIZE = 5.6
TEXT_SIZES = (8.0, 7.0, 6.2, 5.5)
INK = (0, 0, 0)
FRAME = (40, 40, 40)
Align = Literal["L", "C", "R"]


def line_height(size: float) -> float:
    return size * PT * 1.18


@dataclass
class Fit:
    """Text fitted into a box: the size chosen, the lines that fit, the lines that did not."""

    size: float
    lines: list[str]
    overflow: list[str] = field(default_factory=list)


class Canvas:
    def __init__(self, pdf: FPDF, coverage: Coverage) -> None:
        self.pdf = pdf
        self.coverage = coverage
        pdf.c_margin = 0.6

    def font(self, size: float, *, bold: bool = False) -> None:
        self.pdf.set_font(FAMILY, "B" if bold else "", size)

    def lines(self, text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
        """``text`` wrapped to ``width`` mm at ``size`` pt (paragraphs kept)."""
        if not text:
            return []
        self.font(size, bold=bold)
        result = self.pdf.multi_cell(
            width,
            line_height(size),
            self.coverage.clean(text),
            dry_run=True,
            output=MethodReturnValue.LINES,
        )
        assert isinstance(result, list)
        return [str(line) for line in result]

    def fit(
        self, text: str, width: float, height: float, sizes: tuple[float, ...] = TEXT_SIZES
    ) -> Fit:
        """The largest of ``sizes`` at which ``text`` fits; at the smallest, what does not fit
        is returned as overflow (the caller prints it on a continuation sheet)."""
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
        self.font(size, bold=bold)
        step = line_height(size)
        for line in lines:
            self.pdf.set_xy(x, y)
            self.pdf.cell(width, step, line, align=align)
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
        return self.text(x + PAD, y + 0.6, w - 2 * PAD, label, LABEL_SIZE, bold=True) + 0.4

    def tick(self, x: float, y: float, label: str, ticked: bool, *, size: float = 6.5) -> float:
        """A square tick box and its label; returns the x after the label."""
        side = 2.8
        self.frame(x, y + 0.2, side, side, width=0.25)
        if ticked:
            self.pdf.set_line_width(0.45)
            self.pdf.line(x + 0.5, y + 1.7, x + 1.2, y + 2.6)
            self.pdf.line(x + 1.2, y + 2.6, x + 2.5, y + 0.6)
        self.font(size, bold=ticked)
        text = self.coverage.clean(label)
        width = self.pdf.get_string_width(text) + 1.5
        self.pdf.set_xy(x + side + 0.8, y)
        self.pdf.cell(width, 3.2, text)
        return x + side + 0.8 + width + 2.5
