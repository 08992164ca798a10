"""services/node/evidence.py: one signed bundle with everything about a CO, checked offline —
a changed byte, a forged audit record or a signer outside the trust lists is found."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import InputError, NotFound
from originlink.domain.lifecycle import Side
from originlink.services.node import evidence
from originlink.testing.network import Network
from tests.exchange_support import issue, two_gateways


@pytest.fixture
def net(tmp_path: Path) -> Network:
    network = two_gateways(tmp_path)
    yield network  # type: ignore[misc]
    network.close()


def test_the_bundle_holds_the_co_its_messages_receipts_and_audit(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    bundle = evidence.build(sg.node, SYSTEM_ACTOR, issued.certificate.id)
    content = bundle["content"]
    assert content["certificate"]["number"] == issued.certificate.number
    assert json.loads(content["certificate"]["document"])["signatures"]["issuing_authority"]
    (sent,) = content["messages_sent"]
    assert sent["status"] == "ACCEPTED" and '"receipt"' in sent["receipt"]
    assert sent["payload"]  # the signed CO as it was sent (base64)
    assert content["version_digests"] and content["events"]
    actions = {r["action"] for r in content["audit"]}
    assert "certificate.issued" in actions or any("issue" in a for a in actions)
    assert content["audit_head"]["seq"] >= max(r["seq"] for r in content["audit"])
    report = evidence.verify_bundle(bundle, trust=sg.node.trust)
    assert report.ok, report.checks
    assert set(report.checks) == {
        "content_digest",
        "node_signature",
        "certificate_signature",
        "audit_records",
    }


def test_a_received_co_has_its_bundle_too(net: Network) -> None:
    issued = issue(net["SG-CUSTOMS"])
    net.drain()
    jp = net["JP-CUSTOMS"]
    with jp.node.store.read() as tx:
        (received,) = tx.certificates.find(
            side=Side.IMPORT.value, issuing_country="SG", number=issued.certificate.number
        )
    bundle = evidence.build(jp.node, SYSTEM_ACTOR, received.id)
    assert bundle["content"]["messages_received"]
    assert evidence.verify_bundle(bundle, trust=jp.node.trust).ok


def test_changes_are_found(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    bundle = evidence.build(sg.node, SYSTEM_ACTOR, issued.certificate.id)
    changed = copy.deepcopy(bundle)
    changed["content"]["certificate"]["status"] = "CANCELLED"
    report = evidence.verify_bundle(changed)
    assert report.checks["content_digest"] != "ok"
    assert report.checks["node_signature"] != "ok"
    forged = copy.deepcopy(bundle)
    forged["content"]["audit"][0]["actor"] = "someone else"
    forged["content_digest"] = None
    report = evidence.verify_bundle(forged)
    assert "does not hash" in report.checks["audit_records"]
    document = json.loads(bundle["content"]["certificate"]["document"])
    document["certificate"]["number"] = "SG-FORGED"
    other = copy.deepcopy(bundle)
    other["content"]["certificate"]["document"] = json.dumps(document)
    assert evidence.verify_bundle(other).checks["certificate_signature"] != "ok"


def test_a_signer_outside_the_trust_lists_is_refused(net: Network, tmp_path: Path) -> None:
    from originlink.testing import TestCA
    from originlink.trust.trustlist import TrustStore

    sg = net["SG-CUSTOMS"]
    issued = issue(sg)
    bundle = evidence.build(sg.node, SYSTEM_ACTOR, issued.certificate.id)
    assert evidence.verify_bundle(bundle).ok  # offline, without trust lists: integrity only
    stranger = TrustStore.open(tmp_path / "other-trust", clock=net.clock)
    stranger.pin_root(TestCA().root)
    report = evidence.verify_bundle(bundle, trust=stranger)
    assert report.checks["node_signature"] != "ok"
    assert report.checks["certificate_signature"] != "ok"


def test_unknown_co_and_not_a_bundle(net: Network) -> None:
    with pytest.raises(NotFound):
        evidence.build(net["SG-CUSTOMS"].node, SYSTEM_ACTOR, "nope")
    with pytest.raises(InputError, match="not an evidence bundle"):
        evidence.verify_bundle({"format": "x"})
