"""The items table of a form, laid out over page 1 and as many continuation sheets as needed.

Rows are measured before they are drawn. A row that does not fit what is left of a page moves
to the next sheet; a row taller than a whole sheet (a 2,048-character description) is split
line by line and carries on, marked "(continued)", so no text is ever cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from originlink.formats.pdf.canvas import PAD, Canvas, line_height
from originlink.formats.pdf.content import ItemRow
from originlink.formats.pdf.layouts import Column

LEFT = 10.0
ROW_SIZE = 7.0
HEADER_SIZE = 5.4
NO_FURTHER_ITEMS = "*** NO FURTHER ITEMS ***"
#: Called after each row is placed: (rows placed, rows in all).
RowProgress = Callable[[int, int], None]


class ItemsTable:
    def __init__(
        self,
        canvas: Canvas,
        columns: Sequence[Column],
        rows: Sequence[ItemRow],
        *,
        on_row: RowProgress | None = None,
    ) -> None:
        self.canvas = canvas
        self.columns = tuple(columns)
        self.rows = rows
        self.step = line_height(ROW_SIZE)
        self.width = sum(column.width for column in self.columns)
        self.on_row = on_row
        headings = [
            canvas.lines(column.title, column.width - 1, HEADER_SIZE, bold=True)
            for column in self.columns
        ]
        self.headings = headings
        self.header_height = max(len(lines) for lines in headings) * line_height(HEADER_SIZE) + 1.6

    def _text_x(self) -> float:
        """Where the goods are described: the closing line is written there."""
        x = LEFT
        for column in self.columns:
            if column.content in {"description", "description_hs", "eur1_goods"}:
                return x
            x += column.width
        return LEFT

    def _cells(self, row: ItemRow) -> list[list[str]]:
        return [
            self.canvas.lines(row.cell(column.content), column.width - 2 * PAD, ROW_SIZE)
            for column in self.columns
        ]

    def _header(self, y: float) -> float:
        x = LEFT
        for column, lines in zip(self.columns, self.headings, strict=True):
            self.canvas.frame(x, y, column.width, self.header_height)
            self.canvas.draw_lines(
                x + 0.5, y + 0.7, column.width - 1, lines, HEADER_SIZE, bold=True
            )
            x += column.width
        return y + self.header_height

    def _rules(self, top: float, bottom: float) -> None:
        """The column rules and the frame of the table body between ``top`` and ``bottom``."""
        x = LEFT
        for column in self.columns:
            self.canvas.frame(x, top, column.width, bottom - top)
            x += column.width

    def _draw_row(self, cells: list[list[str]], y: float, height: float) -> None:
        x = LEFT
        for lines, column in zip(cells, self.columns, strict=True):
            self.canvas.draw_lines(x + PAD, y + 0.8, column.width - 2 * PAD, lines, ROW_SIZE)
            x += column.width
        pdf = self.canvas.pdf
        pdf.set_draw_color(170, 170, 170)
        pdf.set_line_width(0.1)
        pdf.line(LEFT, y + height, LEFT + self.width, y + height)

    def draw(
        self,
        *,
        first_top: float,
        first_bottom: float,
        page_bottom: float,
        new_page: Callable[[], float],
        trailer: ItemRow | None = None,
    ) -> float:
        """Draw every row, then ``trailer`` (which then carries the closing line, and e.g. the
        remarks of a form without a remarks box) or the closing line; return the y below the
        table on the last page."""
        top = self._header(first_top)
        bottom = first_bottom
        y = top
        rows = list(self.rows) + ([trailer] if trailer is not None else [])
        pending = [(self._cells(row), row.number) for row in rows]
        total, placed = len(self.rows), 0
        while pending:
            cells, number = pending[0]
            height = max(len(lines) for lines in cells) * self.step + 1.6
            if y + height <= bottom - self.step - 1.2:
                self._draw_row(cells, y, height)
                y += height
                pending.pop(0)
                placed += 1
                if self.on_row is not None and placed <= total:
                    self.on_row(placed, total)
                continue
            room = int((bottom - y - 2.8) // self.step) - 1
            if y == top and room >= 1:
                head = [lines[:room] for lines in cells]
                rest = [lines[room:] for lines in cells]
                rest[0] = self.canvas.lines(
                    f"{number} (cont.)", self.columns[0].width - 2 * PAD, ROW_SIZE
                )
                self._draw_row(head, y, room * self.step + 1.6)
                y += room * self.step + 1.6
                pending[0] = (rest, number)
            strip = self.step + 1.2
            self._rules(top, bottom - strip)
            self.canvas.frame(LEFT, bottom - strip, self.width, strip)
            note = f"Continued on the next sheet: {len(pending)} more item(s) or parts of items."
            self.canvas.text(LEFT + PAD, bottom - strip + 0.5, 150, note, 6.2, bold=True)
            top = self._header(new_page())
            bottom = page_bottom
            y = top
        if trailer is None:
            self.canvas.text(self._text_x() + PAD, y + 0.5, 80, NO_FURTHER_ITEMS, 6.2, bold=True)
            y += self.step + 1
        if bottom == first_bottom:
            self._rules(top, bottom)
            return bottom
        self._rules(top, y)
        return y + 2
