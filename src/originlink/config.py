"""The node's configuration, read in one place.

Every setting comes from, in order of precedence: the environment (``ORIGINLINK_<NAME>``), the
node's ``node.toml`` (the section and key in :data:`SETTINGS`), or its default. Nothing else in
OriginLink reads the environment or the file: entry points ask :func:`load_settings` (every
setting of one node) or :func:`environment` (the settings a command without a node needs,
such as PDF fonts and key passphrases). ``originlink node show --config`` prints each setting
with its value and where it came from.

pydantic-settings checks values: a wrong one is a :class:`ConfigurationError` naming the
setting, its source and why; an unknown section or key in ``node.toml`` is refused (a typo).
"""

from __future__ import annotations

import os
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from originlink.domain.errors import ConfigurationError
from originlink.setting_places import SETTINGS as SETTINGS  # the table, kept beside
from originlink.setting_places import SettingPlace as SettingPlace

CONFIG_FILE = "node.toml"
DEFAULT_HOME = Path(".originlink")
ENV_PREFIX = "ORIGINLINK_"

Source = Literal["default", "file", "environment", "command line"]

_FILE_VALUES: ContextVar[dict[str, Any] | None] = ContextVar("originlink_file", default=None)

CommaList = Annotated[tuple[str, ...], NoDecode]
PathList = Annotated[tuple[Path, ...], NoDecode]


class Settings(BaseSettings):
    """Every setting of a node and of the command line, with its default."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, case_sensitive=False, extra="ignore", frozen=True
    )

    home: Path = Field(DEFAULT_HOME, description="the node's home folder")
    participant_id: str | None = Field(None, description="participant id, as in the trust list")
    name: str | None = Field(None, description="name of the authority or customs office")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 country of the node")
    authority_code: str | None = Field(None, description="issuing authority code (default: id)")
    roles: CommaList = Field(
        ("issuing-authority", "customs", "gateway"), description="roles of the node"
    )
    timezone: str = Field("UTC", description="IANA time zone of the node")
    agreements: CommaList = Field((), description="agreement codes the node works under")
    public_url: str | None = Field(None, description="public base URL of verification links")
    issue_place_locode: str | None = Field(None, description="UN/LOCODE of the place of issue")
    issue_place_name: str | None = Field(None, description="name of the place of issue")
    host: str = Field("127.0.0.1", description="address 'serve' listens on")
    port: int = Field(8080, ge=1, le=65535, description="port 'serve' listens on")
    database_url: str | None = Field(None, description="database URL (default: SQLite in home)")
    sqlite_synchronous: Literal["OFF", "NORMAL", "FULL", "EXTRA"] = Field(
        "NORMAL", description="SQLite durability: FULL also survives a power loss"
    )
    public_rate_per_minute: float = Field(
        60.0, gt=0, description="public verification: requests a minute per address"
    )
    public_burst: int = Field(20, ge=1, description="public verification: burst per address")
    clock_skew_seconds: int = Field(
        300, ge=0, le=3600, description="tolerated clock difference with partners"
    )
    replay_window_seconds: int = Field(
        300, ge=1, le=3600, description="age beyond which a signed G2G request is refused"
    )
    max_document_bytes: int = Field(
        8 * 1024 * 1024, ge=1024, description="largest CO document or request body"
    )
    max_message_bytes: int = Field(
        12 * 1024 * 1024,
        ge=64 * 1024,
        le=64 * 1024 * 1024,
        description="largest G2G request body (a message or a batch)",
    )
    max_attachment_bytes: int = Field(
        5 * 1024 * 1024, ge=0, description="attachments of one document, together"
    )
    page_size_max: int = Field(500, ge=1, le=10_000, description="largest page of a list")
    pdf_fonts: PathList = Field((), description="fallback fonts for printed COs")
    audit_checkpoint_seconds: int = Field(
        60, ge=1, le=86_400, description="interval of the signed checkpoints of the audit chain"
    )
    g2g_partner_rate_per_minute: float = Field(
        3000.0, gt=0, description="G2G: requests a minute per partner"
    )
    g2g_partner_burst: int = Field(500, ge=1, description="G2G: burst per partner")
    g2g_address_rate_per_minute: float = Field(
        3000.0, gt=0, description="G2G: requests a minute per client address"
    )
    g2g_address_burst: int = Field(500, ge=1, description="G2G: burst per client address")
    g2g_refused_samples_per_minute: int = Field(
        20,
        ge=0,
        le=10_000,
        description="G2G: unauthenticated refusals of one kind kept a minute (others counted)",
    )
    web_session_idle_minutes: int = Field(
        30, ge=1, le=24 * 60, description="web pages: a session unused this long ends"
    )
    web_session_max_hours: int = Field(
        12, ge=1, le=24 * 30, description="web pages: a session ends this long after sign-in"
    )
    web_lockout_failures: int = Field(
        5, ge=1, le=100, description="web pages: failed sign-ins in a row that lock a user"
    )
    web_lockout_minutes: int = Field(
        15, ge=1, le=24 * 60, description="web pages: how long a locked user waits"
    )
    web_require_second_factor: bool = Field(
        False, description="web pages: issuing officers and administrators need a TOTP code"
    )
    web_activation_hours: int = Field(
        72, ge=1, le=24 * 30, description="web pages: how long a one-time activation code works"
    )
    clock: Literal["real", "simulated"] = Field(
        "real", description="real, or simulated (a training node whose clock can be moved)"
    )
    training_manifest: Path | None = Field(
        None, description="the training sandbox's manifest: this node serves the lessons"
    )
    clock_file: Path | None = Field(
        None, description="the simulated clock's file (default: clock.json in the home)"
    )
    key_passphrase: SecretStr | None = Field(None, description="passphrase of the node's key")
    ca_passphrase: SecretStr | None = Field(None, description="passphrase of the pilot CA key")
    debug: bool = Field(False, description="print tracebacks of internal errors")
    bench_pg_url: str | None = Field(None, description="PostgreSQL URL for the benchmarks")
    workers: int = Field(1, ge=1, le=64, description="server processes 'serve' starts")
    serve_worker: bool = Field(
        True, description="run the delivery worker inside each server process"
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="proxies whose X-Forwarded-* headers are trusted (comma list)"
    )
    ssl_certfile: Path | None = Field(None, description="TLS certificate 'serve' presents")
    ssl_keyfile: Path | None = Field(None, description="TLS private key of ssl_certfile")
    redis_url: str | None = Field(
        None, description="Redis holding rate limits and seen nonces (default: the database)"
    )
    metrics_allow: CommaList = Field(
        ("127.0.0.1/32", "::1/128"), description="addresses allowed to read /metrics (CIDR)"
    )
    log_format: Literal["auto", "json", "console"] = Field(
        "auto", description="json, console, or auto (console on a terminal, else json)"
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="lowest level of log records written"
    )
    heartbeat_max_age_seconds: int = Field(
        60, ge=5, le=3600, description="/health/ready: oldest acceptable worker heartbeat"
    )
    key_file: Path | None = Field(None, description="node key file (e.g. mounted secret)")
    cert_file: Path | None = Field(None, description="node certificate file (with key_file)")
    key_passphrase_file: Path | None = Field(
        None, description="file holding the node key's passphrase (mounted secret)"
    )
    delivery_lease_seconds: int = Field(
        90, ge=2, le=3600, description="how long a worker's claim on a message lasts"
    )
    archive_dir: Path | None = Field(
        None, description="where retention writes archives (default: archive/ in the home)"
    )

    @field_validator("roles", "agreements", "metrics_allow", mode="before")
    @classmethod
    def _comma_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("pdf_fonts", mode="before")
    @classmethod
    def _path_list(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())
        return value

    @field_validator("sqlite_synchronous", "log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _NodeFileSource(settings_cls))


class _NodeFileSource(PydanticBaseSettingsSource):
    """The values ``node.toml`` holds, flattened to setting names (see :data:`SETTINGS`)."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return (_FILE_VALUES.get() or {}).get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_FILE_VALUES.get() or {})


@dataclass(frozen=True)
class LoadedSettings:
    """The settings of one node and where each came from."""

    settings: Settings
    sources: dict[str, Source]
    path: Path

    @property
    def home(self) -> Path:
        return self.settings.home

    def database_url(self) -> str:
        default = f"sqlite:///{(self.home / 'originlink.db').resolve()}"
        return self.settings.database_url or default

    def describe(self) -> list[dict[str, Any]]:
        """Every setting with its value (secrets masked), source, file place and variable."""
        rows = []
        for name, place in SETTINGS.items():
            value = getattr(self.settings, name)
            if isinstance(value, SecretStr):
                shown: Any = "********"
            elif isinstance(value, tuple):
                shown = [str(v) for v in value]
            elif isinstance(value, Path):
                shown = str(value)
            else:
                shown = value
            if name == "database_url":
                shown = _without_password(self.database_url())
            if name == "redis_url" and isinstance(value, str):
                shown = _without_password(value)
            rows.append(
                {
                    "name": name,
                    "value": shown,
                    "source": self.sources[name],
                    "file": f"[{place.section}] {place.key}" if place.section else None,
                    "environment": env_name(name),
                }
            )
        return rows


def _without_password(url: str) -> str:
    """A database URL as it may be shown (``postgresql://user:***@host/db``)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


def env_name(setting: str) -> str:
    return ENV_PREFIX + setting.upper()


def resolve_home(home: Path | None) -> Path:
    """The home folder: the one given, else ``ORIGINLINK_HOME``, else ``./.originlink``."""
    if home is not None:
        return home
    return _build({}, {}).home


def environment() -> Settings:
    """The settings that need no node (the environment over the defaults)."""
    return _build({}, {})


def load_settings(home: Path | None = None, *, require_file: bool = True) -> LoadedSettings:
    """Every setting of the node in ``home`` (see :func:`resolve_home`)."""
    given = home
    home = resolve_home(home)
    path = home / CONFIG_FILE
    values: dict[str, Any] = {}
    if path.is_file():
        values = read_file(path)
    elif require_file:
        raise ConfigurationError(
            f"{path} does not exist: create the node with 'originlink node init' (or set --home)"
        )
    settings = _build(values, {"home": home}, origin=str(path))
    environ = _environ_upper()
    sources: dict[str, Source] = {}
    for name in SETTINGS:
        if name == "home" and given is not None:
            sources[name] = "command line"
        elif env_name(name) in environ:
            sources[name] = "environment"
        elif name in values:
            sources[name] = "file"
        else:
            sources[name] = "default"
    return LoadedSettings(settings, sources, path)


def read_file(path: Path) -> dict[str, Any]:
    """``node.toml`` as flat setting values; unknown sections and keys are refused."""
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from None
    by_place = {(p.section, p.key): name for name, p in SETTINGS.items() if p.section}
    sections = {p.section for p in SETTINGS.values() if p.section}
    values: dict[str, Any] = {}
    for section, table in raw.items():
        if section not in sections or not isinstance(table, dict):
            raise ConfigurationError(
                f"{path}: [{section}] is not a section of node.toml "
                f"(sections: {', '.join(sorted(s for s in sections if s))})"
            )
        for key, value in table.items():
            name = by_place.get((section, key))
            if name is None:
                known = sorted(k for (s, k) in by_place if s == section and k)
                raise ConfigurationError(
                    f"{path}: [{section}] {key} is not a setting (known: {', '.join(known)})"
                )
            values[name] = value
    return values


def _environ_upper() -> set[str]:
    return {key.upper() for key in os.environ if key.upper().startswith(ENV_PREFIX)}


def _build(file_values: dict[str, Any], explicit: dict[str, Any], origin: str = "") -> Settings:
    token = _FILE_VALUES.set(file_values)
    try:
        return Settings(**explicit)
    except ValidationError as exc:
        raise ConfigurationError(_explain(exc, file_values, origin)) from None
    finally:
        _FILE_VALUES.reset(token)


def _explain(exc: ValidationError, file_values: dict[str, Any], origin: str) -> str:
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        place = SETTINGS.get(name)
        if env_name(name) in _environ_upper():
            where = env_name(name)
        elif name in file_values and place is not None and place.section:
            where = f"{origin or CONFIG_FILE} [{place.section}] {place.key}"
        else:
            where = name
        problems.append(f"{where}: {error['msg']} (got {error.get('input')!r})")
    return "; ".join(problems)


#: prometheus-client's multiprocess directory, set by ``serve --workers N`` for its processes.
METRICS_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def hand_down(**values: str) -> None:
    """Set settings in the environment of the processes this one starts (``serve --workers``)."""
    for name, value in values.items():
        if name not in SETTINGS:
            raise ValueError(f"{name} is not a setting")
        os.environ[env_name(name)] = value


def set_metrics_dir(path: Path | None) -> None:
    """Put the server processes to be started in prometheus-client's multiprocess mode."""
    os.environ.pop(METRICS_DIR_ENV, None)
    if path is not None:
        os.environ[METRICS_DIR_ENV] = str(path)


def metrics_dir() -> Path | None:
    """The multiprocess metrics directory of this process, if it runs in that mode."""
    value = os.environ.get(METRICS_DIR_ENV)
    return Path(value) if value else None
