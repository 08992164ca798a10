"""web/i18n.py: the language of a request (the switch's choice, else Accept-Language), the
catalogues (every text of the pages translated in French and Spanish), and dates and numbers
written the locale's way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import originlink.web
from originlink.web.i18n import LANGUAGES, LocaleFormat, negotiate, translations

WEB = Path(originlink.web.__file__).parent


@pytest.mark.parametrize(
    ("header", "chosen", "expected"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", None, "fr"),
        ("de-DE,es;q=0.7,fr;q=0.5", None, "es"),
        ("en;q=0.2,fr;q=0.9", None, "fr"),
        ("de, ja", None, "en"),
        ("", None, "en"),
        (None, None, "en"),
        ("fr", "es", "es"),
        ("fr", "de", "fr"),
        ("es;q=abc,fr;q=0.1", None, "fr"),
        ("x" * 10_000, None, "en"),
    ],
)
def test_the_language_is_the_choice_else_the_browsers_best_match(
    header: str | None, chosen: str | None, expected: str
) -> None:
    assert negotiate(header, chosen) == expected


def _source_messages() -> set[str]:
    method_map = [("**.py", "python"), ("**/templates/app/**.html", "jinja2")]
    found = extract_from_dir(
        str(WEB), method_map, keywords={"_": None, "N_": None, "gettext": None}
    )
    out = set()
    for _file, _line, message, _comments, _context in found:
        if message:
            out.add(message[0] if isinstance(message, tuple) else message)
    return out


def test_every_text_of_the_pages_is_translated_in_french_and_spanish() -> None:
    messages = _source_messages()
    assert len(messages) >= 30 and "Sign in" in messages
    for language in LANGUAGES[1:]:
        path = WEB / "locales" / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        translated = set()
        for m in catalog:
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            if m.id and all(strings):
                translated.add(m.id[0] if isinstance(m.id, tuple) else m.id)
        missing = sorted(messages - translated)
        assert missing == [], (
            f"{language}: run scripts/update-catalogues.sh and translate {missing}"
        )


def test_the_catalogues_translate_and_keep_placeholders() -> None:
    assert translations("fr").gettext("Sign in") == "Se connecter"
    assert translations("es").gettext("Sign in") == "Iniciar sesión"
    assert translations("en").gettext("Sign in") == "Sign in"
    for language in LANGUAGES[1:]:
        text = translations(language).gettext("Welcome, %(name)s") % {"name": "Ana"}
        assert "Ana" in text


def test_dates_and_numbers_are_written_the_locales_way() -> None:
    day = date(2025, 3, 4)
    assert LocaleFormat("en").date(day) == "Mar 4, 2025"
    assert LocaleFormat("fr").date(day) == "4 mars 2025"
    assert LocaleFormat("es").date("2025-03-04") == "4 mar 2025"
    assert LocaleFormat("en").number("1234567.5") == "1,234,567.5"
    assert LocaleFormat("fr").number("1234567.5") == "1\u202f234\u202f567,5"
    assert LocaleFormat("es").number(1234567.5) == "1.234.567,5"
    moment = datetime(2025, 3, 4, 1, 0, tzinfo=UTC)
    assert "09:00" in LocaleFormat("fr", "Asia/Singapore").datetime(moment)
    assert LocaleFormat("en").date(None) == "" and LocaleFormat("en").number("") == ""
