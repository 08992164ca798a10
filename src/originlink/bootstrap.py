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

import threading
from dataclasses import replace
from typing import Any

from originlink.domain.clock import Clock, SystemClock
from originlink.domain.messages import MessageType
from originlink.domain.profiles import ProfileRegistry, bundled_profiles
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
from originlink.trust.document_signer import TrustDocumentSigner
from originlink.trust.signer import KeyFiles, Signer, load_participant_signer
from originlink.trust.trustlist import TrustStore


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


def load_node_signer(config: NodeConfig) -> Signer | None:
    """The node's key from ``<home>/keys`` (None when it has none yet: issuing and exchanging
    then fail with a message saying to run ``originlink keys init``)."""
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
    config.home.mkdir(parents=True, exist_ok=True)
    control = None
    if clock is None and config.clock == "simulated":
        clock = control = SimulatedClock(config.simulated_clock_file)
    clock = clock or SystemClock()
    key = load_node_signer(config)
    node = bootstrap(
        store=Store(config.database_url, sqlite_synchronous=config.sqlite_synchronous),
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
    return node


def build_app(node: Node, config: NodeConfig, *, run_worker: bool = True) -> Any:
    """The node's ASGI application with everything its roles need; with ``run_worker`` the
    delivery worker runs in a thread for as long as the application runs."""
    from originlink.api.app import create_app
    from originlink.api.g2g import router as g2g_router
    from originlink.api.public import create_public_router
    from originlink.api.ratelimit import TokenBucketLimiter
    from originlink.web.docs import install_docs
    from originlink.web.pages import VerificationPages
    from originlink.web.public_site import create_site_router
    from originlink.web.router import create_web_router

    limiter = TokenBucketLimiter(config.public_rate)
    public = create_public_router(limiter, VerificationPages(node.identity.name))
    site = create_site_router(node, limiter)
    starts: list[Any] = []
    stops: list[Any] = []
    if run_worker and node.transport is not None:
        runner = WorkerThread(node)
        starts.append(runner.start)
        stops.append(runner.stop)
    app = create_app(
        node,
        extra_routers=[g2g_router, public, site, create_web_router()],
        on_startup=starts,
        on_shutdown=stops,
    )
    install_docs(app)
    return app


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
