"""Gateways as real processes on loopback, for the demo and the end-to-end tests: a pilot CA,
one home per node (its own SQLite file, key and trust store), trust lists exchanged, partners
set up, and ``originlink serve`` / ``originlink hub serve`` started as subprocesses."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx2

from originlink.bootstrap import build_node
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.clock import Clock, SystemClock
from originlink.domain.errors import ConfigurationError
from originlink.node_config import NodeConfig, load_config
from originlink.services.context import Node, NodeIdentity
from originlink.services.node import partners as partner_service
from originlink.services.node import users as user_service
from originlink.store.clock import SimulatedClock
from originlink.store.core import Store
from originlink.trust.ca import CertificateAuthority
from originlink.trust.certificates import Identity, Role
from originlink.trust.files import write_atomic
from originlink.trust.node import NodeHome, export_trust_list, init_keys
from originlink.trust.trustlist import TrustStore


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class DemoNode:
    participant: str
    name: str
    country: str
    role: str
    agreements: tuple[str, ...]
    timezone: str
    home: Path
    port: int = field(default_factory=free_port)
    hub: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def open(self) -> Node:
        """The node's services, in this process (beside its server: SQLite WAL allows it)."""
        return build_node(load_config(self.home))

    def database(self) -> Store:
        """The node's database itself, for measurements below the services."""
        return Store(load_config(self.home).database_url, migrate=False)

    # --- the server process -------------------------------------------------------------------

    def start(self, *, env: dict[str, str] | None = None, wait: bool = True) -> None:
        command = [
            sys.executable,
            "-m",
            "originlink",
            *(["hub"] if self.hub else []),
            "serve",
            "--home",
            str(self.home),
            "--port",
            str(self.port),
        ]
        log = (self.home / "server.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
        )
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Until the server answers /health. A server that exits is reported at once; one that
        is merely slow (a loaded machine starting several at once) is given time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise ConfigurationError(
                    f"{self.participant} exited with "
                    f"{self.process.returncode}; see {self.home}/server.log"
                )
            try:
                if httpx2.get(self.url + "/health", timeout=1.0).status_code == 200:
                    return
            except httpx2.TransportError:
                time.sleep(0.1)
        self.stop()  # never leave a half-started server behind
        raise ConfigurationError(f"{self.participant} did not start within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup (the crash the outbox must survive)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
        self.process = None


def set_up(
    root: Path,
    nodes: list[DemoNode],
    *,
    ca_name: str = "OriginLink Demo Root CA",
    clock_file: Path | None = None,
) -> CertificateAuthority:
    """A CA, every node's home with its key and trust list, and every list imported by every
    other node (the network's reference data, P12). With ``clock_file`` every node runs on one
    shared simulated clock (a training network, see :mod:`originlink.store.clock`)."""
    clock: Clock = SystemClock()
    if clock_file is not None:
        clock = SimulatedClock.create(clock_file)
    now = clock.now()
    ca = CertificateAuthority.create(name=ca_name, now=now).save(root / "ca")
    signed: dict[str, bytes] = {}
    for node in nodes:
        node.home.mkdir(parents=True, exist_ok=True)
        identity = NodeIdentity(
            participant_id=node.participant,
            name=node.name,
            country=node.country,
            authority_code=node.participant,
            roles=frozenset({"hub"} if node.hub else {node.role, "gateway"}),
            timezone=node.timezone,
            public_base_url=node.url,
        )
        config = NodeConfig(
            home=node.home,
            identity=identity,
            database_url=f"sqlite:///{(node.home / 'originlink.db').resolve()}",
            port=node.port,
            agreements=node.agreements,
            clock="simulated" if clock_file is not None else "real",
            clock_file=clock_file.resolve() if clock_file is not None else None,
        )
        write_atomic(node.home / "node.toml", config.as_toml().encode("utf-8"))
        home = NodeHome(node.home)
        TrustStore.open(home.trust_dir, clock=clock).pin_root(ca.certificate)
        init_keys(
            home,
            Identity(node.participant, node.country, Role(node.role), node.name),
            now=now,
            ca=ca,
        )
        signed[node.participant] = export_trust_list(
            home,
            node.participant,
            clock=clock,
            name=node.name,
            agreements=node.agreements,
            endpoints={"g2g": node.url},
        )
    for node in nodes:
        store = TrustStore.open(node.home / "trust", clock=clock)
        for other, data in signed.items():
            if other != node.participant:
                store.import_list(data)
    return ca


def partner(
    node: DemoNode,
    other: DemoNode,
    *,
    model: str = "push",
    hub: DemoNode | None = None,
    poll: bool = False,
    payload_format: str = "canonical",
    agreements: list[str] | None = None,
) -> None:
    service = node.open()
    try:
        partner_service.add_partner(
            service,
            SYSTEM_ACTOR,
            participant_id=other.participant,
            model=model,
            endpoint=other.url,
            hub=hub.participant if hub else None,
            poll=poll,
            payload_format=payload_format,
            agreements=agreements,
        )
    finally:
        service.store.dispose()


def user(node: DemoNode, username: str, role: str, organisation: str | None = None) -> str:
    """Create a user and return an API token for it."""
    service = node.open()
    try:
        user_service.add_user(
            service, SYSTEM_ACTOR, username=username, role=role, organisation=organisation
        )
        return user_service.create_token(service, SYSTEM_ACTOR, username=username)
    finally:
        service.store.dispose()


def utc_now() -> datetime:
    return datetime.now(UTC)
