"""The public verification page: what a bank clerk or a border officer sees after scanning the
QR code of a certificate of origin, on a phone, in a second.

One verdict in words and colour (colour is never the only signal: the headline says it), then
the facts. The page loads nothing from anywhere: one inline style sheet, allowed by its hash in
the Content-Security-Policy (:data:`SECURITY_HEADERS`), no script, no image, no font.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from originlink.domain.codelists import country_name
from originlink.services.verification.public import Outcome, PublicVerification

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
    "ISSUED": "ISSUED — valid",
    "CANCELLED": "CANCELLED — may not be used",
    "REPLACED": "REPLACED — use the replacing certificate",
    "EXPIRED": "EXPIRED — validity has ended",
}


def verdict(result: PublicVerification) -> Verdict:
    status = result.status or ""
    status_text = _STATUS_TEXT.get(status, status)
    authority = result.issuing_authority or "the issuing authority"
    if result.outcome is Outcome.NOT_FOUND:
        return Verdict(
            "Not found",
            f"No certificate of origin numbered {result.number} was issued in "
            f"{country_name(result.issuing_country)} by this authority. Check the number; "
            "a document that claims it may be forged.",
            "bad",
            "✗",
            status_text,
        )
    if result.outcome is Outcome.NOT_AUTHENTIC:
        return Verdict(
            "NOT AUTHENTIC",
            f"A certificate numbered {result.number} exists, but the document you hold does "
            "not match it: it may have been altered. Do not accept it; contact the issuing "
            "authority.",
            "bad",
            "✗",
            status_text,
        )
    if result.outcome is Outcome.NOT_CHECKED:
        return Verdict(
            f"Certificate found — {status or 'status unknown'}",
            "This link carries no document digest, so the authenticity of your copy was not "
            "checked. Scan the QR code printed on the certificate to check it.",
            "info",
            "?",
            status_text,
        )
    if status == "ISSUED":
        until = f" and is valid until {result.valid_until}" if result.valid_until else ""
        return Verdict(
            "Authentic — valid",
            f"This certificate of origin was issued by {authority}{until}.",
            "good",
            "✓",
            status_text,
        )
    explanations = {
        "CANCELLED": "It has been cancelled by the issuing authority and can no longer be used "
        "to claim preferential treatment.",
        "REPLACED": "It has been replaced by a new certificate; only the replacing certificate "
        "can be used.",
        "EXPIRED": f"Its validity ended on {result.valid_until}; it can no longer be presented."
        if result.valid_until
        else "Its validity has ended; it can no longer be presented.",
    }
    return Verdict(
        f"Authentic, but {status}",
        f"This certificate of origin was issued by {authority}. "
        + explanations.get(status, f"Its status is {status}."),
        "bad" if status == "CANCELLED" else "warn",
        "!",
        status_text,
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("originlink.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _country(code: str) -> str:
    return country_name(code)


def verification_page(result: PublicVerification, *, node_name: str) -> str:
    """The HTML page of one verification result."""
    return (
        _environment()
        .get_template("verify.html")
        .render(
            css=_CSS,
            node_name=node_name,
            result=result,
            verdict=verdict(result),
            country=_country,
            checked_at=result.checked_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        )
    )


def message_page(heading: str, detail: str, *, node_name: str, tone: str = "bad") -> str:
    """A page for what is not a verification result: a malformed link, too many requests."""
    return (
        _environment()
        .get_template("message.html")
        .render(css=_CSS, node_name=node_name, heading=heading, detail=detail, tone=tone)
    )


class VerificationPages:
    """The pages of one node, in the shape :mod:`originlink.api.public` asks for (the API
    layer does not import this package: the composition root hands it over)."""

    def __init__(self, node_name: str) -> None:
        self.node_name = node_name
        self.headers: Mapping[str, str] = SECURITY_HEADERS

    def verification(self, result: PublicVerification) -> str:
        return verification_page(result, node_name=self.node_name)

    def message(self, heading: str, detail: str, *, tone: str = "bad") -> str:
        return message_page(heading, detail, node_name=self.node_name, tone=tone)
