"""Links between COs of different countries: a back-to-back CO issued by the intermediate party
points at the first CO it received, and a received replacement points at the received CO it
replaces. Both are found by number among the COs this node received."""

from __future__ import annotations

from pathlib import Path

from originlink.domain.lifecycle import Side
from originlink.services.issuing import applications as apps
from originlink.services.issuing import issuance
from originlink.testing.network import Gateway, GatewaySpec, build_network
from tests.exchange_support import NZ, SG, issue, sqlite_urls, two_gateways
from tests.node_support import application_content

JP_ISSUING = GatewaySpec(
    "JP-CUSTOMS",
    "JP",
    "Japan Customs",
    role="issuing-authority",
    agreements=("RCEP",),
    timezone="Asia/Tokyo",
    organisation="JP-EXPORTER-1",
)


def _received_id(gateway: Gateway, number: str) -> str:
    with gateway.node.store.read() as tx:
        found = tx.certificates.find(side=Side.IMPORT.value, issuing_country="SG", number=number)
    assert len(found) == 1
    return found[0].id


def _links(gateway: Gateway, certificate_id: str) -> list[dict[str, object]]:
    with gateway.node.store.read() as tx:
        return tx.certificates.links(certificate_id)


def test_a_back_to_back_co_links_to_the_first_co_the_intermediate_party_received(
    tmp_path: Path,
) -> None:
    net = build_network([SG, JP_ISSUING, NZ], sqlite_urls(tmp_path, 3))
    net.connect("SG-CUSTOMS", "JP-CUSTOMS", model_ab="push", model_ba="push")
    net.connect("JP-CUSTOMS", "NZ-CUSTOMS", model_ab="push", model_ba="push")
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    first = issue(sg)
    net.drain()
    content = application_content()
    cert = content["certificate"]
    cert["importing_country"] = "NZ"
    cert["parties"]["importer"]["address"]["country_code"] = "NZ"
    cert["flags"] = {"back_to_back": True}
    # the intermediate party, JP's exporter, is the exporter of the back-to-back CO
    cert["parties"]["exporter"]["identifiers"] = [{"scheme": "JP", "value": "EXPORTER-1"}]
    cert.setdefault("references", {})["related_certificates"] = [
        {
            "relation": "back_to_back_of",
            "number": first.certificate.number,
            "issue_date": "2025-03-01",
            "issuing_country": "SG",
        }
    ]
    draft = apps.create_application(jp.node, jp.exporter, content)
    apps.submit_application(jp.node, jp.exporter, draft.id)
    second = issuance.issue_application(jp.node, jp.officer, draft.id)
    assert _links(jp, second.certificate.id) == [
        {
            "direction": "out",
            "relation": "back_to_back_of",
            "certificate_id": _received_id(jp, first.certificate.number),
            "issuing_country": "SG",
            "number": first.certificate.number,
        }
    ]
    net.close()


def test_a_received_replacement_links_to_the_received_co_it_replaces(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    old = issue(sg)
    net.drain()
    new = issue(sg, kind="replacement", related=old.certificate.id)
    net.drain()
    old_id = _received_id(jp, old.certificate.number)
    new_id = _received_id(jp, new.certificate.number)
    assert {
        "direction": "out",
        "relation": "replaces",
        "certificate_id": old_id,
        "issuing_country": "SG",
        "number": old.certificate.number,
    } in _links(jp, new_id)
    assert {"direction": "in", "relation": "replaces", "certificate_id": new_id} in _links(
        jp, old_id
    )
    net.close()
