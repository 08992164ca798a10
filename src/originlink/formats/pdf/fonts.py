"""The fonts of the printed certificate, which of them shows each character, and what none can.

Faces are tried in this order for every character:

1. DejaVu Sans Condensed, bundled in ``fonts/`` (licence in ``fonts/LICENSE.txt``): Latin with
   all its extensions (Vietnamese included), Greek, Cyrillic, Arabic, Hebrew, Armenian,
   Georgian.
2. The fallback fonts the operator names (``--font``, ``ORIGINLINK_PDF_FONTS``).
3. The Noto fonts of Debian's ``fonts-noto-core`` (Thai, Khmer, Lao, Myanmar) and
   ``fonts-noto-cjk`` (Chinese, Japanese, Korean), which ``scripts/ensure-fonts.sh`` installs
   (``make test`` and ``make demo`` run it). Han characters take the Japanese face in a text with
   kana, the Korean face in a text with Hangul, else the Simplified Chinese face.

A face is read only when a text needs it (a CJK face costs a quarter of a second), and fpdf2
embeds only the glyphs used. A character that no face has is an error naming it
(:class:`MissingGlyphs`) unless the caller allows it; it is then printed as U+FFFD, counted,
named in the PDF's keywords and announced on the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError
from fpdf import FPDF
from fpdf.fonts import TTFFont

from originlink.domain.errors import ConfigurationError, PermanentError

FONT_DIR = Path(__file__).parent / "fonts"
REGULAR = FONT_DIR / "DejaVuSansCondensed.ttf"
BOLD = FONT_DIR / "DejaVuSansCondensed-Bold.ttf"
FAMILY = "DejaVuSansCondensed"
REPLACEMENT = "\ufffd"
_NOTO = Path("/usr/share/fonts/truetype/noto")
_NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")


class MissingGlyphs(PermanentError):
    """A text has characters that none of the fonts can show (exit 1, HTTP 422)."""

    code = "MISSING_GLYPHS"
    title = "Characters no font can print"
    http_status = 422
    exit_code = 1


@dataclass(frozen=True, slots=True)
class Face:
    """One font file (and its bold companion, when there is one)."""

    key: str
    path: Path
    bold_path: Path | None = None
    collection: int = 0


#: The system faces, in the order they are tried after the bundled and operator fonts.
SYSTEM_FACES: tuple[Face, ...] = (
    Face("thai", _NOTO / "NotoSansThai-Regular.ttf", _NOTO / "NotoSansThai-Bold.ttf"),
    Face("khmer", _NOTO / "NotoSansKhmer-Regular.ttf", _NOTO / "NotoSansKhmer-Bold.ttf"),
    Face("lao", _NOTO / "NotoSansLao-Regular.ttf", _NOTO / "NotoSansLao-Bold.ttf"),
    Face("myanmar", _NOTO / "NotoSansMyanmar-Regular.ttf", _NOTO / "NotoSansMyanmar-Bold.ttf"),
    Face("cjk-sc", _NOTO_CJK / "NotoSansCJK-Regular.ttc", _NOTO_CJK / "NotoSansCJK-Bold.ttc", 2),
)
#: The other CJK faces of the same collection, chosen by the text's kana or Hangul.
CJK_JP = Face("cjk-jp", _NOTO_CJK / "NotoSansCJK-Regular.ttc", _NOTO_CJK / "NotoSansCJK-Bold.ttc")
CJK_KR = Face(
    "cjk-kr", _NOTO_CJK / "NotoSansCJK-Regular.ttc", _NOTO_CJK / "NotoSansCJK-Bold.ttc", 1
)


@lru_cache(maxsize=32)
def _cmap(path: Path, collection: int) -> frozenset[int]:
    """The characters a font file maps to glyphs (read once per process)."""
    try:
        with TTFont(str(path), fontNumber=collection, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, TTLibError, AssertionError, KeyError) as exc:
        raise ConfigurationError(f"{path}: not a usable TrueType/OpenType font ({exc})") from None


def needs_no_glyph(char: str) -> bool:
    """Line breaks and invisible format characters (joiners, direction marks) are handled by
    the layout and the shaper, not drawn."""
    return char in "\n\t " or unicodedata.category(char) == "Cf"


def describe(chars: Iterable[str]) -> str:
    """``U+4E2D 中 (CJK UNIFIED IDEOGRAPH-4E2D)``, one per character, in code point order."""
    return ", ".join(
        f"U+{ord(ch):04X} {ch} ({unicodedata.name(ch, 'unnamed')})" for ch in sorted(set(chars))
    )


class FontSet:
    """The faces of one PDF: which face shows a character, registered with fpdf2 on first use."""

    def __init__(self, pdf: FPDF, fallback_fonts: Sequence[Path] = ()) -> None:
        self.pdf = pdf
        pdf.add_font(FAMILY, "", str(REGULAR))
        pdf.add_font(FAMILY, "B", str(BOLD))
        self._bundled = frozenset(self._font(FAMILY, "").cmap)
        self._bundled_bold = frozenset(self._font(FAMILY, "B").cmap)
        faces: list[Face] = []
        for number, path in enumerate(fallback_fonts):
            if not path.is_file():
                raise ConfigurationError(f"fallback font {path} does not exist")
            faces.append(Face(f"fallback{number}", path))
        self.faces = tuple(faces) + tuple(f for f in SYSTEM_FACES if f.path.is_file())
        self._cmaps = {face.key: _cmap(face.path, face.collection) for face in self.faces}
        self._cjk = {face.key: face for face in (CJK_JP, CJK_KR) if face.path.is_file()}
        self._registered: set[str] = set()
        self._face_of: dict[tuple[str, str, bool], str | None] = {}
        #: Characters replaced by U+FFFD (allowed missing glyphs), counted once per text.
        self.missing: Counter[str] = Counter()
        self._cleaned: dict[str, str] = {}

    def _font(self, family: str, style: str) -> TTFFont:
        font = self.pdf.fonts[f"{family.lower()}{style}"]
        assert isinstance(font, TTFFont)
        return font

    # -- which face ----------------------------------------------------------------------
    @staticmethod
    def cjk_hint(text: str) -> str:
        """``jp``, ``kr`` or ``sc``: the CJK face a text's Han characters take."""
        if _KANA.search(text):
            return "jp"
        if _HANGUL.search(text):
            return "kr"
        return "sc"

    def face_key(self, char: str, hint: str = "sc", *, bold: bool = False) -> str | None:
        """The face that shows ``char`` (``"bundled"`` for DejaVu), or None when none does."""
        memo = (char, hint, bold)
        if memo in self._face_of:
            return self._face_of[memo]
        code = ord(char)
        found: str | None = None
        if code in (self._bundled_bold if bold else self._bundled):
            found = "bundled"
        else:
            for face in self.faces:
                if code in self._cmaps[face.key]:
                    found = face.key
                    if face.key == "cjk-sc" and hint != "sc" and f"cjk-{hint}" in self._cjk:
                        found = f"cjk-{hint}"
                    break
        if found is None and bold and code in self._bundled:
            found = "bundled"
        self._face_of[memo] = found
        return found

    def covers(self, char: str) -> bool:
        return needs_no_glyph(char) or self.face_key(char) is not None

    def missing_in(self, texts: Iterable[str]) -> set[str]:
        """The characters of ``texts`` that no face can show."""
        seen: set[str] = set()
        for text in texts:
            seen.update(text)
        return {ch for ch in seen if not self.covers(ch)}

    def clean(self, text: str) -> str:
        """``text`` with every character no face can show replaced by U+FFFD (and counted)."""
        cleaned = self._cleaned.get(text)
        if cleaned is not None:
            return cleaned
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

    # -- fpdf2 families --------------------------------------------------------------------
    def family(self, key: str, *, bold: bool) -> tuple[str, str]:
        """(family, style) to pass to ``set_font`` for a face, registering it on first use."""
        if key == "bundled":
            return FAMILY, "B" if bold else ""
        face = self._cjk.get(key) or next(f for f in self.faces if f.key == key)
        style = "B" if bold and face.bold_path is not None and face.bold_path.is_file() else ""
        if key + style not in self._registered:
            path = face.bold_path if style and face.bold_path is not None else face.path
            self._register(face, style, path)
        return key, style

    def _register(self, face: Face, style: str, path: Path) -> None:
        try:
            self.pdf.add_font(face.key, style, str(path), collection_font_number=face.collection)
        except Exception as exc:  # fpdf2/fontTools raise many types for a broken font file
            raise ConfigurationError(
                f"{path}: not a usable TrueType/OpenType font ({exc})"
            ) from None
        self._registered.add(face.key + style)

    def widths(self, key: str, *, bold: bool) -> dict[int, float]:
        """Advance widths (thousandths of an em) of a registered face, by code point."""
        family, style = self.family(key, bold=bold)
        widths: dict[int, float] = self._font(family, style).cw
        return widths
