"""``bench render``: the printed certificate of a 999-item CO, against a bare fpdf2 table.

The full operation is :func:`~originlink.formats.pdf.render_certificate` of an issued RCEP CO
of ``items`` goods items (999 by default, the dataset's maximum) in the Form RCEP layout, with
the QR code: every text checked against the fonts, measured, wrapped and fitted to its box,
the boxes and overleaf notes drawn, the items spread over continuation sheets, and the PDF
written. The raw operation writes the same item texts with bare fpdf2 — one ``text`` call per
line at fixed places on as many A4 pages, the same embedded font, no measuring, no boxes — and
outputs the PDF: what putting those glyphs on pages costs at the least. The target is a 999-item
CO in at most 3 seconds on the project's 2-core machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from fpdf import FPDF

from originlink.bench.sign import typical_co
from originlink.domain.dataset import CODocument
from originlink.domain.profiles import bundled_profiles
from originlink.formats.pdf import render_certificate
from originlink.formats.pdf.content import item_rows
from originlink.formats.pdf.fonts import FAMILY, REGULAR
from originlink.formats.pdf.layouts import layout_named

#: A 999-item CO must render within this many seconds (issue 20).
TARGET_SECONDS = 3.0
_URL = "https://verify.customs.example.sg/verify/SG/RCEP-SG-2025-000123"
_DIGEST = "t3uMMLDlDq-gpa7i0LYS2UDSJIuuTLY7w5wFosIrRnw"


@dataclass(frozen=True, slots=True)
class RenderBenchmark:
    items: int
    pages: int
    pdf_bytes: int
    runs: int
    render_s: float
    render_first_s: float
    raw_s: float

    @property
    def ratio_to_raw(self) -> float:
        """Cost of the printed certificate in bare fpdf2 tables of the same texts."""
        return self.render_s / self.raw_s

    @property
    def within_target(self) -> bool:
        return self.render_s <= TARGET_SECONDS

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            key: round(value, 3) if isinstance(value, float) else value
            for key, value in asdict(self).items()
        }
        out["ratio_to_raw"] = round(self.ratio_to_raw, 2)
        out["target_s"] = TARGET_SECONDS
        out["within_target"] = self.within_target
        return out


def _render(doc: CODocument) -> tuple[int, int]:
    pdf = render_certificate(
        doc, profile=bundled_profiles().require("RCEP"), verification_url=_URL, digest=_DIGEST
    )
    return pdf.pages, len(pdf.data)


def _raw(doc: CODocument, pages: int) -> None:
    """The same item texts written line by line with bare fpdf2 on ``pages`` pages."""
    layout = layout_named("form-rcep")
    rows = item_rows(doc.certificate)
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(REGULAR))
    per_page = -(-len(rows) // pages)
    for start in range(0, len(rows), per_page):
        pdf.add_page()
        pdf.set_font(FAMILY, "", 7)
        y = 20.0
        for row in rows[start : start + per_page]:
            x, height = 10.0, 0
            for column in layout.columns:
                lines = row.cell(column.content).split("\n")
                for number, line in enumerate(lines):
                    pdf.text(x + 1, y + 3 + 3 * number, line)
                height = max(height, len(lines))
                x += column.width
            y += 3 * height + 1
    pdf.output()


def _best(operation: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        operation()
        best = min(best, time.perf_counter() - start)
    return best


#: The phases :func:`run` reports to ``step``, in order.
PHASES = ("first render", "render", "raw fpdf2 table")


def run(
    *, quick: bool = False, items: int = 999, step: Callable[[str], None] | None = None
) -> RenderBenchmark:
    """Measure: the first render (fonts read, caches cold), then the best of several runs of
    each operation (``quick``: two, else five). ``step`` is told of each phase (progress)."""
    runs = 2 if quick else 5
    doc = typical_co(items)
    tell = step or (lambda _phase: None)
    tell(PHASES[0])
    start = time.perf_counter()
    pages, size = _render(doc)
    first = time.perf_counter() - start
    tell(PHASES[1])
    render_s = _best(lambda: _render(doc), runs)
    tell(PHASES[2])
    raw_s = _best(lambda: _raw(doc, pages), runs)
    return RenderBenchmark(
        items=items,
        pages=pages,
        pdf_bytes=size,
        runs=runs,
        render_s=render_s,
        render_first_s=first,
        raw_s=raw_s,
    )
