"""training/i18n.py: every lesson text is translated in French and Spanish, each translation
keeps the placeholders the page fills in, the catalogues hold nothing stale, and a lesson is
shown in the language asked for (English where none)."""

from __future__ import annotations

import pytest

from originlink.training import i18n
from originlink.training.lessons import all_lessons, lesson


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_text_is_translated_with_its_placeholders(language: str) -> None:
    catalog = i18n.translations(language)
    for text in i18n.template():
        if not text.id:
            continue
        translated = catalog.gettext(text.id)
        assert translated != text.id, f"{language}: not translated: {text.id}"
        assert i18n.placeholders(translated) == i18n.placeholders(text.id), translated


def test_the_catalogues_hold_exactly_the_lessons_texts() -> None:
    from importlib import resources

    from babel.messages.pofile import read_po

    wanted = {m.id for m in i18n.template() if m.id}
    for language in ("fr", "es"):
        source = resources.files("originlink.training").joinpath(i18n.catalogue_path(language))
        with source.open("rb") as handle:
            held = {m.id for m in read_po(handle, locale=language) if m.id}
        assert held == wanted, language


def test_a_lesson_in_each_language() -> None:
    first = lesson("p01-issuance")
    assert i18n.localized(first, "en") == first
    french = i18n.localized(first, "fr")
    assert french.title == "Demande et délivrance"
    assert french.steps[0].do.startswith("Connectez-vous à l'autorité de délivrance ({SG}/app/)")
    assert french.steps[0].check == first.steps[0].check  # only the texts change
    spanish = i18n.localized(lesson("p10-verification"), "es")
    assert spanish.title == "Verificación retroactiva con un plazo vencido"
    assert i18n.localized(first, "de") == first  # not offered: English
    assert len(all_lessons()) == 15


def test_fill_puts_in_what_is_known_and_leaves_the_rest() -> None:
    text = "Open {number} at {SG}/app/ before {due_at}"
    assert i18n.fill(text, {"number": "N-1", "SG": "http://sg"}) == (
        "Open N-1 at http://sg/app/ before {due_at}"
    )
