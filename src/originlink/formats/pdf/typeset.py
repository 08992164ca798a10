"""Measuring, wrapping and drawing text in every script, fast enough for a 999-item certificate.

fpdf2's ``multi_cell`` and ``cell`` shape every string with HarfBuzz and split it into
fragments; for the thousands of short strings of a long items table that is where 40 seconds
went. Here a text is cut into *runs*, each shown by one face (:class:`~.fonts.FontSet`):

* a run of characters that need no shaping (Latin, Greek, Cyrillic, CJK, Hangul syllables,
  digits, punctuation) is measured by adding the face's advance widths and drawn with fpdf2's
  ``text``, which writes the glyphs as they are;
* a run that needs shaping (Thai, Lao, Khmer, Myanmar, Indic scripts, combining marks) is
  measured and drawn by fpdf2 with text shaping, inside a ``/Span`` with ``/ActualText``
  holding the run as given, so that copying or extracting the text yields the characters in
  their logical order rather than the reordered glyphs;
* a line with right-to-left characters (Arabic, Hebrew) goes whole to fpdf2's ``cell`` with
  shaping and fallback fonts, which applies the Unicode bidirectional algorithm.

Lines are broken at spaces; a word longer than the line is broken between grapheme clusters
(never before a combining mark or a joiner).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from fpdf import FPDF

from originlink.formats.pdf.fonts import FontSet

#: Millimetres per typographic point.
PT = 25.4 / 72
Align = Literal["L", "C", "R"]
#: Characters whose display needs a shaper: combining marks, joiners, variation selectors and
#: the scripts whose glyphs are reordered, stacked or positioned by the font's OpenType tables.
_COMPLEX = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0590-\u08ff\u0900-\u0dff\u0e00-\u0fff\u1000-\u109f"
    "\u1100-\u11ff\u1780-\u18af\u1950-\u19ff\u1a00-\u1aff\u1b00-\u1bff\u1dc0-\u1dff"
    "\u200c\u200d\u20d0-\u20ff\ua8e0-\ua8ff\ua980-\uaaff\uabc0-\uabff\ufb1d-\ufdff"
    "\ufe00-\ufe0f\ufe20-\ufe2f\ufe70-\ufeff]"
)
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def line_height(size: float) -> float:
    return size * PT * 1.18


def _joins_previous(char: str) -> bool:
    """A character that belongs to the cluster before it (no line break before it)."""
    return unicodedata.category(char) in {"Mn", "Mc", "Me", "Cf"}


def _utf16_hex(text: str) -> str:
    return (b"\xfe\xff" + text.encode("utf-16-be")).hex().upper()


class Typesetter:
    """Text measured and drawn in the faces of a :class:`FontSet`."""

    def __init__(self, pdf: FPDF, fonts: FontSet) -> None:
        self.pdf = pdf
        self.fonts = fonts
        pdf.c_margin = 0
        pdf.set_text_shaping(True)
        self._runs_cache: dict[tuple[str, bool, str], list[tuple[str, str]]] = {}
        self._shaped_width: dict[tuple[str, str, bool], float] = {}
        self._word_width: dict[tuple[str, bool, str], float] = {}
        #: The CJK face hint of each wrapped line, taken from the whole text it came from (a
        #: line "大阪商事" of a Japanese name keeps the Japanese face).
        self._line_hint: dict[str, str] = {}

    # -- runs -----------------------------------------------------------------------------
    def hint(self, text: str) -> str:
        return self._line_hint.get(text) or FontSet.cjk_hint(text)

    def runs(
        self, text: str, *, bold: bool = False, hint: str | None = None
    ) -> list[tuple[str, str]]:
        """``text`` cut into (face key, characters) runs."""
        hint = hint or self.hint(text)
        memo = (text, bold, hint)
        cached = self._runs_cache.get(memo)
        if cached is not None:
            return cached
        runs: list[tuple[str, str]] = []
        key = "bundled"
        start = 0
        for index, char in enumerate(text):
            if char == " " or _joins_previous(char):
                continue  # stays with the run it is in
            face = self.fonts.face_key(char, hint, bold=bold) or "bundled"
            if face != key:
                if index > start:
                    runs.append((key, text[start:index]))
                key, start = face, index
        if start < len(text):
            runs.append((key, text[start:]))
        self._runs_cache[memo] = runs
        return runs

    # -- measuring ------------------------------------------------------------------------
    def _run_width(self, key: str, run: str, *, bold: bool) -> float:
        """Width of one run at 1 pt, in millimetres."""
        if _COMPLEX.search(run):
            memo = (key, run, bold)
            width = self._shaped_width.get(memo)
            if width is None:
                family, style = self.fonts.family(key, bold=bold)
                self.pdf.set_font(family, style, 100)
                width = self._shaped_width[memo] = self.pdf.get_string_width(run) / 100
            return width
        widths = self.fonts.widths(key, bold=bold)
        return sum(widths[ord(ch)] for ch in run) * PT / 1000

    def _unit_width(self, text: str, *, bold: bool, hint: str) -> float:
        if _RTL.search(text):
            self._fpdf_fallbacks(text, bold=bold)
            self.pdf.set_font(*self.fonts.family("bundled", bold=bold), 100)
            width = self.pdf.get_string_width(text) / 100
            self.pdf.set_fallback_fonts([])
            return width
        runs = self.runs(text, bold=bold, hint=hint)
        return sum(self._run_width(k, run, bold=bold) for k, run in runs)

    def width(
        self, text: str, size: float, *, bold: bool = False, hint: str | None = None
    ) -> float:
        """Width of ``text`` (one line) at ``size`` pt, in millimetres."""
        hint = hint or self.hint(text)
        memo = (text, bold, hint)
        unit = self._word_width.get(memo)
        if unit is None:
            unit = self._word_width[memo] = self._unit_width(text, bold=bold, hint=hint)
        return unit * size

    # -- wrapping -------------------------------------------------------------------------
    def wrap(self, text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
        """``text`` broken into lines no wider than ``width`` mm (paragraphs kept)."""
        if not text:
            return []
        text = self.fonts.clean(text)
        hint = FontSet.cjk_hint(text)
        lines: list[str] = []
        space = self.width(" ", size, bold=bold)
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                if not word:
                    continue
                word_width = self.width(word, size, bold=bold, hint=hint)
                if line and used + space + word_width <= width:
                    line, used = f"{line} {word}", used + space + word_width
                    continue
                if line:
                    lines.append(line)
                if word_width <= width:
                    line, used = word, word_width
                    continue
                pieces = self._split_word(word, width, size, bold=bold, hint=hint)
                lines.extend(pieces[:-1])
                line, used = pieces[-1], self.width(pieces[-1], size, bold=bold, hint=hint)
            lines.append(line)
        if hint != "sc":
            self._line_hint.update(dict.fromkeys(lines, hint))
        return lines

    def _split_word(
        self, word: str, width: float, size: float, *, bold: bool, hint: str
    ) -> list[str]:
        """A word too long for a line, cut between grapheme clusters."""
        pieces: list[str] = []
        current = ""
        for char in word:
            candidate = current + char
            if (
                current
                and not _joins_previous(char)
                and self.width(candidate, size, bold=bold, hint=hint) > width
            ):
                pieces.append(current)
                current = char
            else:
                current = candidate
        pieces.append(current)
        return pieces

    # -- drawing --------------------------------------------------------------------------
    def draw(
        self,
        x: float,
        y: float,
        width: float,
        line: str,
        size: float,
        *,
        bold: bool = False,
        align: Align = "L",
    ) -> None:
        """Draw one line whose box has its top-left corner at (x, y)."""
        if not line:
            return
        height = line_height(size)
        if _RTL.search(line):
            self._draw_bidi(x, y, width, line, size, bold=bold, align=align)
            return
        runs = self.runs(line, bold=bold)
        if align != "L":
            total = self.width(line, size, bold=bold)
            x += (width - total) / (2 if align == "C" else 1)
        baseline = y + 0.5 * height + 0.3 * size * PT
        pdf = self.pdf
        for key, run in runs:
            run_width = self._run_width(key, run, bold=bold) * size  # measures at 100 pt
            family, style = self.fonts.family(key, bold=bold)
            pdf.set_font(family, style, size)
            if _COMPLEX.search(run):
                pdf._out(f"/Span <</ActualText <{_utf16_hex(run)}>>> BDC")
                pdf.set_xy(x, y)
                pdf.cell(run_width, height, run)
                pdf._out("EMC")
            else:
                pdf.text(x, baseline, run)
            x += run_width

    def _fpdf_fallbacks(self, line: str, *, bold: bool) -> None:
        """Make the faces a bidirectional line needs besides DejaVu fpdf2's fallback fonts."""
        keys = {key for key, _ in self.runs(line, bold=bold)} - {"bundled"}
        names = sorted({self.fonts.family(key, bold=bold)[0] for key in keys})
        self.pdf.set_fallback_fonts(names, exact_match=False)

    def _draw_bidi(
        self, x: float, y: float, width: float, line: str, size: float, *, bold: bool, align: Align
    ) -> None:
        self._fpdf_fallbacks(line, bold=bold)
        self.pdf.set_font(*self.fonts.family("bundled", bold=bold), size)
        self.pdf.set_xy(x, y)
        self.pdf.cell(width, line_height(size), line, align=align)
        self.pdf.set_fallback_fonts([])
