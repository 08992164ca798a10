"""services/verification/issuers.py: issuing authorities as their trust lists describe them —
only issuing authorities of the country asked, the contact details they published, the public
verification address (their ``public`` endpoint; this node's own base URL for itself)."""

from __future__ import annotations

from originlink.services.verification.issuers import issuers_of, own_issuer
from originlink.testing.network import Network
from tests.services.verification.contact_support import SG_CONTACT, publish_contact


def test_a_country_s_issuing_authorities_come_with_the_contact_they_published(
    net: Network,
) -> None:
    jp = net["JP-CUSTOMS"]
    assert [c.participant_id for c in issuers_of(jp.node, "SG")] == ["SG-CUSTOMS"]
    assert issuers_of(jp.node, "SG")[0].contact == {}
    publish_contact(net, jp, "SG-CUSTOMS", public="https://verify.customs.example.sg")
    (sg,) = issuers_of(jp.node, "SG")
    assert sg.contact == {
        "email": "verify@customs.example.sg",
        "phone": "+65 6355 2000",
        "address": "55 Newton Road, Singapore 307987",
        "web": str(SG_CONTACT.web),
    }
    assert sg.verification_url("RCEP-SG-2025-000001", "A" * 43) == (
        "https://verify.customs.example.sg/verify/SG/RCEP-SG-2025-000001?d=" + "A" * 43
    )
    assert issuers_of(jp.node, "FR") == ()


def test_the_node_s_own_entry_uses_its_public_base_url(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    assert own_issuer(sg.node) is not None
    publish_contact(net, sg, "SG-CUSTOMS")
    own = own_issuer(sg.node)
    assert own is not None and own.contact["email"] == "verify@customs.example.sg"
    assert own.verification_url("N-1") == "https://verify.sg-customs.example/verify/SG/N-1"
    jp = net["JP-CUSTOMS"]
    assert issuers_of(jp.node, "SG")[0].verification_url("N-1") is None
