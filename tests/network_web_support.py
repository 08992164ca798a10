"""Web pages of a gateway in the in-process two-gateway network: JP-CUSTOMS's application with
its customs officer and an administrator signing in with passwords, SG-CUSTOMS issuing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from originlink.bootstrap import build_app
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.node_config import NodeConfig
from originlink.services.node import credentials, users
from originlink.testing.network import Gateway, Network
from tests.web_support import PASSWORD


@dataclass
class GatewayWeb:
    gateway: Gateway
    app: Any

    def client(self) -> TestClient:
        return TestClient(self.app, base_url="https://testserver", follow_redirects=False)


def gateway_web(net: Network, participant: str, home: Path) -> GatewayWeb:
    """The gateway's application; its customs officer (``customs``) and ``admin`` users have
    :data:`PASSWORD`."""
    gateway = net[participant]
    node = gateway.node
    users.add_user(node, SYSTEM_ACTOR, username="admin", role="admin")
    users.add_user(node, SYSTEM_ACTOR, username="customs", role="customs_officer")
    for name in ("admin", "customs"):
        credentials.set_password(node, SYSTEM_ACTOR, username=name, password=PASSWORD)
    config = NodeConfig(home=home, identity=node.identity, database_url="sqlite://")
    return GatewayWeb(gateway, build_app(node, config, run_worker=False))
