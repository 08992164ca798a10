"""services/node/health.py: the node's health — identity, version, database, signing key,
messages by delivery state (a dead letter makes it need attention), partners, and listed
certificates expiring soon; administrators only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.domain.authz import Actor, Role
from originlink.domain.errors import Forbidden
from originlink.services.node.health import node_health
from originlink.testing.network import Network
from tests.services.support import issued

ADMIN = Actor("admin-1", "admin", Role.ADMIN, via="test")


def test_a_working_node_and_one_with_a_dead_letter(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    issued(sg)
    health = node_health(sg.node, ADMIN)
    assert health.ok and health.database_ok and health.signing_key
    assert (health.participant, health.country, health.partners) == ("SG-CUSTOMS", "SG", 1)
    assert health.messages["QUEUED"] == 1 and health.messages["DEAD"] == 0
    assert health.trust_lists == 2 and health.certificate_warnings == []
    with sg.node.store.read() as tx:
        (message,), _ = tx.outbox.search()
    with sg.node.store.transaction() as tx:
        tx.outbox.update(message.message_id, status="DEAD")
    assert not node_health(sg.node, ADMIN).ok


def test_certificates_expiring_soon_are_listed(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    own = sg.node.require_trust().participant("SG-CUSTOMS")
    assert own is not None
    net.advance(own.certificates[0].not_after - sg.node.now() - timedelta(days=30))
    warnings = node_health(sg.node, ADMIN).certificate_warnings
    assert {w.participant for w in warnings} == {"SG-CUSTOMS", "JP-CUSTOMS"}
    assert not any(w.revoked for w in warnings)


def test_administrators_only(net: Network) -> None:
    with pytest.raises(Forbidden):
        node_health(net["SG-CUSTOMS"].node, net["SG-CUSTOMS"].officer)
