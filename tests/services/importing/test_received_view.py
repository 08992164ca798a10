"""services/importing/received_view.py: one received CO for the customs officer — the
signature checked again now (a key revoked since receipt shows at once), links (replaces and
replaced by), items with what remains after a claim, the claims on it, its cases; a CO issued
here or unknown is not found, and only customs officers and administrators read it."""

from __future__ import annotations

import pytest

from originlink.domain.errors import Forbidden, NotFound
from originlink.services.importing import claims
from originlink.services.importing.received_view import received_certificate
from originlink.testing.network import Network
from tests.claims_support import declaration, line
from tests.exchange_support import issue
from tests.services.support import issued


def _received_id(net: Network, number: str) -> str:
    with net["JP-CUSTOMS"].node.store.read() as tx:
        return tx.certificates.find(side="import", issuing_country="SG", number=number)[0].id


def test_the_view_checks_the_signature_and_shows_what_remains(net: Network) -> None:
    co = issued(net["SG-CUSTOMS"])
    net.drain()
    jp = net["JP-CUSTOMS"]
    number = co.certificate.number
    claims.submit_declaration(
        jp.node, jp.customs, declaration("JP-1", "0", number=number, lines=[line(1, 1, "400")])
    )
    view = received_certificate(jp.node, jp.customs, _received_id(net, number))
    assert view.status == "RECEIVED" and view.signature is not None and view.signature.ok
    assert view.signature.participant_id == "SG-CUSTOMS" and view.signature_note is None
    assert [(i["item"], i["quantity"], i["remaining"]) for i in view.items] == [(1, "1200", "800")]
    assert [(c["declaration_id"], c["holds"]) for c in view.claims] == [("JP-1", "400")]
    assert [e["to_status"] for e in view.history] == ["RECEIVED"]
    assert view.links == [] and view.cases == []


def test_a_replacement_links_both_ways(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    first = issued(sg)
    net.drain()
    second = issue(sg, kind="replacement", related=first.certificate.id)
    net.drain()
    jp = net["JP-CUSTOMS"]
    old = received_certificate(jp.node, jp.customs, _received_id(net, first.certificate.number))
    new_number = second.certificate.number
    new = received_certificate(jp.node, jp.customs, _received_id(net, new_number))
    assert [(link.relation, link.number) for link in new.links] == [
        ("replaces", first.certificate.number)
    ]
    assert [link.number for link in old.replaced_by] == [new_number]
    assert old.status == "REPLACED"


def test_only_received_cos_and_only_customs_and_admins(net: Network) -> None:
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    co = issued(sg)
    with pytest.raises(NotFound):
        received_certificate(sg.node, sg.customs, co.certificate.id)  # issued, not received
    with pytest.raises(NotFound):
        received_certificate(jp.node, jp.customs, "no-such-id")
    with pytest.raises(Forbidden):
        received_certificate(jp.node, jp.officer, "no-such-id")
