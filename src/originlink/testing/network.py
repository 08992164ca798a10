"""Several gateways in one process, joined by in-process transports (or real HTTP, see the
end-to-end tests): each with its own database, a key from one test CA, the others' trust lists
imported and partner records set up, sharing one frozen clock that tests move."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from originlink.bootstrap import bootstrap
from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
from originlink.domain.clock import FrozenClock
from originlink.exchange.transport import (
    Handler,
    InProcessNetwork,
    InProcessTransport,
    Response,
)
from originlink.services.context import Node, NodeIdentity
from originlink.services.messaging import hub as hub_service
from originlink.services.messaging.delivery import DeliveryWorker, worker_for
from originlink.services.messaging.delivery_outcomes import RetryPolicy
from originlink.services.messaging.dispatch import dispatch
from originlink.services.node import partners as partner_service
from originlink.services.node import users as user_service
from originlink.store.core import Store
from originlink.testing.ca import TEST_EPOCH, TestCA
from originlink.testing.nodes import TEST_NOW
from originlink.trust.document_signer import TrustDocumentSigner
from originlink.trust.signer import KeySigner
from originlink.trust.trustlist import TrustStore


@dataclass(frozen=True)
class GatewaySpec:
    participant: str
    country: str
    name: str
    role: str = "issuing-authority"
    agreements: tuple[str, ...] = ("RCEP",)
    timezone: str = "UTC"
    organisation: str = "SG-UEN-201912345K"
    is_hub: bool = False


@dataclass
class Gateway:
    spec: GatewaySpec
    node: Node
    signer: KeySigner
    base_url: str
    worker: DeliveryWorker
    officer: Actor
    exporter: Actor
    customs: Actor

    @property
    def id(self) -> str:
        return self.spec.participant


@dataclass
class Network:
    ca: TestCA
    clock: FrozenClock
    wires: InProcessNetwork
    gateways: dict[str, Gateway] = field(default_factory=dict)

    def __getitem__(self, participant: str) -> Gateway:
        return self.gateways[participant]

    def connect(
        self,
        a: str,
        b: str,
        *,
        model_ab: str = "push",
        model_ba: str = "push",
        hub: str | None = None,
        poll_ab: bool = False,
        poll_ba: bool = False,
        agreements: Iterable[str] | None = None,
    ) -> None:
        """Make ``a`` and ``b`` partners: ``model_ab`` is how ``a`` sends to ``b``."""
        chosen = list(agreements) if agreements is not None else None
        for src, dst, model, poll in ((a, b, model_ab, poll_ab), (b, a, model_ba, poll_ba)):
            partner_service.add_partner(
                self[src].node,
                SYSTEM_ACTOR,
                participant_id=dst,
                model=model,
                endpoint=self[dst].base_url,
                agreements=chosen,
                hub=hub if model == "hub" else None,
                poll=poll,
            )

    def join_hub(
        self, participant: str, hub: str, *, hub_pushes: bool = True, poll: bool = False
    ) -> None:
        """``participant`` and ``hub`` become partners; the hub forwards to the participant
        (``hub_pushes``) or keeps its messages in a mailbox the participant polls."""
        partner_service.add_partner(
            self[participant].node,
            SYSTEM_ACTOR,
            participant_id=hub,
            model="push",
            endpoint=self[hub].base_url,
            poll=poll,
        )
        partner_service.add_partner(
            self[hub].node,
            SYSTEM_ACTOR,
            participant_id=participant,
            model="push" if hub_pushes else "pull",
            endpoint=self[participant].base_url,
        )

    def drain(self, rounds: int = 20) -> int:
        """Run every gateway's worker until nothing moves any more."""
        total = 0
        for _ in range(rounds):
            moved = sum(g.worker.drain() for g in self.gateways.values())
            total += moved
            if moved == 0:
                return total
        return total

    def advance(self, delta: timedelta) -> datetime:
        return self.clock.advance(delta)

    def close(self) -> None:
        for gateway in self.gateways.values():
            gateway.worker.close()
            gateway.node.store.dispose()


def build_network(
    specs: list[GatewaySpec],
    database_urls: list[str],
    *,
    now: datetime = TEST_NOW,
    ca: TestCA | None = None,
    policy: RetryPolicy | None = None,
) -> Network:
    """Gateways for ``specs`` (each with its database URL), knowing each other's trust lists
    but not yet partners (call :meth:`Network.connect`)."""
    ca = ca or TestCA()
    clock = FrozenClock(now)
    wires = InProcessNetwork()
    network = Network(ca, clock, wires)
    signers = {
        s.participant: ca.issue(
            s.participant,
            s.country,
            s.role,
            name=s.name,
            not_before=TEST_EPOCH,
            not_after=TEST_EPOCH + timedelta(days=3650),
        )
        for s in specs
    }
    lists = [
        ca.signed_trust_list(
            ca.trust_list(
                signers[s.participant],
                agreements=s.agreements,
                endpoints={"g2g": _base_url(s.participant)},
            )
        )
        for s in specs
    ]
    for spec, url in zip(specs, database_urls, strict=True):
        signer = signers[spec.participant]
        trust = TrustStore([ca.root], clock=clock)
        for signed in lists:
            trust.import_list(signed)
        node = bootstrap(
            store=Store(url),
            clock=clock,
            identity=NodeIdentity(
                participant_id=spec.participant,
                name=spec.name,
                country=spec.country,
                authority_code=spec.participant,
                timezone=spec.timezone,
                agreements=spec.agreements,
                public_base_url=f"https://verify.{spec.participant.lower()}.example",
            ),
            signer=TrustDocumentSigner(signer),
            trust=trust,
            gateway=signer,
            transport=InProcessTransport(signer, clock, wires),
            is_hub=spec.is_hub,
        )
        base = _base_url(spec.participant)
        if spec.is_hub:
            wires.mount(base, _hub_handler(node))
        else:
            wires.mount(base, _handler(node))
        worker = worker_for(
            node,
            worker_id=f"{spec.participant}-worker",
            concurrency=2,
            policy=policy or RetryPolicy(),
        )
        network.gateways[spec.participant] = Gateway(
            spec,
            node,
            signer,
            base,
            worker,
            officer=_user(node, f"officer-{spec.participant}", Role.ISSUING_OFFICER, None),
            exporter=_user(node, f"exporter-{spec.participant}", Role.EXPORTER, spec.organisation),
            customs=_user(node, f"customs-{spec.participant}", Role.CUSTOMS_OFFICER, None),
        )
    return network


def _base_url(participant: str) -> str:
    return f"https://{participant.lower()}.gateway.example"


def _hub_handler(node: Node) -> Handler:
    def handle(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> Response:
        return hub_service.dispatch(node, method, url, headers, body)

    return handle


def _handler(node: Node) -> Handler:
    def handle(method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> Response:
        return dispatch(node, method, url, headers, body)

    return handle


def _user(node: Node, username: str, role: Role, organisation: str | None) -> Actor:
    record = user_service.add_user(
        node, SYSTEM_ACTOR, username=username, role=role.value, organisation=organisation
    )
    return Actor(record.id, username, role, organisation, via="test")
