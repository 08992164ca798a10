"""The composition root: reads a node's configuration and wires store, clock, profiles, keys and
services together. Every entry point (CLI, server, worker, demo) builds its node here.

A node lives in a *home* directory (``--home``, environment ``ORIGINLINK_HOME``, default
``./.originlink``) holding ``node.toml``, the SQLite database (unless ``database_url`` or
``ORIGINLINK_DATABASE_URL`` points elsewhere, e.g. PostgreSQL), ``keys/`` and ``trust/``.
Environment variables override the file: ``ORIGINLINK_DATABASE_URL``, ``ORIGINLINK_HOST``,
``ORIGINLINK_PORT``, ``ORIGINLINK_PUBLIC_URL``.

Public verification (``/verify/...``) is rate limited per client address; ``[public]
rate_per_minute`` (default 60) and ``burst`` (default 20) in ``node.toml`` set the bucket.
"""

from __future__ import annotations

import os
import threading
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from originlink.api.ratelimit import RateLimit
from originlink.domain.clock import Clock, SystemClock
from originlink.domain.codelists import is_country
from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import bundled_profiles
from originlink.exchange.transport import HttpTransport, Transport
from originlink.services import wiring
from originlink.services.context import DocumentSigner, Node, NodeIdentity, NodeSettings
from originlink.services.delivery import worker_for
from originlink.services.signing import TrustDocumentSigner
from originlink.store.core import Store
from originlink.trust.signer import KeyFiles, Signer, load_participant_signer
from originlink.trust.trustlist import TrustStore

CONFIG_FILE = "node.toml"
DEFAULT_HOME = Path(".originlink")


def resolve_home(home: Path | None) -> Path:
    if home is not None:
        return home
    env = os.environ.get("ORIGINLINK_HOME")
    return Path(env) if env else DEFAULT_HOME


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

    def as_toml(self) -> str:
        ident = self.identity
        lines = [
            "# OriginLink node configuration (written by 'originlink node init').",
            "[node]",
            f'participant_id = "{ident.participant_id}"',
            f'name = "{ident.name}"',
            f'country = "{ident.country}"',
            f'authority_code = "{ident.authority_code}"',
            f"roles = [{', '.join(repr(r) for r in sorted(ident.roles))}]".replace("'", '"'),
            f'timezone = "{ident.timezone}"',
            f"agreements = [{', '.join(repr(a) for a in self.agreements)}]".replace("'", '"'),
        ]
        if ident.public_base_url:
            lines.append(f'public_base_url = "{ident.public_base_url}"')
        if ident.issue_place_locode:
            lines.append(f'issue_place_locode = "{ident.issue_place_locode}"')
        if ident.issue_place_name:
            lines.append(f'issue_place_name = "{ident.issue_place_name}"')
        lines += ["", "[server]", f'host = "{self.host}"', f"port = {self.port}"]
        default_db = f"sqlite:///{(self.home / 'originlink.db').resolve()}"
        if self.database_url != default_db:
            lines += ["", "[database]", f'url = "{self.database_url}"']
        return "\n".join(lines) + "\n"


_ROLES = frozenset({"issuing-authority", "customs", "gateway", "hub"})


def make_identity(raw: dict[str, Any], *, origin: str) -> NodeIdentity:
    def need(key: str) -> str:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigurationError(f"{origin}: [node] {key} is required")
        return value.strip()

    country = need("country")
    if not is_country(country):
        raise ConfigurationError(f"{origin}: [node] country {country!r} is not ISO 3166-1")
    roles = frozenset(raw.get("roles") or ["issuing-authority", "customs", "gateway"])
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


def load_config(home: Path | None = None) -> NodeConfig:
    home = resolve_home(home)
    path = home / CONFIG_FILE
    if not path.is_file():
        raise ConfigurationError(
            f"{path} does not exist: create the node with 'originlink node init' (or set --home)"
        )
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: not valid TOML: {exc}") from None
    node_raw = raw.get("node") or {}
    identity = make_identity(node_raw, origin=str(path))
    public = os.environ.get("ORIGINLINK_PUBLIC_URL")
    if public:
        identity = replace(identity, public_base_url=public)
    server = raw.get("server") or {}
    database = raw.get("database") or {}
    default_db = f"sqlite:///{(home / 'originlink.db').resolve()}"
    url = os.environ.get("ORIGINLINK_DATABASE_URL") or database.get("url") or default_db
    port_text = os.environ.get("ORIGINLINK_PORT") or str(server.get("port", 8080))
    try:
        port = int(port_text)
    except ValueError:
        raise ConfigurationError(f"port {port_text!r} is not a number") from None
    agreements = tuple(node_raw.get("agreements") or ())
    public_rate = _public_rate(raw.get("public") or {}, origin=str(path))
    profiles = bundled_profiles()
    for code in agreements:
        profiles.require(code)
    return NodeConfig(
        home=home,
        identity=identity,
        database_url=url,
        host=os.environ.get("ORIGINLINK_HOST") or str(server.get("host", "127.0.0.1")),
        port=port,
        agreements=agreements,
        public_rate=public_rate,
    )


def _public_rate(raw: dict[str, Any], *, origin: str) -> RateLimit:
    defaults = RateLimit()
    try:
        return RateLimit(
            rate_per_minute=float(raw.get("rate_per_minute", defaults.rate_per_minute)),
            burst=int(raw.get("burst", defaults.burst)),
        )
    except (TypeError, ValueError) as exc:
        raise ConfigurationError(f"{origin}: [public] {exc}") from None


def load_node_signer(config: NodeConfig) -> Signer | None:
    """The node's key from ``<home>/keys`` (None when it has none yet: issuing and exchanging
    then fail with a message saying to run ``originlink keys init``)."""
    keys_dir = config.home / "keys"
    files = KeyFiles.of(keys_dir, config.identity.participant_id)
    if not files.key.is_file() or not files.cert.is_file():
        return None
    passphrase = os.environ.get("ORIGINLINK_KEY_PASSPHRASE")
    return load_participant_signer(keys_dir, config.identity.participant_id, passphrase)


def build_node(
    config: NodeConfig,
    *,
    clock: Clock | None = None,
    signer: DocumentSigner | None = None,
    transport: Transport | None = None,
) -> Node:
    """A node ready for services: database migrated, profiles loaded, its key, trust store and
    transport when it has them, handlers and hooks installed."""
    config.home.mkdir(parents=True, exist_ok=True)
    clock = clock or SystemClock()
    key = load_node_signer(config)
    trust = TrustStore.open(config.home / "trust", clock=clock)
    identity = replace(config.identity, agreements=config.agreements)
    node = Node(
        store=Store(config.database_url),
        clock=clock,
        profiles=bundled_profiles(),
        identity=identity,
        signer=signer or (TrustDocumentSigner(key) if key is not None else None),
        settings=config.settings,
        trust=trust,
        gateway=key,
        transport=transport or (HttpTransport(key, clock) if key is not None else None),
    )
    return wiring.install(node)


def build_app(node: Node, config: NodeConfig, *, run_worker: bool = True) -> Any:
    """The node's ASGI application with everything its roles need; with ``run_worker`` the
    delivery worker runs in a thread for as long as the application runs."""
    from originlink.api.app import create_app
    from originlink.api.g2g import router as g2g_router
    from originlink.api.public import create_public_router
    from originlink.api.ratelimit import TokenBucketLimiter
    from originlink.web.pages import VerificationPages

    public = create_public_router(
        TokenBucketLimiter(config.public_rate), VerificationPages(node.identity.name)
    )
    starts: list[Any] = []
    stops: list[Any] = []
    if run_worker and node.transport is not None:
        runner = WorkerThread(node)
        starts.append(runner.start)
        stops.append(runner.stop)
    return create_app(
        node, extra_routers=[g2g_router, public], on_startup=starts, on_shutdown=stops
    )


def build_hub_app(node: Node, config: NodeConfig) -> Any:
    """A hub's ASGI application: routing, mailboxes, tracking, and its forwarding worker."""
    from originlink.api.app import create_app
    from originlink.api.hub import router as hub_router
    from originlink.services import hub as hub_service

    hub_service.install(node)
    runner = WorkerThread(node)
    return create_app(
        node, extra_routers=[hub_router], on_startup=[runner.start], on_shutdown=[runner.stop]
    )


class WorkerThread:
    """The delivery worker in a background thread, woken when a message is queued."""

    def __init__(self, node: Node) -> None:
        self.worker = worker_for(node)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        node.hooks.on_message_queued.append(self.worker.wake.set)

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.worker.run_forever,
            args=(self._stop,),
            name="originlink-delivery",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.worker.wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.worker.close()
