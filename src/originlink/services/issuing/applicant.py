"""Who may apply for a CO, and what an application holds at the least.

A draft may be incomplete (its findings say what to fix), but not empty: without the agreement,
the importing country and the exporter's identifier the node cannot tell which rules apply nor
whose application it is. ``{"certificate": {}}`` is refused (422, naming each missing member)
instead of being stored as an empty draft.

An exporter applies only for COs whose exporter is its organisation, or an exporter it is
recorded as representing (``originlink users add … --represents ID,…``); anything else is 403
with the reason (:meth:`originlink.domain.authz.Actor.require_applies_for`).
"""

from __future__ import annotations

from typing import Any

from originlink.domain.authz import Actor
from originlink.domain.errors import ValidationFailed
from originlink.domain.findings import Finding, Level

#: Members an application needs before it is stored, with what each is for.
OPENING_MEMBERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("agreement", "code"), "the agreement whose rules apply, e.g. RCEP"),
    (("importing_country",), "the importing country, ISO 3166-1 alpha-2"),
    (("parties", "exporter", "identifiers"), "the exporter's identifiers (whose CO it is)"),
)


def _member(cert: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = cert
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def require_opening_members(cert: dict[str, Any]) -> None:
    """422 with a SCHEMA-REQUIRED finding for every member missing from an application."""
    missing = [
        Finding(
            Level.SEVERE,
            f"certificate.{'.'.join(path)}",
            "SCHEMA-REQUIRED",
            f"an application needs {why}",
        )
        for path, why in OPENING_MEMBERS
        if _member(cert, path) in (None, "", [], {})
    ]
    if missing:
        raise ValidationFailed(
            "an application needs at least "
            + ", ".join(f.path for f in missing)
            + "; nothing was stored",
            missing,
            pointer=missing[0].path,
        )


def exporter_identifiers(cert: dict[str, Any]) -> list[tuple[str | None, str]]:
    """The CO exporter's identifiers as (scheme, value) pairs."""
    found = _member(cert, ("parties", "exporter", "identifiers"))
    pairs: list[tuple[str | None, str]] = []
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and isinstance(item.get("value"), str):
            scheme = item.get("scheme")
            pairs.append((scheme if isinstance(scheme, str) else None, item["value"]))
    return pairs


def require_applicant(actor: Actor, cert: dict[str, Any]) -> None:
    """The opening members are there, and the actor may apply for this exporter."""
    require_opening_members(cert)
    actor.require_applies_for(exporter_identifiers(cert))
