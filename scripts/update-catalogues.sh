#!/bin/sh
# Extract the texts of the web pages (templates/app/*.html, and N_()/_() in Python under web/)
# into web/locales/messages.pot and merge them into the French and Spanish catalogues.
# Then translate every new empty msgstr; tests/unit/web/test_catalogues.py fails until done.
set -eu
cd "$(dirname "$0")/.."
web=src/originlink/web
.venv/bin/pybabel extract -F "$web/babel.cfg" -k N_ --no-location --sort-output \
    --project OriginLink -o "$web/locales/messages.pot" "$web"
for lang in fr es; do
    po="$web/locales/$lang/LC_MESSAGES/messages.po"
    if [ -f "$po" ]; then
        .venv/bin/pybabel update --no-fuzzy-matching --ignore-obsolete \
            -i "$web/locales/messages.pot" -d "$web/locales" -l "$lang"
    else
        .venv/bin/pybabel init -i "$web/locales/messages.pot" -d "$web/locales" -l "$lang"
    fi
done
