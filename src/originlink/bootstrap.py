"""The composition root: wires store, clock, profiles, keys, message handlers and hooks into a
node. Every node is built by :func:`bootstrap`: the real ones (CLI, server, worker, demo, from
their configuration through :func:`build_node`) and the test ones
(:mod:`originlink.testing`), so a test node handles the same messages with the same hooks.

What a node does with a message type is one table (:func:`message_handlers`), and what runs
inside or after its use cases is one list of hooks (:func:`node_hooks`): nothing registers
itself by being imported.

A node lives in a *home* directory (``--home``, environment ``ORIGINLINK_HOME``, default
``./.originlink``) holding ``node.toml``, the SQLite database (unless ``database_url`` points
elsewhere, e.g. PostgreSQL), ``keys/`` and ``trust/``; :mod:`originlink.config` reads it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from originlink.config import metrics_dir
from originlink.domain.clock import Clock, SystemClock
from originlink.domain.errors import ConfigurationError
from originlink.domain.messages import MessageType
from originlink.domain.profiles import ProfileRegistry, bundled_profiles
from originlink.exchange.shared_state import SharedState
from originlink.exchange.transport import HttpTransport, Transport
from originlink.node_config import NodeConfig
from originlink.services.context import DocumentSigner, Node, NodeHooks, NodeIdentity, NodeSettings
from originlink.services.importing import (
    pull_client,
    receiving,
    reviews,
    status_updates,
    utilisation,
)
from originlink.services.messaging import hub, outgoing, refusals, responses
from originlink.services.messaging.delivery import worker_for
from originlink.services.messaging.handlers import Handler
from originlink.services.node import checkpoints
from originlink.services.unit_of_work import Storage
from originlink.services.verification import answers, deadlines, public, requests
from originlink.store.clock import SimulatedClock
from originlink.store.core import Store
from originlink.store.shared_state import RedisSharedState, SqlSharedState
from originlink.trust.document_signer import TrustDocumentSigner
from originlink.trust.signer import (
    KeyFiles,
    Signer,
    load_mounted_signer,
    load_participant_signer,
)
from originlink.trust.trustlist import TrustStore

if TYPE_CHECKING:
    from originlink.api.health import Check


def message_handlers() -> dict[MessageType, Handler]:
    """What a node does with each message type it accepts (one handler per type)."""
    return {
        MessageType.CO_ISSUED: receiving.on_co_issued,
        MessageType.CO_NOTIFICATION: receiving.on_co_notification,
        MessageType.CO_STATUS: status_updates.on_co_status,
        MessageType.BUSINESS_RESPONSE: responses.on_business_response,
        MessageType.RECEIPT: responses.on_receipt,
        MessageType.CO_UTILISATION: utilisation.on_utilisation,
        MessageType.VERIFICATION_REQUEST: answers.on_request,
        MessageType.VERIFICATION_ACK: requests.on_ack,
        MessageType.VERIFICATION_RESPONSE: requests.on_response,
    }


def node_hooks(*, is_hub: bool = False) -> NodeHooks:
    """What runs inside use cases and in the worker's rounds, in order:

    * a CO issued: the message to the importing side is queued (transactional outbox), and
      the digest of its version is kept for public verification;
    * a CO's status changed: ``co.status`` to the partners that have it, the digest of the new
      version, and (a received CO cancelled or replaced) its claims listed for review;
    * every worker round: COs announced by hybrid notifications are pulled, partners'
      mailboxes polled, verification deadlines applied, a signed checkpoint of the audit
      chain made when its interval has passed, and the counts of refused traffic of a minute
      that is over written;
    * a message delivered: on a hub, the recipient's receipt relayed to the sender.
    """
    return NodeHooks(
        on_issued=[outgoing.send_issued, public.record_version_digest],
        on_status_changed=[
            outgoing.send_status,
            public.record_version_digest,
            reviews.list_for_review,
        ],
        periodic=[
            pull_client.pull_announced,
            pull_client.poll_mailboxes,
            deadlines.run_due,
            checkpoints.checkpoint_due,
            refusals.flush_due,
        ],
        on_delivered=[hub.relay_receipt] if is_hub else [],
    )


def bootstrap(
    *,
    store: Storage,
    clock: Clock,
    identity: NodeIdentity,
    profiles: ProfileRegistry | None = None,
    settings: NodeSettings | None = None,
    signer: DocumentSigner | None = None,
    trust: TrustStore | None = None,
    gateway: Signer | None = None,
    transport: Transport | None = None,
    is_hub: bool = False,
) -> Node:
    """A node with its message handlers and hooks: the one way every node is built."""
    return Node(
        store=store,
        clock=clock,
        profiles=profiles or bundled_profiles(),
        identity=identity,
        signer=signer,
        settings=settings or NodeSettings(),
        hooks=node_hooks(is_hub=is_hub),
        trust=trust,
        gateway=gateway,
        transport=transport,
        handlers=message_handlers(),
    )


def secure_home(home: Path) -> Path:
    """The node's home, mode 0700, and this process's umask 077: everything the node creates
    from now on (database, ``node.toml``, ``trust/``, keys, archives) is 0600 in 0700 folders,
    readable by the account that runs the node alone."""
    os.umask(0o077)
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    home.chmod(0o700)
    return home


def load_node_signer(config: NodeConfig) -> Signer | None:
    """The node's key: the files an orchestrator mounted (settings ``key_file`` and
    ``cert_file``, the certificate file holding the chain after the leaf), else
    ``<home>/keys`` (None when it has none yet: issuing and exchanging then fail with a
    message saying to run ``originlink keys init``)."""
    ops = config.ops
    if ops.key_file is not None or ops.cert_file is not None:
        if ops.key_file is None or ops.cert_file is None:
            raise ConfigurationError("key_file and cert_file are set together, or neither")
        return load_mounted_signer(ops.key_file, ops.cert_file, config.key_passphrase)
    keys_dir = config.home / "keys"
    files = KeyFiles.of(keys_dir, config.identity.participant_id)
    if not files.key.is_file() or not files.cert.is_file():
        return None
    return load_participant_signer(keys_dir, config.identity.participant_id, config.key_passphrase)


def build_node(
    config: NodeConfig,
    *,
    clock: Clock | None = None,
    signer: DocumentSigner | None = None,
    transport: Transport | None = None,
    is_hub: bool = False,
) -> Node:
    """The node a configuration describes: database migrated, profiles loaded, its key, trust
    store and transport when it has them, handlers and hooks in place."""
    secure_home(config.home)
    control = None
    if clock is None and config.clock == "simulated":
        clock = control = SimulatedClock(config.simulated_clock_file)
    clock = clock or SystemClock()
    key = load_node_signer(config)
    store = Store(config.database_url, sqlite_synchronous=config.sqlite_synchronous)
    count_database_errors()
    node = bootstrap(
        store=store,
        clock=clock,
        identity=replace(config.identity, agreements=config.agreements),
        settings=config.settings,
        signer=signer or (TrustDocumentSigner(key) if key is not None else None),
        trust=TrustStore.open(config.home / "trust", clock=clock),
        gateway=key,
        transport=transport or (HttpTransport(key, clock) if key is not None else None),
        is_hub=is_hub,
    )
    node.clock_control = control
    node.shared_state = shared_state_for(config, store)
    return node


def shared_state_for(config: NodeConfig, store: Store) -> SharedState | None:
    """Where instances share rate limits and seen nonces: Redis when ``redis_url`` is set,
    else PostgreSQL; on SQLite (one process per node) in memory (None)."""
    if config.ops.redis_url:
        return RedisSharedState(config.ops.redis_url, prefix=config.identity.participant_id)
    if not store.is_sqlite:
        return SqlSharedState(store.engine)
    return None


def count_database_errors() -> None:
    """Count every failed statement in ``originlink_database_errors_total`` (once a process)."""
    from originlink.api.metrics import DATABASE_ERRORS
    from originlink.store.db import ERROR_OBSERVERS

    if not any(getattr(o, "originlink_metrics", False) for o in ERROR_OBSERVERS):

        def counted(kind: str) -> None:
            DATABASE_ERRORS.labels(kind).inc()

        counted.originlink_metrics = True  # type: ignore[attr-defined]
        ERROR_OBSERVERS.append(counted)


def readiness_checks(node: Node, config: NodeConfig) -> dict[str, Check]:
    """What ``/health/ready`` checks: the database answers, its schema is at the head
    migration, the signing key loads, and a delivery worker beat recently."""
    from originlink.services.node.operations import worker_problem
    from originlink.store.migrate import current_revision, head_revision

    def database() -> str | None:
        with node.store.read() as tx:
            tx.operations.last_beat()
        return None

    def migrations() -> str | None:
        store = node.store
        assert isinstance(store, Store)
        current, head = current_revision(store.engine), head_revision()
        return None if current == head else f"schema at {current}, code expects {head}"

    def signing_key() -> str | None:
        if load_node_signer(config) is None:
            return "the node has no key yet ('originlink keys init')"
        return None

    def worker() -> str | None:
        return worker_problem(node, config.ops.heartbeat_max_age)

    return {
        "database": database,
        "migrations": migrations,
        "signing_key": signing_key,
        "worker": worker,
    }


def build_app(node: Node, config: NodeConfig, *, run_worker: bool = True) -> Any:
    """The node's ASGI application with everything its roles need; with ``run_worker`` the
    delivery worker runs in a thread for as long as the application runs."""
    from originlink.api.access import AccessLog
    from originlink.api.app import create_app
    from originlink.api.g2g import router as g2g_router
    from originlink.api.health import create_health_router
    from originlink.api.metrics import create_metrics_router
    from originlink.api.public import create_public_router
    from originlink.api.ratelimit import TokenBucketLimiter
    from originlink.web.docs import install_docs
    from originlink.web.pages import VerificationPages
    from originlink.web.public_site import create_site_router
    from originlink.web.router import create_web_router

    limiter = TokenBucketLimiter(config.public_rate, state=node.shared_state)
    public = create_public_router(limiter, VerificationPages(node.identity.name))
    site = create_site_router(node, limiter)
    starts: list[Any] = []
    stops: list[Any] = []
    if run_worker and node.transport is not None:
        runner = WorkerThread(node)
        starts.append(runner.start)
        stops.append(runner.stop)
    identity = {"participant": node.identity.participant_id, "country": node.identity.country}
    routers = [
        g2g_router,
        public,
        site,
        create_web_router(),
        create_health_router(readiness_checks(node, config), identity),
        create_metrics_router(
            node, config.ops.metrics_allow, multiprocess_mode=metrics_dir() is not None
        ),
    ]
    app = create_app(node, extra_routers=routers, on_startup=starts, on_shutdown=stops)
    install_docs(app)
    app.add_middleware(AccessLog)
    return app


def build_configured_app(home: Path | None = None) -> Any:
    """The application of the node in ``home`` (default ``ORIGINLINK_HOME``), with its logs
    set up: what :func:`originlink.api.asgi.create_app` gives uvicorn and gunicorn."""
    from originlink.api.logs import configure_logging
    from originlink.node_config import load_config

    config = load_config(home)
    configure_logging(fmt=config.ops.log_format, level=config.ops.log_level)
    node = build_node(config)
    return build_app(node, config, run_worker=config.ops.serve_worker)


def build_hub_app(node: Node, config: NodeConfig) -> Any:
    """A hub's ASGI application: routing, mailboxes, tracking, and its forwarding worker."""
    from originlink.api.app import create_app
    from originlink.api.hub import router as hub_router
    from originlink.web.docs import install_docs

    runner = WorkerThread(node)
    app = create_app(
        node, extra_routers=[hub_router], on_startup=[runner.start], on_shutdown=[runner.stop]
    )
    install_docs(app)
    return app


class WorkerThread:
    """The delivery worker in a background thread, woken when a message is queued."""

    def __init__(self, node: Node) -> None:
        self.node = node
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
        # refusals counted but not yet written (their minute is not over) are written now
        counted = refusals.counter(self.node).close_due(self.node.now(), force=True)
        refusals.write_counts(self.node, counted)
