"""Languages of the web pages: English, French and Spanish, from gettext catalogues (Babel).

The language is the one the user chose with the switch on the page (a cookie), else the best
match of the browser's ``Accept-Language``, else English. Catalogues are the ``.po`` files in
``web/locales/<lang>/LC_MESSAGES/messages.po``, compiled in memory when first used (no build
step, no binary file in the repository). Dates and numbers are written the locale's way
(Babel's CLDR data).
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

#: The languages of the pages, the first being the default.
LANGUAGES = ("en", "fr", "es")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
LANGUAGE_COOKIE = "originlink_lang"


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` (English is the source language: no catalogue)."""
    if language not in LANGUAGES[1:]:
        return NullTranslations()
    source = resources.files("originlink.web").joinpath(
        f"locales/{language}/LC_MESSAGES/messages.po"
    )
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def negotiate(accept_language: str | None, chosen: str | None = None) -> str:
    """The language of a request: the chosen one when known, else the browser's best match."""
    if chosen in LANGUAGES:
        return str(chosen)
    preferred: list[tuple[float, str]] = []
    for position, part in enumerate((accept_language or "")[:512].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            preferred.append((quality - position * 1e-6, tag.strip()))
    for _quality, tag in sorted(preferred, reverse=True):
        base = tag.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return LANGUAGES[0]


class LocaleFormat:
    """Dates, times and numbers written the way a language's readers expect."""

    def __init__(self, language: str, timezone: str = "UTC") -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self.timezone = ZoneInfo(timezone)

    def date(self, value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                day = date.fromisoformat(value[:10])
            except ValueError:
                return value
        elif isinstance(value, datetime):
            day = value.date()
        else:
            day = value
        return format_date(day, format="medium", locale=self.locale)

    def datetime(self, value: datetime | str | None) -> str:
        """An instant in the node's time zone; ISO 8601 text (as services return) is read."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
        else:
            moment = value
        return format_datetime(moment, format="medium", tzinfo=self.timezone, locale=self.locale)

    def number(self, value: int | float | Decimal | str | None) -> str:
        if value is None or value == "":
            return ""
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            return str(value)
        return format_decimal(number, locale=self.locale, decimal_quantization=False)
