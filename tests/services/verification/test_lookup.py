"""services/verification/lookup.py: the public ``/verify`` form's checks — a typed reference
answered here when this node issued it, else by the issuing authorities' trust lists; an
uploaded file in any format read, validated and its signature checked against the trust lists
(a changed file, an unknown signer, no signature, not a CO at all)."""

from __future__ import annotations

import json

import pytest

from originlink.domain.errors import InputError
from originlink.formats import to_format
from originlink.services.verification.lookup import check_file, look_up_number
from originlink.services.verification.public import Outcome
from originlink.testing.network import Network
from tests.services.support import issued
from tests.services.verification.contact_support import publish_contact


def test_a_number_issued_here_is_sent_to_the_node_s_own_page(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    found = look_up_number(sg.node, " sg ", " RCEP-SG-2025-000001 ", "A" * 43)
    assert found.local_path == f"/verify/SG/RCEP-SG-2025-000001?d={'A' * 43}"
    assert look_up_number(sg.node, "SG", "N-1", "").local_path == "/verify/SG/N-1"


def test_a_number_issued_elsewhere_names_the_issuing_authorities_to_ask(net: Network) -> None:
    jp = net["JP-CUSTOMS"]
    publish_contact(net, jp, "SG-CUSTOMS")
    found = look_up_number(jp.node, "SG", "RCEP-SG-2025-000001", None)
    assert found.local_path is None and found.digest is None
    assert [i.participant_id for i in found.issuers] == ["SG-CUSTOMS"]
    assert found.issuers[0].contact["email"] == "verify@customs.example.sg"


@pytest.mark.parametrize(
    ("country", "number", "digest", "pointer"),
    [
        ("S", "N-1", None, "path:issuing_country"),
        ("SG", "N 1 with spaces", None, "path:number"),
        ("SG", "N-1", "too-short", "query:d"),
    ],
)
def test_a_malformed_reference_is_refused_naming_the_field(
    net: Network, country: str, number: str, digest: str | None, pointer: str
) -> None:
    with pytest.raises(InputError) as refused:
        look_up_number(net["JP-CUSTOMS"].node, country, number, digest)
    assert refused.value.pointer == pointer


def test_a_signed_co_received_as_a_file_checks_out_against_the_trust_lists(
    net: Network,
) -> None:
    co = issued(net["SG-CUSTOMS"])
    jp = net["JP-CUSTOMS"]
    publish_contact(net, jp, "SG-CUSTOMS")
    data = json.dumps(co.document.to_json_dict()).encode()
    checked = check_file(jp.node, data, "co.json")
    assert checked.format == "canonical" and checked.number == co.certificate.number
    assert checked.signature is not None and checked.signature_ok
    assert checked.signature.participant_id == "SG-CUSTOMS"
    assert checked.ok and checked.record is None
    assert checked.issuers[0].contact["phone"] == "+65 6355 2000"


def test_the_issuing_node_also_answers_from_its_records(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    co = issued(sg)
    checked = check_file(sg.node, json.dumps(co.document.to_json_dict()).encode(), "co.json")
    assert checked.record is not None and checked.record.outcome is Outcome.AUTHENTIC


def test_a_changed_file_fails_integrity(net: Network) -> None:
    co = issued(net["SG-CUSTOMS"])
    data = co.document.to_json_dict()
    data["certificate"]["goods_items"][0]["description"] = "Something else"
    checked = check_file(net["JP-CUSTOMS"].node, json.dumps(data).encode(), "co.json")
    assert checked.signature is not None and not checked.ok
    assert [a.aspect.value for a in checked.signature.failures] == ["integrity"]


def test_a_file_in_another_format_is_detected_and_checked(net: Network) -> None:
    co = issued(net["SG-CUSTOMS"])
    profile = net["SG-CUSTOMS"].node.profiles.get("RCEP")
    jp = net["JP-CUSTOMS"].node
    with_signature = to_format(co.document, "ubl", profile=profile).result
    checked = check_file(jp, with_signature, "co.xml")
    assert checked.format == "ubl" and checked.number == co.certificate.number
    assert checked.signature_ok and checked.ok
    data = co.document.to_json_dict()
    del data["signatures"]
    unsigned = check_file(jp, json.dumps(data).encode(), "co.json")
    assert unsigned.signature is None and not unsigned.ok
    assert unsigned.notes == (
        "the file carries no issuing authority's signature (signatures member)",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "is empty"), (b"hello, world", "co.txt"), (b"x" * (9 * 1024 * 1024), "at most")],
)
def test_what_is_no_co_is_refused_with_a_sentence(net: Network, data: bytes, message: str) -> None:
    with pytest.raises(InputError) as refused:
        check_file(net["JP-CUSTOMS"].node, data, "co.txt")
    assert message in refused.value.detail or message in str(refused.value)
