"""Shared set-up for exchange tests: two or three gateways in one process."""

from __future__ import annotations

from pathlib import Path

from originlink.domain.messages import MessageType
from originlink.exchange.envelopes import build_message
from originlink.exchange.wire import WireMessage
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.services.issuing.issuance import Issued
from originlink.testing.network import Gateway, GatewaySpec, Network, build_network
from tests.node_support import application_content

SG = GatewaySpec(
    "SG-CUSTOMS",
    "SG",
    "Singapore Customs",
    role="issuing-authority",
    agreements=("RCEP",),
    timezone="Asia/Singapore",
    organisation="SG-UEN-201912345K",
)
JP = GatewaySpec(
    "JP-CUSTOMS", "JP", "Japan Customs", role="customs", agreements=("RCEP",), timezone="Asia/Tokyo"
)
NZ = GatewaySpec(
    "NZ-CUSTOMS",
    "NZ",
    "New Zealand Customs Service",
    role="customs",
    agreements=("RCEP",),
    timezone="Pacific/Auckland",
)
HUB = GatewaySpec(
    "APAC-HUB", "SG", "Regional hub", role="gateway", agreements=("RCEP",), is_hub=True
)


def sqlite_urls(folder: Path, count: int) -> list[str]:
    return [f"sqlite:///{folder / f'node{i}.db'}" for i in range(count)]


def two_gateways(folder: Path, *, model: str = "push") -> Network:
    net = build_network([SG, JP], sqlite_urls(folder, 2))
    net.connect(
        "SG-CUSTOMS", "JP-CUSTOMS", model_ab=model, model_ba="push", poll_ba=model == "pull"
    )
    return net


def issue(
    gateway: Gateway,
    *,
    importing: str = "JP",
    example: str | None = None,
    kind: str = "new",
    related: str | None = None,
) -> Issued:
    content = application_content(example) if example else application_content()
    cert = content["certificate"]
    cert["importing_country"] = importing
    if "importer" in cert["parties"]:
        cert["parties"]["importer"]["address"]["country_code"] = importing
    draft = apps.create_application(
        gateway.node, gateway.exporter, content, kind=kind, related_certificate_id=related
    )
    apps.submit_application(gateway.node, gateway.exporter, draft.id)
    return issuance.issue_application(gateway.node, gateway.officer, draft.id)


def unreadable_co(
    net: Network, sender: str = "SG-CUSTOMS", recipient: str = "JP-CUSTOMS"
) -> WireMessage:
    """A correctly signed ``co.issued`` whose payload is no CO: the receiver cannot read it."""
    return build_message(
        message_type=MessageType.CO_ISSUED,
        sender=sender,
        recipient=recipient,
        payload=b'{"certificate": 1}',
        now=net.clock.now(),
        signer=net[sender].signer,
        agreement="RCEP",
    )
