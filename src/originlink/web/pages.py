"""The public verification page: what a bank clerk or a border officer sees after scanning the
QR code of a certificate of origin, on a phone, in a second.

One verdict in words and colour (colour is never the only signal: the headline says it), then
the facts. The page loads nothing from anywhere: one inline style sheet, allowed by its hash in
the Content-Security-Policy (:data:`SECURITY_HEADERS`), no script, no image, no font.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from originlink.domain.codelists import country_name
from originlink.services.verification.public import Outcome, PublicVerification
from originlink.web.i18n import LANGUAGES, negotiate, translations


def N_(text: str) -> str:  # noqa: N802 - the gettext marker's usual name
    """Mark ``text`` for the catalogues; it is translated where it is shown."""
    return text


_CSS = resources.files("originlink.web").joinpath("templates/verify.css").read_text("utf-8")
_CSS_HASH = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()

#: Headers every public page is sent with.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_CSS_HASH}'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer in one line (``headline``), a sentence, a tone (good, bad, warn, info)."""

    headline: str
    explanation: str
    tone: str
    mark: str
    status_text: str


_STATUS_TEXT = {
    "ISSUED": N_("ISSUED — valid"),
    "CANCELLED": N_("CANCELLED — may not be used"),
    "REPLACED": N_("REPLACED — use the replacing certificate"),
    "EXPIRED": N_("EXPIRED — validity has ended"),
}


#: The status in one word, as the headline says it ("Authentic, but CANCELLED").
_STATUS_WORD = {
    "ISSUED": N_("ISSUED"),
    "CANCELLED": N_("CANCELLED"),
    "REPLACED": N_("REPLACED"),
    "EXPIRED": N_("EXPIRED"),
}


def verdict(result: PublicVerification, _: Callable[[str], str] = str) -> Verdict:
    """The verdict in words, translated by ``_`` (gettext of the visitor's language)."""
    status = result.status or ""
    status_text = _(_STATUS_TEXT[status]) if status in _STATUS_TEXT else status
    authority = result.issuing_authority or _("the issuing authority")
    number, until = result.number, result.valid_until
    if result.outcome is Outcome.NOT_FOUND:
        country = country_name(result.issuing_country)
        return Verdict(
            _("Not found"),
            _(
                "No certificate of origin numbered %(number)s was issued in %(country)s by this "
                "authority. Check the number; a document that claims it may be forged."
            )
            % {"number": number, "country": country},
            "bad",
            "✗",
            status_text,
        )
    if result.outcome is Outcome.NOT_AUTHENTIC:
        return Verdict(
            _("NOT AUTHENTIC"),
            _(
                "A certificate numbered %(number)s exists, but the document you hold does not "
                "match it: it may have been altered. Do not accept it; contact the issuing "
                "authority."
            )
            % {"number": number},
            "bad",
            "✗",
            status_text,
        )
    if result.outcome is Outcome.NOT_CHECKED:
        return Verdict(
            _("Certificate found — %(status)s") % {"status": status or _("status unknown")},
            _(
                "This link carries no document digest, so the authenticity of your copy was not "
                "checked. Scan the QR code printed on the certificate to check it."
            ),
            "info",
            "?",
            status_text,
        )
    if status == "ISSUED":
        issued = (
            _(
                "This certificate of origin was issued by %(authority)s and is valid until "
                "%(until)s."
            )
            if until
            else _("This certificate of origin was issued by %(authority)s.")
        )
        return Verdict(
            _("Authentic — valid"),
            issued % {"authority": authority, "until": until},
            "good",
            "✓",
            status_text,
        )
    explanations = {
        "CANCELLED": _(
            "It has been cancelled by the issuing authority and can no longer be used to claim "
            "preferential treatment."
        ),
        "REPLACED": _(
            "It has been replaced by a new certificate; only the replacing certificate can be used."
        ),
        "EXPIRED": _("Its validity ended on %(until)s; it can no longer be presented.")
        % {"until": until}
        if until
        else _("Its validity has ended; it can no longer be presented."),
    }
    explanation = explanations.get(status) or _("Its status is %(status)s.") % {"status": status}
    return Verdict(
        _("Authentic, but %(status)s") % {"status": _(_STATUS_WORD.get(status, status))},
        _("This certificate of origin was issued by %(authority)s.") % {"authority": authority}
        + " "
        + explanation,
        "bad" if status == "CANCELLED" else "warn",
        "!",
        status_text,
    )


@lru_cache(maxsize=len(LANGUAGES))
def _environment(lang: str) -> Environment:
    """The public pages' environment in ``lang`` (the web application's catalogues)."""
    env = Environment(
        loader=PackageLoader("originlink.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def _country(code: str) -> str:
    return country_name(code)


def verification_page(result: PublicVerification, *, node_name: str, lang: str = "en") -> str:
    """The HTML page of one verification result, in ``lang``."""
    return (
        _environment(lang)
        .get_template("verify.html")
        .render(
            css=_CSS,
            node_name=node_name,
            lang=lang,
            result=result,
            verdict=verdict(result, translations(lang).gettext),
            country=_country,
            checked_at=result.checked_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


#: The headings the API gives :meth:`VerificationPages.message` (translated here).
MESSAGE_HEADINGS = (N_("Too many requests"), N_("This verification link is not valid"))


def message_page(
    heading: str, detail: str, *, node_name: str, tone: str = "bad", lang: str = "en"
) -> str:
    """A page for what is not a verification result: a malformed link, too many requests."""
    return (
        _environment(lang)
        .get_template("message.html")
        .render(
            css=_CSS,
            node_name=node_name,
            lang=lang,
            heading=translations(lang).gettext(heading),
            detail=detail,
            tone=tone,
        )
    )


class VerificationPages:
    """The pages of one node, in the shape :mod:`originlink.api.public` asks for (the API
    layer does not import this package: the composition root hands it over)."""

    def __init__(self, node_name: str) -> None:
        self.node_name = node_name
        self.headers: Mapping[str, str] = SECURITY_HEADERS

    def verification(self, result: PublicVerification, accept_language: str | None = None) -> str:
        lang = negotiate(accept_language)
        return verification_page(result, node_name=self.node_name, lang=lang)

    def message(
        self, heading: str, detail: str, *, tone: str = "bad", accept_language: str | None = None
    ) -> str:
        lang = negotiate(accept_language)
        return message_page(heading, detail, node_name=self.node_name, tone=tone, lang=lang)
