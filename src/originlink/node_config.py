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
class Operations:
    """Settings of a node in production: several processes, TLS, where shared state lives,
    who may read the metrics, how logs are written, where mounted keys are."""

    workers: int = 1
    serve_worker: bool = True
    forwarded_allow_ips: str = "127.0.0.1"
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None
    redis_url: str | None = None
    metrics_allow: tuple[str, ...] = ("127.0.0.1/32", "::1/128")
    log_format: str = "auto"
    log_level: str = "INFO"
    heartbeat_max_age: timedelta = timedelta(seconds=60)
    key_file: Path | None = None
    cert_file: Path | None = None
    archive_dir: Path | None = None


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
    #: How the node runs in production (processes, TLS, shared state, metrics, logs).
    ops: Operations = field(default_factory=lambda: Operations())

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
        if self.settings.training_manifest is not None:
            document["training"] = {"manifest": str(self.settings.training_manifest)}
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
            delivery_lease=timedelta(seconds=s.delivery_lease_seconds),
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
            activation_valid=timedelta(hours=s.web_activation_hours),
            training_manifest=s.training_manifest,
        ),
        public_rate=RateLimit(rate_per_minute=s.public_rate_per_minute, burst=s.public_burst),
        sqlite_synchronous=s.sqlite_synchronous,
        pdf_fonts=s.pdf_fonts,
        key_passphrase=_passphrase(s),
        clock=s.clock,
        clock_file=s.clock_file,
        ops=Operations(
            workers=s.workers,
            serve_worker=s.serve_worker,
            forwarded_allow_ips=s.forwarded_allow_ips,
            ssl_certfile=s.ssl_certfile,
            ssl_keyfile=s.ssl_keyfile,
            redis_url=s.redis_url,
            metrics_allow=s.metrics_allow,
            log_format=s.log_format,
            log_level=s.log_level,
            heartbeat_max_age=timedelta(seconds=s.heartbeat_max_age_seconds),
            key_file=s.key_file,
            cert_file=s.cert_file,
            archive_dir=s.archive_dir,
        ),
    )


def _passphrase(s: Settings) -> str | None:
    """The key's passphrase: the setting, else the file an orchestrator mounted (its first
    line; a missing or unreadable file is a configuration error naming it)."""
    if s.key_passphrase is not None:
        return s.key_passphrase.get_secret_value()
    if s.key_passphrase_file is None:
        return None
    try:
        text = s.key_passphrase_file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"key_passphrase_file {s.key_passphrase_file}: cannot be read ({exc})"
        ) from None
    return text.splitlines()[0] if text else ""


def load_config(home: Path | None = None) -> NodeConfig:
    """The configuration of the node in ``home`` (see :func:`originlink.config.resolve_home`)."""
    return node_config(load_settings(home))
