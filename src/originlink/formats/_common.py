"""Small helpers every converter shares: canonical paths, validation of a converted document,
cleaning imported text, and the issuing country's time zone from the agreement profile."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from originlink.domain.dataset import CODocument
from originlink.domain.errors import ConfigurationError, ValidationFailed
from originlink.domain.findings import Finding, Level, join_path
from originlink.domain.profiles import AgreementProfile
from originlink.formats.loss import LossReport

_PYDANTIC_CODES = {
    "missing": "SCHEMA-REQUIRED",
    "extra_forbidden": "DS-34",
    "none_required": "SCHEMA-NULL",
}


def cpath(*parts: str | int) -> str:
    """A canonical field path: ``cpath("goods_items", 0, "hs_code")``."""
    return join_path("certificate", *parts)


def validate_document(data: Any, *, what: str) -> CODocument:
    """Build the canonical document; every structural error becomes a finding."""
    try:
        return CODocument.model_validate(data)
    except ValidationError as exc:
        findings = []
        for error in exc.errors():
            code = _PYDANTIC_CODES.get(error["type"], error["type"])
            if not re.fullmatch(r"(DS-[0-9]{2}|SCHEMA-[A-Z]+)", code):
                code = "SCHEMA-VALUE"
            path = join_path(*(p for p in error["loc"] if isinstance(p, str | int)))
            findings.append(Finding(Level.SEVERE, path, code, error["msg"]))
        first = findings[0]
        raise ValidationFailed(
            f"{what} does not give a valid CO: {first.path}: {first.message}"
            + (f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""),
            findings,
        ) from None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_LF = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(
    value: str | None,
    max_len: int,
    path: str,
    report: LossReport,
    *,
    multiline: bool = False,
) -> str | None:
    """Imported text made canonical: trimmed, NFC, control characters replaced by spaces,
    cut to ``max_len`` (reported ``DEGRADED``); empty text is absent."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value.strip())
    text = (_CONTROL if multiline else _CONTROL_OR_LF).sub(" ", text).strip()
    if not text:
        return None
    if len(text) > max_len:
        report.degraded(path, f"text of {len(text)} characters cut to {max_len}", text)
        text = text[:max_len].rstrip()
    return text


def zone_for(profile: AgreementProfile | None, country: str) -> ZoneInfo | None:
    """The profile's time zone for ``country`` (None when the profile names none)."""
    if profile is None:
        return None
    name = profile.timezones.get(country)
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(
            f"agreement profile {profile.code}: unknown time zone {name!r} for {country}"
        ) from None


def require_zone(profile: AgreementProfile | None, country: str, why: str) -> ZoneInfo:
    zone = zone_for(profile, country)
    if zone is None:
        where = f"agreement profile {profile.code}" if profile else "no agreement profile"
        raise ConfigurationError(f"{why} needs the time zone of {country}, and {where} names none")
    return zone


def in_zone(naive: datetime, zone: ZoneInfo | None) -> datetime:
    """A wall-clock time in ``zone`` (UTC when none) with an offset in whole minutes, as ISO
    8601 requires (historical local mean time has offsets such as -03:50:40)."""
    aware = naive.replace(tzinfo=zone or UTC)
    offset = aware.utcoffset() or timedelta(0)
    if offset.seconds % 60 or offset.microseconds:
        minutes = round(offset.total_seconds() / 60)
        aware = naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    return aware


def midnight(day: date, zone: ZoneInfo | None) -> datetime:
    """A date as 00:00 in ``zone`` (UTC when no zone is known)."""
    return in_zone(datetime.combine(day, time(0, 0)), zone)


def is_datetime(value: date) -> bool:
    return isinstance(value, datetime)
