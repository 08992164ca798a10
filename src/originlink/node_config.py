"""A node's configuration as the composition root uses it: identity, database, server, limits.

Built from the settings :mod:`originlink.config` reads (``node.toml``, the environment,
defaults); :meth:`NodeConfig.as_toml` writes the file ``originlink node init`` creates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tomli_w

from originlink.api.ratelimit import RateLimit
from originlink.config import LoadedSettings, Settings, load_settings
from originlink.domain.codelists import is_country
from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import bundled_profiles
from originlink.services.context import NodeIdentity, NodeSettings

_ROLES = frozenset({"issuing-authority", "customs", "gateway", "hub"})
DEFAULT_ROLES = ("issuing-authority", "customs", "gateway")


@dataclass(frozen=True)
class NodeConfig:
    home: Path
    identity: NodeIdentity
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8080
    agreements: tuple[str, ...] = ()
    settings: NodeSettings = field(default_factory=NodeSettings)
    public_rate: RateLimit = field(default_factory=RateLimit)
    sqlite_synchronous: str = "NORMAL"
    pdf_fonts: tuple[Path, ...] = ()
    key_passphrase: str | None = None
    #: ``real`` or ``simulated`` (a training node; see :mod:`originlink.store.clock`).
    clock: str = "real"
    clock_file: Path | None = None

    @property
    def simulated_clock_file(self) -> Path:
        """Where a simulated clock keeps its offset (relative paths are from the home)."""
        path = self.clock_file or Path("clock.json")
        return path if path.is_absolute() else self.home / path

    def as_toml(self) -> str:
        """The ``node.toml`` of this configuration (what differs from the defaults)."""
        ident = self.identity
        node: dict[str, Any] = {
            "participant_id": ident.participant_id,
            "name": ident.name,
            "country": ident.country,
            "authority_code": ident.authority_code,
            "roles": sorted(ident.roles),
            "timezone": ident.timezone,
            "agreements": list(self.agreements),
        }
        for key, value in (
            ("public_base_url", ident.public_base_url),
            ("issue_place_locode", ident.issue_place_locode),
            ("issue_place_name", ident.issue_place_name),
        ):
            if value:
                node[key] = value
        document: dict[str, Any] = {
            "node": node,
            "server": {"host": self.host, "port": self.port},
        }
        if self.clock != "real":
            clock: dict[str, Any] = {"mode": self.clock}
            if self.clock_file is not None:
                clock["file"] = str(self.clock_file)
            document["clock"] = clock
        default_db = f"sqlite:///{(self.home / 'originlink.db').resolve()}"
        if self.database_url != default_db:
            document["database"] = {"url": self.database_url}
        header = "# OriginLink node configuration (written by 'originlink node init').\n"
        return header + tomli_w.dumps(document)


def make_identity(raw: dict[str, Any], *, origin: str) -> NodeIdentity:
    """The node's identity from ``[node]`` values, each checked with a precise error."""

    def need(key: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"{origin}: [node] {key} is required")
        return value.strip()

    country = need("country")
    if not is_country(country):
        raise ConfigurationError(f"{origin}: [node] country {country!r} is not ISO 3166-1")
    roles = frozenset(raw.get("roles") or DEFAULT_ROLES)
    unknown = roles - _ROLES
    if unknown:
        raise ConfigurationError(f"{origin}: [node] unknown roles {sorted(unknown)}")
    timezone = str(raw.get("timezone") or "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigurationError(f"{origin}: [node] timezone {timezone!r} is unknown") from None
    participant = need("participant_id")
    return NodeIdentity(
        participant_id=participant,
        name=need("name"),
        country=country,
        authority_code=str(raw.get("authority_code") or participant),
        roles=roles,
        timezone=timezone,
        public_base_url=raw.get("public_base_url"),
        issue_place_locode=raw.get("issue_place_locode"),
        issue_place_name=raw.get("issue_place_name"),
    )


def node_config(loaded: LoadedSettings) -> NodeConfig:
    """The typed configuration of a node from its settings."""
    s: Settings = loaded.settings
    identity = make_identity(
        {
            "participant_id": s.participant_id,
            "name": s.name,
            "country": s.country,
            "authority_code": s.authority_code,
            "roles": list(s.roles),
            "timezone": s.timezone,
            "public_base_url": s.public_url,
            "issue_place_locode": s.issue_place_locode,
            "issue_place_name": s.issue_place_name,
        },
        origin=str(loaded.path),
    )
    profiles = bundled_profiles()
    for code in s.agreements:
        profiles.require(code)
    return NodeConfig(
        home=loaded.home,
        identity=identity,
        database_url=loaded.database_url(),
        host=s.host,
        port=s.port,
        agreements=s.agreements,
        settings=NodeSettings(
            clock_skew=timedelta(seconds=s.clock_skew_seconds),
            max_document_bytes=s.max_document_bytes,
            max_attachment_bytes=s.max_attachment_bytes,
            page_size_max=s.page_size_max,
            replay_window=timedelta(seconds=s.replay_window_seconds),
            pdf_fonts=s.pdf_fonts,
            audit_checkpoint_seconds=s.audit_checkpoint_seconds,
            max_message_bytes=s.max_message_bytes,
            g2g_partner_rate_per_minute=s.g2g_partner_rate_per_minute,
            g2g_partner_burst=s.g2g_partner_burst,
            g2g_address_rate_per_minute=s.g2g_address_rate_per_minute,
            g2g_address_burst=s.g2g_address_burst,
            g2g_refused_samples_per_minute=s.g2g_refused_samples_per_minute,
            session_idle=timedelta(minutes=s.web_session_idle_minutes),
            session_max=timedelta(hours=s.web_session_max_hours),
            lockout_failures=s.web_lockout_failures,
            lockout_duration=timedelta(minutes=s.web_lockout_minutes),
            require_second_factor=s.web_require_second_factor,
        ),
        public_rate=RateLimit(rate_per_minute=s.public_rate_per_minute, burst=s.public_burst),
        sqlite_synchronous=s.sqlite_synchronous,
        pdf_fonts=s.pdf_fonts,
        key_passphrase=s.key_passphrase.get_secret_value() if s.key_passphrase else None,
        clock=s.clock,
        clock_file=s.clock_file,
    )


def load_config(home: Path | None = None) -> NodeConfig:
    """The configuration of the node in ``home`` (see :func:`originlink.config.resolve_home`)."""
    return node_config(load_settings(home))
