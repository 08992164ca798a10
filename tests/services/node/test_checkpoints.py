"""services/node/checkpoints.py: signed checkpoints of the audit chain — made on demand and at
each interval, carried by every message the node sends, verified and kept (the newest only) by
the partner that receives them, and exported as the file ``audit verify`` reads."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.checkpoints import AuditCheckpoint, read_export
from originlink.domain.errors import ConfigurationError, Forbidden, TrustError
from originlink.domain.safejson import compact_json
from originlink.exchange.checkpoints import sign_checkpoint, verify_checkpoint
from originlink.services.node import checkpoints, users
from originlink.testing.network import Network
from originlink.trust.signer import Signer
from tests.exchange_support import issue
from tests.services.fakes import FakeStorage
from tests.services.support import ADMIN, EXPORTER, message, node_on


def _head(net: Network, who: str = "SG-CUSTOMS") -> tuple[int, str]:
    with net[who].node.store.read() as tx:
        return tx.audit.head()


def test_a_checkpoint_signs_the_head_once_per_head(net: Network) -> None:
    sg = net["SG-CUSTOMS"]
    seq, head = _head(net)
    made = checkpoints.make_checkpoint(sg.node, ADMIN)
    assert made is not None and (made.node, made.seq, made.head) == ("SG-CUSTOMS", seq, head)
    as_sent = checkpoints.latest_for_messages(sg.node)
    assert as_sent is not None and as_sent.signature == made.signature
    verify_checkpoint(as_sent, sg.node.trust, own=sg.node.gateway)
    again = checkpoints.make_checkpoint(sg.node, ADMIN)
    assert again is not None and again.signature == made.signature
    users.add_user(sg.node, ADMIN, username="zoe", role="admin")
    moved = checkpoints.make_checkpoint(sg.node, ADMIN)
    assert moved is not None and moved.seq == seq + 1
    assert [c["seq"] for c in checkpoints.own_checkpoints(sg.node, ADMIN)] == [seq, seq + 1]


def test_an_empty_chain_has_nothing_to_checkpoint_and_a_node_needs_its_key(net: Network) -> None:
    node = node_on(FakeStorage())
    with pytest.raises(ConfigurationError, match="keys init"):
        checkpoints.make_checkpoint(node, ADMIN)
    node.gateway = net["SG-CUSTOMS"].signer
    assert checkpoints.make_checkpoint(node, ADMIN) is None
    with pytest.raises(Forbidden):
        checkpoints.make_checkpoint(node, EXPORTER)


def test_the_worker_round_makes_one_when_the_interval_has_passed_and_the_chain_moved(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"].node
    assert checkpoints.checkpoint_due(sg) == 0  # bookkeeping: it never keeps a drain going
    first = [c["seq"] for c in checkpoints.own_checkpoints(sg, ADMIN)]
    assert first == [_head(net)[0]]
    users.add_user(sg, ADMIN, username="zoe", role="admin")
    checkpoints.checkpoint_due(sg)  # the interval has not passed
    assert [c["seq"] for c in checkpoints.own_checkpoints(sg, ADMIN)] == first
    net.advance(timedelta(seconds=sg.settings.audit_checkpoint_seconds))
    checkpoints.checkpoint_due(sg)
    assert [c["seq"] for c in checkpoints.own_checkpoints(sg, ADMIN)] == [*first, first[0] + 1]
    net.advance(timedelta(hours=1))
    checkpoints.checkpoint_due(sg)  # the chain has not moved
    assert len(checkpoints.own_checkpoints(sg, ADMIN)) == 2


def test_every_message_carries_the_latest_checkpoint_and_the_partner_keeps_it(
    net: Network,
) -> None:
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    made = checkpoints.make_checkpoint(sg.node, ADMIN)
    assert made is not None
    issue(sg)
    net.drain()
    with sg.node.store.read() as tx:
        sent = tx.outbox.search(limit=1)[0][0]
    assert f'"seq":{made.seq}' in sent.envelope and made.signature in sent.envelope
    document = checkpoints.partner_checkpoints_document(jp.node, ADMIN)
    assert document["exported_by"] == "JP-CUSTOMS"
    [held] = document["checkpoints"]
    assert (held["node"], held["seq"], held["head"]) == ("SG-CUSTOMS", made.seq, made.head)
    assert held["signature"] == made.signature and held["message_id"]
    again = read_export(compact_json(document), source="jp.json")
    assert again.held_by == "JP-CUSTOMS" and again.checkpoints[0].seq == made.seq


def _keep(
    net: Network, checkpoint: AuditCheckpoint | None, sender: str = "SG-CUSTOMS"
) -> str | None:
    jp = net["JP-CUSTOMS"].node
    wire = message(
        sender=sender, recipient="JP-CUSTOMS", signer=net[sender].signer, now=net.clock.now()
    )
    envelope = wire.envelope.model_copy(update={"checkpoint": checkpoint})
    with jp.store.transaction() as tx:
        return checkpoints.keep_from_envelope(tx, jp, envelope)


def _held(net: Network) -> int | None:
    with net["JP-CUSTOMS"].node.store.read() as tx:
        held = tx.partner_checkpoints.get("SG-CUSTOMS")
    return held.seq if held is not None else None


def test_the_partner_keeps_only_a_newer_validly_signed_checkpoint_of_the_sender(
    net: Network,
) -> None:
    sg = net["SG-CUSTOMS"]
    now = net.clock.now()

    def signed(
        seq: int, head: str, signer: Signer = sg.signer, node: str = "SG-CUSTOMS"
    ) -> AuditCheckpoint:
        return sign_checkpoint(node=node, seq=seq, head=head, at=now, signer=signer)

    assert _keep(net, None) is None
    assert _keep(net, signed(5, "a" * 64)) == "kept" and _held(net) == 5
    assert _keep(net, signed(4, "b" * 64)) == "older" and _held(net) == 5
    assert _keep(net, signed(5, "c" * 64)) == "conflicting" and _held(net) == 5
    assert _keep(net, signed(9, "d" * 64, net["JP-CUSTOMS"].signer)) == (
        "CHECKPOINT_SIGNER_MISMATCH"
    )
    forged = signed(9, "d" * 64).model_copy(update={"head": "e" * 64})
    assert _keep(net, forged) == "CHECKPOINT_SIGNATURE_INVALID"
    assert _keep(net, signed(9, "d" * 64, node="JP-CUSTOMS")) == "not the sender's"
    assert _held(net) == 5
    assert _keep(net, signed(6, "f" * 64)) == "kept" and _held(net) == 6


def test_a_checkpoint_signed_by_a_key_no_trust_list_names_is_refused(net: Network) -> None:
    from originlink.testing import TestCA

    stranger = TestCA().issue("SG-CUSTOMS", "SG", "issuing-authority")
    checkpoint = sign_checkpoint(
        node="SG-CUSTOMS", seq=3, head="a" * 64, at=net.clock.now(), signer=stranger
    )
    with pytest.raises(TrustError) as caught:
        verify_checkpoint(checkpoint, net["JP-CUSTOMS"].node.trust)
    assert caught.value.code == "CHECKPOINT_SIGNER_NOT_LISTED"


def test_only_the_administrator_reads_and_exports_checkpoints(net: Network) -> None:
    jp = net["JP-CUSTOMS"].node
    for call in (checkpoints.own_checkpoints, checkpoints.partner_checkpoints_document):
        with pytest.raises(Forbidden):
            call(jp, EXPORTER)
        assert call(jp, SYSTEM_ACTOR) is not None


def test_a_head_signed_at_the_same_moment_by_another_process_is_taken_as_it_is(
    net: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    from originlink.store.repos.checkpoints import Checkpoints

    sg = net["SG-CUSTOMS"].node
    first = checkpoints.make_checkpoint(sg, ADMIN)
    assert first is not None
    users.add_user(sg, ADMIN, username="zoe", role="admin")
    other = checkpoints.make_checkpoint(sg, ADMIN)  # "the other process" signs the new head
    assert other is not None
    seen = Checkpoints.latest
    calls = iter([first])  # this process read the latest before the other one committed

    def stale(self: Checkpoints) -> object:
        return next(calls, None) or seen(self)

    monkeypatch.setattr(Checkpoints, "latest", stale)
    again = checkpoints.make_checkpoint(sg, ADMIN)
    assert again is not None and again.signature == other.signature


def test_a_checkpoint_names_its_key_without_its_chain_and_no_other_signature_passes_for_one(
    net: Network,
) -> None:
    from originlink.trust.jws import read_header, sign_detached

    sg = net["SG-CUSTOMS"]
    made = sign_checkpoint(
        node="SG-CUSTOMS", seq=3, head="a" * 64, at=net.clock.now(), signer=sg.signer
    )
    header = read_header(made.signature)
    assert header["kid"] == sg.signer.key_id and "x5c" not in header  # the trust list has it
    assert len(made.signature) < 400  # a chain in x5c would be over a kilobyte
    other = sign_detached(b"{}", sg.signer, extra_headers={"typ": "originlink-envelope+jws"})
    with pytest.raises(TrustError) as caught:
        verify_checkpoint(
            made.model_copy(update={"signature": other}), net["JP-CUSTOMS"].node.trust
        )
    assert caught.value.code == "CHECKPOINT_SIGNATURE_INVALID"
