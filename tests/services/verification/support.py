"""Building blocks of the verification tests: two gateways where JP-CUSTOMS received SG's CO of
two items and a customs declaration drew on it; opening a case at JP, and messages from SG."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from originlink.domain.messages import MessageType
from originlink.services.importing import claims
from originlink.services.issuing.issuance import Issued
from originlink.services.messaging.handlers import Inbound
from originlink.services.verification import requests as verification
from originlink.store.repos.verification import CaseRecord
from originlink.testing.network import Gateway, Network
from tests.claims_support import declaration, kg_item, line
from tests.node_support import application_content
from tests.services.support import inbound, issued, message


@dataclass
class Verification:
    net: Network
    issued: Issued
    #: JP's record of the CO it received.
    received_id: str

    @property
    def sg(self) -> Gateway:
        return self.net["SG-CUSTOMS"]

    @property
    def jp(self) -> Gateway:
        return self.net["JP-CUSTOMS"]


def received_co(net: Network) -> Verification:
    """SG issues a CO of two items (1: 1,200 pieces; 2: 500 kg) for JP; JP receives it and
    declaration JP-1 draws 400 pieces of item 1 and 100 kg of item 2."""
    content = application_content()
    content["certificate"]["goods_items"].append(kg_item())
    co = issued(net["SG-CUSTOMS"], content=content)
    net.drain()
    jp = net["JP-CUSTOMS"]
    lines = [line(1, 1, "400"), line(2, 2, "100", unit="KGM", hs="721049")]
    number = co.certificate.number
    claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-1", "0", number=number, lines=lines)
    )
    with jp.node.store.read() as tx:
        found = tx.certificates.find(side="import", issuing_country="SG", number=number)
    return Verification(net, co, found[0].id)


def request(v: Verification, **extra: Any) -> dict[str, Any]:
    return {
        "certificate_id": v.received_id,
        "reasons": ["ORIGINATING_STATUS"],
        "questions": ["Provide the cost breakdown."],
        **extra,
    }


def open_case(v: Verification, **extra: Any) -> CaseRecord:
    """JP's customs asks SG about the CO."""
    return verification.request_verification(v.jp.node, v.jp.customs, request(v, **extra))


def from_sg(
    v: Verification, kind: MessageType, payload: dict[str, Any], *, correlation_id: str | None
) -> Inbound:
    """What JP's handler is given for a message ``kind`` SG sends with ``payload``."""
    wire = message(
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        signer=v.sg.signer,
        now=v.net.clock.now(),
        payload=json.dumps(payload).encode(),
        message_type=kind,
        agreement="RCEP",
        correlation_id=correlation_id,
    )
    return inbound(wire)
