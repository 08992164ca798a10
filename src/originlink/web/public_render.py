"""HTML of the ``/verify`` form and its answers (a typed number, an uploaded file).

In the visitor's language (the web application's catalogues: the switch's cookie, else ``Accept-
Language``). Same look and same rules as the QR page (:mod:`originlink.web.pages`): one inline
style sheet allowed by its hash, no script, nothing loaded from elsewhere. The form posts to the
node itself only (``form-action 'self'``).
"""

from __future__ import annotations

from originlink.domain.codelists import country_name
from originlink.domain.errors import InputError
from originlink.domain.findings import Level
from originlink.services.verification.lookup import FileCheck, NumberLookup
from originlink.web.i18n import LANGUAGES, translations
from originlink.web.pages import _CSS, _CSS_HASH, SECURITY_HEADERS, _environment, verdict

#: The QR page's headers, with the form allowed to post back to this node.
FORM_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
}

#: Where a service's ``InputError.pointer`` lands on the form.
_FIELD_OF_POINTER = {
    "path:issuing_country": "country",
    "path:number": "number",
    "query:d": "d",
    "file": "file",
}


class PublicRenderer:
    """The pages of the ``/verify`` form for one node, in one language."""

    def __init__(self, node_name: str, lang: str = "en") -> None:
        self.node_name = node_name
        self.lang = lang if lang in LANGUAGES else "en"

    def _render(self, template: str, **values: object) -> str:
        return (
            _environment(self.lang)
            .get_template(template)
            .render(
                css=_CSS,
                node_name=self.node_name,
                country=country_name,
                lang=self.lang,
                **values,
            )
        )

    def form(self, *, typed: dict[str, str] | None = None, error: InputError | None = None) -> str:
        field = _FIELD_OF_POINTER.get(error.pointer or "", "") if error else ""
        return self._render(
            "verify_form.html",
            typed=typed or {"country": "", "number": "", "d": ""},
            error=error.detail if error else None,
            error_field=field,
        )

    def lookup(self, found: NumberLookup) -> str:
        return self._render("verify_lookup.html", found=found)

    def file_check(self, checked: FileCheck) -> str:
        return self._render(
            "verify_file.html",
            checked=checked,
            severe=Level.SEVERE,
            record_verdict=verdict(checked.record, translations(self.lang).gettext)
            if checked.record
            else None,
        )

    def too_many(self, wait: int) -> str:
        _ = translations(self.lang).gettext
        return self._render(
            "message.html",
            heading=_("Too many requests"),
            detail=_("Too many verification requests from this address; retry in %(n)s s.")
            % {"n": wait},
            tone="warn",
        )
