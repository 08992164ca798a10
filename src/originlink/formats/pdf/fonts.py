"""The fonts embedded in the printed certificate, and what they cannot show.

The bundled face is DejaVu Sans Condensed (regular and bold; licence in ``fonts/LICENSE.txt``):
Latin with all its extensions (Vietnamese included), Greek, Cyrillic, Arabic, Hebrew, Armenian,
Georgian and more. Arabic and Hebrew are shaped and ordered right-to-left by HarfBuzz.

CJK and other scripts DejaVu lacks need a *fallback font*: any TrueType/OpenType file given by
the operator (``--font`` on the command line, ``ORIGINLINK_PDF_FONTS`` for the server, e.g.
Debian's ``fonts-noto-cjk`` at ``/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc``).
A character that no loaded font can show is never dropped silently: it is printed as U+FFFD
(the replacement character), counted, logged, named in the PDF's keywords, and the form
prints a notice saying the electronic CO holds the exact text.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import TTFFont

from originlink.domain.errors import ConfigurationError

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSansCondensed.ttf"
BOLD = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"
FAMILY = "DejaVuSansCondensed"
REPLACEMENT = "\ufffd"
#: Environment variable naming fallback fonts for the server (``os.pathsep``-separated).
FONTS_ENV = "ORIGINLINK_PDF_FONTS"
log = logging.getLogger("originlink.formats.pdf")


def _add_font(pdf: FPDF, family: str, style: str, path: Path) -> frozenset[int]:
    """Register a font file with fpdf2 and return the characters it maps to glyphs."""
    try:
        pdf.add_font(family, style, str(path))
    except Exception as exc:  # fpdf2/fontTools raise many types for a broken font file
        raise ConfigurationError(f"{path}: not a usable TrueType/OpenType font ({exc})") from None
    font = pdf.fonts[f"{family.lower()}{style}"]
    if not isinstance(font, TTFFont):
        raise ConfigurationError(f"{path}: not a TrueType/OpenType font")
    return frozenset(font.cmap)


def _needs_no_glyph(char: str) -> bool:
    """Line breaks and invisible format characters (joiners, direction marks) are handled by
    the layout and the shaper, not drawn."""
    return char in "\n\t " or unicodedata.category(char) == "Cf"


class Coverage:
    """Which characters the loaded fonts can show; replaces and counts the others."""

    def __init__(self, codepoint_sets: Iterable[frozenset[int]]) -> None:
        self._covered = frozenset().union(*codepoint_sets)
        self._cleaned: dict[str, str] = {}
        #: Characters replaced, counted once per distinct text (a text is measured at several
        #: sizes before it is drawn once).
        self.missing: Counter[str] = Counter()

    def covers(self, char: str) -> bool:
        return ord(char) in self._covered or _needs_no_glyph(char)

    def clean(self, text: str) -> str:
        """``text`` with every character no font can show replaced by U+FFFD (and counted)."""
        if text in self._cleaned:
            return self._cleaned[text]
        out = []
        for ch in text:
            if self.covers(ch):
                out.append(ch)
            else:
                self.missing[ch] += 1
                out.append(REPLACEMENT)
        cleaned = self._cleaned[text] = "".join(out)
        return cleaned

    def missing_summary(self) -> str:
        """``U+4E2D U+6587`` — the characters that could not be shown, in code point order."""
        return " ".join(f"U+{ord(ch):04X}" for ch in sorted(self.missing))


def install_fonts(pdf: FPDF, fallback_fonts: Sequence[Path] = ()) -> Coverage:
    """Embed the bundled family (regular, bold) and the fallback fonts; return their coverage.

    Only the glyphs used are embedded (fpdf2 subsets fonts), so a fallback CJK font adds
    kilobytes, not megabytes, to the PDF."""
    regular = _add_font(pdf, FAMILY, "", REGULAR)
    bold = _add_font(pdf, FAMILY, "B", BOLD)
    # Text in bold uses the bold face: only characters both faces have count as covered by it.
    sets = [regular & bold]
    names = []
    for number, path in enumerate(fallback_fonts):
        if not path.is_file():
            raise ConfigurationError(f"fallback font {path} does not exist")
        name = f"fallback{number}"
        sets.append(_add_font(pdf, name, "", path))
        names.append(name)
    if names:
        pdf.set_fallback_fonts(names, exact_match=False)
    pdf.set_text_shaping(True)
    return Coverage(sets)


def fonts_from_env(value: str | None) -> tuple[Path, ...]:
    """Fallback font paths from ``ORIGINLINK_PDF_FONTS`` (``os.pathsep``-separated)."""
    if not value:
        return ()
    return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())
