"""``originlink demo --serve``: the demo network kept running for a person to click through.

Two gateways as real processes on loopback, as ``make demo`` builds them: SG-CUSTOMS
(Singapore, issuing authority) and JP-CUSTOMS (Japan, importing customs), partners pushing to
each other under RCEP. Each has its users with passwords (random for each run, printed once):
at SG an exporter, an issuing officer and an administrator; at JP a customs officer and an
administrator. So the whole story can be walked through the pages: the exporter applies, the
officer issues, JP receives, its customs officer decides a claim and asks for a verification,
SG's officer answers. It runs until Ctrl-C (SIGINT) or SIGTERM, then stops both servers.
"""

from __future__ import annotations

import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from originlink.demo.network import DemoNode, partner, set_up
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import credentials
from originlink.services.node import users as user_service

ORGANISATION = "SG-UEN-201912345K"


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """One demo user: where to sign in and with what."""

    node: str
    username: str
    role: str
    password: str


#: (participant, username, role, organisation) of every demo user.
USERS = (
    ("SG-CUSTOMS", "acme", "exporter", ORGANISATION),
    ("SG-CUSTOMS", "officer", "issuing_officer", None),
    ("SG-CUSTOMS", "sg-admin", "admin", None),
    ("JP-CUSTOMS", "customs", "customs_officer", None),
    ("JP-CUSTOMS", "jp-admin", "admin", None),
)


def nodes_in(root: Path) -> list[DemoNode]:
    return [
        DemoNode(
            "SG-CUSTOMS",
            "Singapore Customs",
            "SG",
            "issuing-authority",
            ("RCEP",),
            "Asia/Singapore",
            root / "sg-customs",
        ),
        DemoNode(
            "JP-CUSTOMS",
            "Japan Customs",
            "JP",
            "customs",
            ("RCEP",),
            "Asia/Tokyo",
            root / "jp-customs",
        ),
    ]


def _add_users(nodes: dict[str, DemoNode]) -> list[DemoLogin]:
    logins = []
    for participant, username, role, organisation in USERS:
        node = nodes[participant].open()
        try:
            display = username.replace("-", " ").title()
            if role == "exporter":
                display = "ACME Bearings Pte Ltd"
            user_service.add_user(
                node,
                SYSTEM_ACTOR,
                username=username,
                role=role,
                display_name=display,
                organisation=organisation,
            )
            password = secrets.token_urlsafe(12)
            credentials.set_password(node, SYSTEM_ACTOR, username=username, password=password)
        finally:
            node.store.dispose()
        logins.append(DemoLogin(participant, username, role, password))
    return logins


def build(root: Path) -> tuple[list[DemoNode], list[DemoLogin]]:
    """A fresh network in ``root`` (recreated): homes, keys, trust lists, partners, users."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    nodes = nodes_in(root)
    set_up(root, nodes)
    sg, jp = nodes
    partner(sg, jp)
    partner(jp, sg)
    return nodes, _add_users({n.participant: n for n in nodes})


def serve(
    root: Path,
    *,
    say: Callable[[str], None],
    stop: threading.Event,
) -> None:
    """Build the network, start its servers, say where and who, and wait for ``stop``."""
    nodes, logins = build(root)
    started: list[DemoNode] = []
    try:
        for node in nodes:
            node.start()
            started.append(node)
        say("The demo network is running:")
        for node in nodes:
            say(f"  {node.participant:<11} {node.name:<18} {node.url}/app/")
        say("Sign in with (passwords made for this run):")
        by_node = {n.participant: n for n in nodes}
        for login in logins:
            say(
                f"  {login.node:<11} {login.username:<9} {login.password:<17} "
                f"{login.role:<16} {by_node[login.node].url}/app/login"
            )
        say(f"Public verification: {nodes[0].url}/verify   API: {nodes[0].url}/docs")
        say("Press Ctrl-C to stop.")
        stop.wait()
    finally:
        for node in reversed(started):
            node.stop()
        say("The demo network has stopped.")
