"""The lessons in English, French and Spanish: gettext catalogues (Babel), one per language in
``training/locales/<lang>/LC_MESSAGES/lessons.po``, whose message ids are the English texts of the
lesson files. Compiled in memory when first used (no build step, no binary file kept).

``scripts/update-lesson-catalogues.py`` writes the template from the lesson files and merges it
into each catalogue; a test fails while a text is left untranslated or a translation loses a
placeholder (``{number}``, ``{SG}``) that the page fills in.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from originlink.training.lessons import Lesson, all_lessons

LANGUAGES = ("en", "fr", "es")
DOMAIN = "lessons"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def catalogue_path(language: str) -> str:
    return f"locales/{language}/LC_MESSAGES/{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The lessons' catalogue for ``language`` (English is the source: none)."""
    if language not in LANGUAGES[1:]:
        return NullTranslations()
    source = resources.files("originlink.training").joinpath(catalogue_path(language))
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def localized(lesson: Lesson, language: str) -> Lesson:
    """``lesson`` with every text in ``language`` (English where a text has no translation)."""
    text = translations(language).gettext
    return replace(
        lesson,
        title=text(lesson.title),
        aim=text(lesson.aim),
        explanation=text(lesson.explanation),
        rule=text(lesson.rule),
        steps=tuple(replace(s, do=text(s.do), hint=text(s.hint)) for s in lesson.steps),
    )


def fill(text: str, values: dict[str, Any]) -> str:
    """Put the network's addresses and the lesson's facts into ``{name}`` placeholders; one
    not known yet stays as it is (the step that finds it comes first)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def template() -> Catalog:
    """Every text of every lesson, as the catalogues' template."""
    catalog = Catalog(project="OriginLink lessons", domain=DOMAIN)
    for lesson in all_lessons():
        for text in lesson.texts():
            catalog.add(text, locations=[(f"training/lessons/{lesson.id}", 0)])
    return catalog
