"""What every use case is given: the node's store, clock, profiles, identity and ports.

Ports are the small interfaces the services need from adapters; the composition root
(``originlink.bootstrap``) plugs the real implementations in, tests may plug others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from originlink.domain.clock import Clock
from originlink.domain.dataset import CODocument
from originlink.domain.errors import ConfigurationError
from originlink.domain.profiles import ProfileRegistry
from originlink.exchange.shared_state import SharedState
from originlink.exchange.transport import Transport
from originlink.services.unit_of_work import Storage
from originlink.trust.signer import Signer
from originlink.trust.trustlist import TrustStore

if TYPE_CHECKING:
    from originlink.exchange.wire import WireMessage
    from originlink.services.messaging.handlers import MessageHandlers
    from originlink.services.unit_of_work import UnitOfWork
    from originlink.store.clock import ClockState
    from originlink.store.repos.certificates import CertificateRecord
    from originlink.store.repos.outbox import OutboxMessage


class DocumentSigner(Protocol):
    """Signs a CO document as the node's issuing authority (a JWS over the canonical form)."""

    @property
    def key_id(self) -> str: ...

    def sign(
        self, doc: CODocument, *, signing_time: datetime, canonical: bytes | None = None
    ) -> CODocument: ...


@dataclass(frozen=True, slots=True)
class NodeIdentity:
    """Who this node is, as its trust list says."""

    participant_id: str
    name: str
    country: str
    authority_code: str
    roles: frozenset[str] = frozenset({"issuing-authority", "customs", "gateway"})
    timezone: str = "UTC"
    public_base_url: str | None = None
    issue_place_locode: str | None = None
    issue_place_name: str | None = None
    agreements: tuple[str, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class NodeSettings:
    clock_skew: timedelta = timedelta(minutes=5)
    max_document_bytes: int = 8 * 1024 * 1024
    max_attachment_bytes: int = 5 * 1024 * 1024
    page_size_max: int = 500
    #: G2G request signatures older than this (or nonces seen within it) are refused.
    replay_window: timedelta = timedelta(minutes=5)
    #: Fallback fonts for printed COs (scripts the bundled font lacks).
    pdf_fonts: tuple[Path, ...] = ()
    #: How long a delivery worker's claim on a message lasts: a worker that dies mid-send
    #: leaves its messages to the others after this long.
    delivery_lease: timedelta = timedelta(seconds=90)
    #: A signed checkpoint of the audit chain is made when this much time has passed since the
    #: latest one and the chain has moved (a worker-round task).
    audit_checkpoint_seconds: int = 60
    #: Largest G2G request body; refused from its Content-Length before it is read.
    max_message_bytes: int = 12 * 1024 * 1024
    #: Token buckets guarding G2G: per partner (after its key was looked up) and per address.
    g2g_partner_rate_per_minute: float = 3000.0
    g2g_partner_burst: int = 500
    g2g_address_rate_per_minute: float = 3000.0
    g2g_address_burst: int = 500
    #: Unauthenticated refusals of one kind written one by one per minute; the rest counted.
    g2g_refused_samples_per_minute: int = 20
    #: Web pages: a session ends after this long unused, or this long after sign-in.
    session_idle: timedelta = timedelta(minutes=30)
    session_max: timedelta = timedelta(hours=12)
    #: Web pages: this many failed sign-ins in a row lock the user for ``lockout_duration``.
    lockout_failures: int = 5
    lockout_duration: timedelta = timedelta(minutes=15)
    #: Web pages: issuing officers and administrators must give a TOTP code.
    require_second_factor: bool = False
    #: Web pages: a one-time activation code (a new or reset user) works this long.
    activation_valid: timedelta = timedelta(hours=72)
    #: The training sandbox's manifest, on the node that serves the lessons (else None).
    training_manifest: Path | None = None


#: Called inside the issuing transaction with (unit of work, node, record, signed document).
IssuedHook = Callable[["UnitOfWork", "Node", "CertificateRecord", CODocument], object]
#: Called inside the transaction of a status change with (unit of work, node, record,
#: document, reason).
StatusHook = Callable[["UnitOfWork", "Node", "CertificateRecord", CODocument, str], object]
#: A task the worker loop runs every round (deadlines, pulls); returns how much it did.
PeriodicTask = Callable[["Node"], int]
#: Called after an outbound message was delivered, with (node, message, signed receipt).
DeliveredHook = Callable[["Node", "OutboxMessage", "WireMessage"], object]


@dataclass
class NodeHooks:
    """Extension points inside use-case transactions, e.g. the exchange's transactional outbox
    (a message is written in the same transaction as the state change that causes it). The
    composition root (:func:`originlink.bootstrap.node_hooks`) fills them, in one place."""

    on_issued: list[IssuedHook] = field(default_factory=list)
    on_status_changed: list[StatusHook] = field(default_factory=list)
    #: Called after the commit of a transaction that queued a message (wakes the worker).
    on_message_queued: list[Callable[[], None]] = field(default_factory=list)
    periodic: list[PeriodicTask] = field(default_factory=list)
    on_delivered: list[DeliveredHook] = field(default_factory=list)


class MovableClock(Protocol):
    """A clock that can be moved (a training node's simulated clock)."""

    def state(self) -> ClockState: ...

    def move_to(self, moment: datetime) -> ClockState: ...

    def advance(self, delta: timedelta) -> ClockState: ...

    def real_now(self) -> datetime: ...


@dataclass
class Node:
    """The services' view of one running node."""

    store: Storage
    clock: Clock
    profiles: ProfileRegistry
    identity: NodeIdentity
    signer: DocumentSigner | None = None
    settings: NodeSettings = field(default_factory=NodeSettings)
    hooks: NodeHooks = field(default_factory=NodeHooks)
    #: Pinned roots and partners' trust lists (None: the node exchanges with nobody yet).
    trust: TrustStore | None = None
    #: The key that signs this node's messages and G2G requests (its trust-list key).
    gateway: Signer | None = None
    #: How this node reaches partners (HTTP, or in-process in tests).
    transport: Transport | None = None
    #: The handler of each message type this node accepts (see ``bootstrap.message_handlers``).
    handlers: MessageHandlers = field(default_factory=dict)
    #: The same clock when it can be moved (a simulated clock); None on the real clock.
    clock_control: MovableClock | None = None
    #: State every instance of the node shares (seen nonces, rate limits); None: in memory.
    shared_state: SharedState | None = None
    #: What services remember between calls for this node (its latest audit checkpoint, the
    #: counts of refused traffic), held by the node itself so that a node built later never
    #: sees an earlier one's memory.
    memory: dict[str, Any] = field(default_factory=dict)

    def require_trust(self) -> TrustStore:
        if self.trust is None:
            raise ConfigurationError(
                "this node has no trust store: import partners' trust "
                "lists with 'originlink trustlist import'"
            )
        return self.trust

    def require_transport(self) -> Transport:
        if self.transport is None:
            raise ConfigurationError("this node has no transport to reach partners")
        return self.transport

    def require_gateway(self) -> Signer:
        if self.gateway is None:
            raise ConfigurationError(
                "this node has no key to sign messages: run 'originlink keys init'"
            )
        return self.gateway

    def now(self) -> datetime:
        return self.clock.now()

    def local_now(self) -> datetime:
        return self.clock.now().astimezone(self.identity.tz)

    def wall_now(self) -> datetime:
        """The real time, also on a training node whose simulated clock was moved: what a
        person's phone (TOTP codes) and a browser session's lifetime follow. Records and
        business rules use :meth:`now`."""
        if self.clock_control is not None:
            return self.clock_control.real_now()
        return self.clock.now()
