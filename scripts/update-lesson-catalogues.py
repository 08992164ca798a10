"""Write the lessons' catalogue template from the lesson files (src/originlink/training/lessons)
and merge it into the French and Spanish catalogues, keeping their translations. Then translate
every new empty msgstr; tests/training/test_i18n.py fails until done.

Usage: .venv/bin/python scripts/update-lesson-catalogues.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

from originlink.training.i18n import DOMAIN, LANGUAGES, catalogue_path, template

ROOT = Path(__file__).resolve().parent.parent / "src" / "originlink" / "training"


def main() -> None:
    pot = template()
    with (ROOT / "locales" / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, pot, omit_header=False, sort_output=False, no_location=True)
    for language in LANGUAGES[1:]:
        path = ROOT / catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language, domain=DOMAIN)
            catalog.update(pot, no_fuzzy_matching=True)
        else:
            catalog = read_po(iter(()), locale=language, domain=DOMAIN)
            catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.project, catalog.version = "OriginLink lessons", "1"
        catalog.copyright_holder, catalog.msgid_bugs_address = "OriginLink developers", None
        catalog.last_translator = catalog.language_team = "OriginLink developers"
        catalog.fuzzy = False
        with path.open("wb") as handle:
            write_po(handle, catalog, no_location=True, width=100)
        print(f"{path}: {len(catalog)} texts")


if __name__ == "__main__":
    main()
