"""The items table (boxes 6-13), laid out over page 1 and as many continuation sheets as needed.

Rows are measured before they are drawn. A row that does not fit what is left of a page moves
to the next sheet; a row taller than a whole sheet (a 2,048-character description) is split
line by line and carries on, marked "(continued)", so no text is ever cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from originlink.formats.pdf.canvas import PAD, Canvas, line_height
from originlink.formats.pdf.content import ItemRow

LEFT = 10.0
#: (box number, heading, width in mm); the widths add up to the 190 mm of the form.
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("6", "Item No.", 9.0),
    ("7", "Marks and numbers on packages", 22.0),
    ("8", "Number and kind of packages; description of goods", 60.0),
    ("9", "HS code", 17.0),
    ("10", "Origin criterion", 17.0),
    ("11", "Country of origin", 13.0),
    ("12", "Quantity, weight; FOB value", 28.0),
    ("13", "Invoice number and date", 24.0),
)
ROW_SIZE = 7.0
HEADER_SIZE = 5.4
HEADER_HEIGHT = 10.0


class ItemsTable:
    def __init__(self, canvas: Canvas, rows: Sequence[ItemRow]) -> None:
        self.canvas = canvas
        self.rows = rows
        self.step = line_height(ROW_SIZE)

    def _cells(self, row: ItemRow) -> list[list[str]]:
        return [
            self.canvas.lines(text, width - 2 * PAD, ROW_SIZE)
            for text, (_, _, width) in zip(row.cells(), COLUMNS, strict=True)
        ]

    def _header(self, y: float) -> float:
        x = LEFT
        for number, heading, width in COLUMNS:
            self.canvas.frame(x, y, width, HEADER_HEIGHT)
            self.canvas.text(
                x + 0.5, y + 0.7, width - 1, f"{number}. {heading}", HEADER_SIZE, bold=True
            )
            x += width
        return y + HEADER_HEIGHT

    def _rules(self, top: float, bottom: float) -> None:
        """The column rules and the frame of the table body between ``top`` and ``bottom``."""
        x = LEFT
        for _, _, width in COLUMNS:
            self.canvas.frame(x, top, width, bottom - top)
            x += width

    def _draw_row(self, cells: list[list[str]], y: float, height: float) -> None:
        x = LEFT
        for lines, (_, _, width) in zip(cells, COLUMNS, strict=True):
            self.canvas.draw_lines(x + PAD, y + 0.8, width - 2 * PAD, lines, ROW_SIZE)
            x += width
        self.canvas.pdf.set_draw_color(170, 170, 170)
        self.canvas.pdf.set_line_width(0.1)
        self.canvas.pdf.line(LEFT, y + height, LEFT + sum(w for _, _, w in COLUMNS), y + height)

    def draw(
        self,
        *,
        first_top: float,
        first_bottom: float,
        page_bottom: float,
        new_page: Callable[[], float],
    ) -> float:
        """Draw every row; return the y below the table on the last page."""
        top = self._header(first_top)
        bottom = first_bottom
        y = top
        pending = [(self._cells(row), row.number) for row in self.rows]
        while pending:
            cells, number = pending[0]
            height = max(len(lines) for lines in cells) * self.step + 1.6
            if y + height <= bottom - self.step - 1.2:
                self._draw_row(cells, y, height)
                y += height
                pending.pop(0)
                continue
            room = int((bottom - y - 2.8) // self.step) - 1
            if y == top and room >= 1:
                head = [lines[:room] for lines in cells]
                rest = [lines[room:] for lines in cells]
                rest[0] = self.canvas.lines(f"{number} (cont.)", COLUMNS[0][2] - 2 * PAD, ROW_SIZE)
                self._draw_row(head, y, room * self.step + 1.6)
                y += room * self.step + 1.6
                pending[0] = (rest, number)
            strip = self.step + 1.2
            self._rules(top, bottom - strip)
            self.canvas.frame(LEFT, bottom - strip, sum(w for _, _, w in COLUMNS), strip)
            note = f"Continued on the next sheet: {len(pending)} more item(s) or parts of items."
            self.canvas.text(LEFT + PAD, bottom - strip + 0.5, 150, note, 6.2, bold=True)
            top = self._header(new_page())
            bottom = page_bottom
            y = top
        self.canvas.text(LEFT + 31 + PAD, y + 0.5, 60, "*** NO FURTHER ITEMS ***", 6.2, bold=True)
        y += self.step + 1
        if bottom == first_bottom:
            self._rules(top, bottom)
            return bottom
        self._rules(top, y)
        return y + 2
