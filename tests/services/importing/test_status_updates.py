"""services/importing/status_updates.py: the ``co.status`` handler — what it refuses (no new
version, a version no trusted issuer signed, a status that is no change), a CO this node never
received, and a cancellation or replacement applied to the received CO, which keeps the issuer's
new signed version and points at its replacement."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from originlink.domain.errors import InputError, TrustError
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType
from originlink.exchange.wire import decode_message
from originlink.services.importing import status_updates
from originlink.services.issuing import status_changes
from originlink.services.messaging.handlers import HandlerResult
from originlink.services.messaging.inbound import apply_message
from originlink.store.repos.certificates import CertificateRecord
from originlink.testing.network import Network
from tests.claims_support import receive
from tests.exchange_support import issue
from tests.services.support import inbound, message


def _co_status(net: Network, payload: dict[str, Any]) -> HandlerResult:
    """Apply a ``co.status`` from SG with ``payload`` at JP."""
    wire = message(
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        signer=net["SG-CUSTOMS"].signer,
        now=net.clock.now(),
        payload=json.dumps(payload).encode(),
        message_type=MessageType.CO_STATUS,
        agreement="RCEP",
        document=DocumentRef(
            issuing_country="SG", number="RCEP-SG-2025-000001", status="CANCELLED"
        ),
    )
    jp = net["JP-CUSTOMS"].node
    with jp.store.transaction() as tx:
        return status_updates.on_co_status(tx, jp, inbound(wire))


def _received(net: Network, number: str) -> CertificateRecord:
    with net["JP-CUSTOMS"].node.store.read() as tx:
        found = tx.certificates.find(side=Side.IMPORT.value, issuing_country="SG", number=number)
    assert len(found) == 1
    return found[0]


def _queued_status(net: Network) -> dict[str, Any]:
    """The ``co.status`` payload SG queued for JP (not yet delivered)."""
    with net["SG-CUSTOMS"].node.store.read() as tx:
        queued, _ = tx.outbox.search(message_type="co.status", status="QUEUED")
    assert len(queued) == 1
    payload: dict[str, Any] = json.loads(queued[0].payload)
    return payload


def test_a_status_without_a_trusted_new_version_is_refused(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    with pytest.raises(InputError, match="the new signed version of the CO as 'document'"):
        _co_status(net, {"status": "CANCELLED"})
    status_changes.cancel_certificate(sg.node, sg.officer, issued.certificate.id, reason="error")
    payload = _queued_status(net)
    forged = copy.deepcopy(payload)
    forged["document"]["certificate"]["goods_items"][0]["description"] = "Something else"
    with pytest.raises(TrustError, match="not signed by a trusted issuer") as info:
        _co_status(net, forged)
    assert info.value.code.startswith("SIG")
    still_issued = {"document": json.loads(issued.certificate.document_json)}
    with pytest.raises(InputError, match="announces ISSUED; expected CANCELLED or REPLACED"):
        _co_status(net, still_issued)
    assert _received(net, issued.certificate.number).status == "RECEIVED"


def test_a_status_for_a_co_never_received_is_only_noted(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    issued = issue(sg)  # queued for JP, not delivered
    status_changes.cancel_certificate(sg.node, sg.officer, issued.certificate.id, reason="error")
    with sg.node.store.read() as tx:
        queued, _ = tx.outbox.search(message_type="co.status")
    result = _co_status(net, json.loads(queued[0].payload))
    assert result.status == "NO_RECORD" and result.certificate_id is None
    assert result.warnings == ["no usable received CO RCEP-SG-2025-000001; status noted only"]


def test_a_cancellation_is_applied_with_the_issuers_new_signed_version(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    before = _received(net, issued.certificate.number)
    status_changes.cancel_certificate(sg.node, sg.officer, issued.certificate.id, reason="error")
    payload = _queued_status(net)
    result = _co_status(net, payload)
    assert (result.status, result.certificate_id) == ("CANCELLED", before.id)
    after = _received(net, issued.certificate.number)
    assert (after.status, after.version) == ("CANCELLED", 2)
    assert json.loads(after.document_json) == payload["document"]
    assert after.digest == before.digest  # the version received, kept to recognise it again
    with net["JP-CUSTOMS"].node.store.read() as tx:
        events = tx.certificates.events(after.id)
    assert [(e["to_status"], e["actor"], e["reason"]) for e in events][-1] == (
        "CANCELLED",
        "system:SG-CUSTOMS",
        "error",
    )
    again = _co_status(net, payload)  # the CO is no longer usable: noted only
    assert again.status == "NO_RECORD"


def test_a_replacement_already_held_is_named_as_the_one_replacing(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    old = issue(sg)
    net.drain()
    new = issue(sg, kind="replacement", related=old.certificate.id)
    held = receive(net["JP-CUSTOMS"].node, json.loads(new.certificate.document_json))
    payload = _queued_status(net)
    assert payload["replaced_by"] == {"issuing_country": "SG", "number": new.certificate.number}
    result = _co_status(net, payload)
    assert result.status == "REPLACED"
    replaced = _received(net, old.certificate.number)
    assert (replaced.status, replaced.replaced_by_id) == ("REPLACED", held.id)


def test_a_replaced_co_points_at_its_replacement_on_the_importing_side(net: Network) -> None:
    """P7: the issuer replaces a CO; the importing side marks the received CO REPLACED and,
    once it holds the replacement, records which CO replaced it (claims on the old CO are
    shown the replacement). Issuing the replacement queues the old CO's ``co.status`` first and
    then the replacement's ``co.issued`` (the status change is made inside the issuance, before
    the issued hooks); they arrive in that order."""
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    old = issue(sg)
    net.drain()
    new = issue(sg, kind="replacement", related=old.certificate.id)
    with sg.node.store.read() as tx:
        queued, _ = tx.outbox.search(status="QUEUED")
    by_type = {m.message_type: m for m in queued}
    assert sorted(by_type) == ["co.issued", "co.status"]
    for message_type in ("co.status", "co.issued"):
        sent = by_type[message_type]
        wire = decode_message(
            {
                "envelope": json.loads(sent.envelope),
                "payload": base64.b64encode(sent.payload).decode(),
            }
        )
        assert apply_message(jp.node, wire, caller="SG-CUSTOMS").status == 200
    replaced = _received(net, old.certificate.number)
    replacement = _received(net, new.certificate.number)
    assert replaced.status == "REPLACED"
    assert replaced.replaced_by_id == replacement.id
