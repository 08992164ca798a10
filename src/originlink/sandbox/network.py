"""The training network: four nodes as real processes on loopback, sharing one simulated clock.

SG-CUSTOMS (Singapore, the issuing authority, which also serves the lessons), JP-CUSTOMS (Japan,
the importing customs), APAC-HUB (the hub) and NZ-CUSTOMS (New Zealand, the third country: it
imports from Singapore through the hub and issues back-to-back COs to Japan). All under RCEP,
with keys from a training CA, each other's trust lists, partners, a trader on each issuing side,
a user for each role with a password and a token, learners, an instructor, and sample
applications to look at. What it made is written to the manifest (``sandbox.json``).
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from originlink.demo.network import DemoNode, partner, set_up
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import InputError
from originlink.node_config import load_config
from originlink.services.issuing import applications as app_service
from originlink.services.node import credentials
from originlink.services.node import users as user_service
from originlink.testing.factories import fresh_application
from originlink.training.manifest import FILE_NAME, Manifest, SandboxNode, SandboxUser
from originlink.trust.files import write_atomic

CLOCK_FILE = "clock.json"
TRADERS = {"SG": "SG-UEN-201912345K", "NZ": "NZ-NZBN-9429041234567"}
#: The users made on each node: (username, role).
ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "SG": (("exporter", "exporter"), ("officer", "issuing_officer"), ("admin", "admin")),
    "JP": (("customs", "customs_officer"), ("admin", "admin")),
    "NZ": (
        ("exporter", "exporter"),
        ("officer", "issuing_officer"),
        ("customs", "customs_officer"),
        ("admin", "admin"),
    ),
    "HUB": (("admin", "admin"),),
}
INSTRUCTOR = "instructor"


@dataclass
class SandboxNetwork:
    root: Path
    nodes: dict[str, DemoNode]
    manifest: Manifest

    def start(self, *, timeout: float = 120.0) -> None:
        """Start every node's server; if one does not come up, stop those started."""
        try:
            for node in self.nodes.values():
                node.start(wait=False)
            for node in self.nodes.values():
                node.wait_ready(timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for node in self.nodes.values():
            node.stop()


def _nodes(root: Path) -> dict[str, DemoNode]:
    def node(key: str, *args: str, hub: bool = False) -> DemoNode:
        participant, name, country, role, zone = args
        return DemoNode(
            participant, name, country, role, ("RCEP",), zone, root / key.lower(), hub=hub
        )

    return {
        "SG": node(
            "SG", "SG-CUSTOMS", "Singapore Customs", "SG", "issuing-authority", "Asia/Singapore"
        ),
        "JP": node("JP", "JP-CUSTOMS", "Japan Customs", "JP", "customs", "Asia/Tokyo"),
        "NZ": node(
            "NZ",
            "NZ-CUSTOMS",
            "New Zealand Customs Service",
            "NZ",
            "issuing-authority",
            "Pacific/Auckland",
        ),
        "HUB": node(
            "HUB", "APAC-HUB", "Asia-Pacific exchange hub", "SG", "gateway", "UTC", hub=True
        ),
    }


def _connect(n: dict[str, DemoNode]) -> None:
    sg, jp, nz, hub = n["SG"], n["JP"], n["NZ"], n["HUB"]
    for a, b in ((sg, jp), (jp, sg), (nz, jp), (jp, nz)):
        partner(a, b)
    for member in (sg, nz):
        partner(member, hub)
        partner(hub, member)
    partner(sg, nz, model="hub", hub=hub, payload_format="ubl")
    partner(nz, sg, model="hub", hub=hub)


def _user(node: DemoNode, username: str, role: str, organisation: str | None) -> SandboxUser:
    service = node.open()
    password = secrets.token_urlsafe(12)
    try:
        user_service.add_user(
            service, SYSTEM_ACTOR, username=username, role=role, organisation=organisation
        )
        credentials.set_password(service, SYSTEM_ACTOR, username=username, password=password)
        token = user_service.create_token(service, SYSTEM_ACTOR, username=username)
    finally:
        service.store.dispose()
    return SandboxUser(node.participant, username, role, password, token, organisation)


def _samples(node: DemoNode, exporter: SandboxUser) -> None:
    """Applications to look at before the first lesson: two drafts and one submitted."""
    service = node.open()
    try:
        with service.store.read() as uow:
            record = uow.users.by_username(exporter.username)
        assert record is not None
        from originlink.domain.authz import Actor, Role

        actor = Actor(record.id, record.username, Role.EXPORTER, record.organisation, via="cli")
        now = service.now()  # the network's (simulated) time
        for n, to in enumerate(("JP", "NZ", "JP"), start=1):
            content = fresh_application(now, importing=to, reference=f"SAMPLE-{n}")
            app = app_service.create_application(service, actor, content)
            if n == 3:
                app_service.submit_application(service, actor, app.id)
    finally:
        service.store.dispose()


def build(root: Path, *, learners: int = 3) -> SandboxNetwork:
    """Make the training network's homes in ``root`` (emptied first) and its manifest. A
    folder that holds something other than an earlier sandbox is refused, never emptied."""
    if root.exists():
        if not root.is_dir() or (any(root.iterdir()) and not (root / FILE_NAME).is_file()):
            raise InputError(
                f"{root} exists and is not a training sandbox (no {FILE_NAME} in it): "
                "choose another --dir, or an empty folder"
            )
        shutil.rmtree(root)
    root.mkdir(parents=True)
    nodes = _nodes(root)
    set_up(
        root,
        list(nodes.values()),
        ca_name="OriginLink Training Root CA",
        clock_file=root / CLOCK_FILE,
    )
    _connect(nodes)
    users: list[SandboxUser] = []
    tokens: dict[str, str] = {}
    for key, node in nodes.items():
        for username, role in ROLES[key]:
            made = _user(node, username, role, TRADERS.get(key) if role == "exporter" else None)
            users.append(made)
            if username == "admin":
                tokens[key] = made.token
    sg = nodes["SG"]
    users.append(_user(sg, INSTRUCTOR, "admin", None))
    users.extend(_user(sg, f"learner{n}", "exporter", "TRAINING") for n in range(1, learners + 1))
    _samples(sg, next(u for u in users if u.node == sg.participant and u.role == "exporter"))
    manifest = Manifest(
        root=str(root.resolve()),
        clock_file=str((root / CLOCK_FILE).resolve()),
        desk="SG",
        nodes={
            key: SandboxNode(
                key=key,
                participant=n.participant,
                name=n.name,
                country=n.country,
                role="hub" if n.hub else n.role,
                url=n.url,
                home=str(n.home.resolve()),
                checker_token=tokens[key],
            )
            for key, n in nodes.items()
        },
        users=users,
    )
    _serve_lessons(sg, manifest.save(root))
    return SandboxNetwork(root, nodes, manifest)


def _serve_lessons(node: DemoNode, manifest: Path) -> None:
    """Name the manifest in the desk node's ``node.toml``: its web application then serves
    the lessons (``[training] manifest``)."""
    config = load_config(node.home)
    config = replace(config, settings=replace(config.settings, training_manifest=manifest))
    write_atomic(node.home / "node.toml", config.as_toml().encode("utf-8"))
