"""services/messaging/delivery_outcomes.py: what one delivery attempt came to — the partner's
signed receipt read into DELIVERED or DEAD, every answer that means "try again later" (no
receipt, an untrusted one, one for another message), the replies that came along, and the
back-off between attempts."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from originlink.domain.errors import PartnerUnavailable
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.services.messaging.delivery_outcomes import RetryPolicy, read_receipt
from originlink.services.messaging.receipts import receipt_message
from originlink.testing import TestCA
from originlink.testing.network import Network
from tests.services.support import message

URL = "https://jp-customs.gateway.example/g2g/v1/messages"
SENT = "00000000-0000-4000-8000-000000000001"


def _receipt(net: Network, outcome: ReceiptOutcome, message_id: str = SENT, **kw: Any) -> Any:
    """JP's signed receipt for ``message_id``, as JSON."""
    return receipt_message(
        net["JP-CUSTOMS"].node, recipient="SG-CUSTOMS", message_id=message_id, outcome=outcome, **kw
    ).to_json()


def _read(net: Network, data: Any, status: int = 200) -> Any:
    return read_receipt(net["SG-CUSTOMS"].node, data, URL, status, SENT)


def test_a_positive_receipt_delivers_and_is_kept(net: Network) -> None:
    for outcome in (
        ReceiptOutcome.DELIVERED,
        ReceiptOutcome.DELIVERED_WITH_WARNINGS,
        ReceiptOutcome.DUPLICATE,
    ):
        result = _read(net, _receipt(net, outcome))
        assert (result.status, result.error) == ("DELIVERED", None)
        assert result.wire is not None and result.wire.envelope.sender == "JP-CUSTOMS"
        assert result.receipt is not None and '"envelope"' in result.receipt


def test_the_replies_that_came_with_a_receipt_are_handed_on_four_at_most(net: Network) -> None:
    reply = message(
        sender="JP-CUSTOMS",
        recipient="SG-CUSTOMS",
        signer=net["JP-CUSTOMS"].signer,
        now=net.clock.now(),
        message_type=MessageType.BUSINESS_RESPONSE,
    ).to_json()
    data = {**_receipt(net, ReceiptOutcome.DELIVERED), "replies": [reply] * 6}
    result = _read(net, data)
    assert result.status == "DELIVERED" and result.replies == (reply,) * 4
    assert '"replies"' not in (result.receipt or "")


def test_a_refusal_kills_the_message_at_once_with_the_partners_code(net: Network) -> None:
    refused = _receipt(net, ReceiptOutcome.NOT_READABLE, code="AGREEMENT_NOT_SHARED", detail="no")
    result = _read(net, refused, 403)
    assert (result.status, result.error) == ("DEAD", "AGREEMENT_NOT_SHARED: no")
    assert result.receipt is not None
    # a refusal of the whole request may not name the message: it is still final
    anonymous = _receipt(net, ReceiptOutcome.NOT_READABLE, message_id="x", code="HTTPSIG_EXPIRED")
    assert _read(net, anonymous, 401).status == "DEAD"
    no_receipt = _read(net, {"error": "nope"}, 404)
    assert (no_receipt.status, no_receipt.error) == ("DEAD", "refused with HTTP 404 and no receipt")


def test_what_cannot_be_trusted_as_a_receipt_means_try_again(net: Network, ca: TestCA) -> None:
    stranger = ca.issue("JP-CUSTOMS", "JP", "customs")  # another CA: not trusted by SG
    forged = message(
        sender="JP-CUSTOMS",
        recipient="SG-CUSTOMS",
        signer=stranger,
        now=net.clock.now(),
        correlation_id=SENT,
    ).to_json()
    not_a_receipt = message(
        sender="JP-CUSTOMS",
        recipient="SG-CUSTOMS",
        signer=net["JP-CUSTOMS"].signer,
        now=net.clock.now(),
        message_type=MessageType.BUSINESS_RESPONSE,
        correlation_id=SENT,
    ).to_json()
    other = _receipt(
        net, ReceiptOutcome.DELIVERED, message_id="00000000-0000-4000-8000-000000000002"
    )
    for data, status, reason in [
        (None, 502, "answered 502 without a receipt"),
        ({"receipts": []}, 200, "answered 200 without a receipt"),
        (forged, 200, "is not trustworthy"),
        (not_a_receipt, 200, "with something other than a receipt"),
        (other, 200, "with something other than a receipt"),
    ]:
        with pytest.raises(PartnerUnavailable, match=reason):
            _read(net, data, status)


def test_the_back_off_grows_with_full_jitter_up_to_its_ceiling() -> None:
    policy = RetryPolicy(base_delay=timedelta(seconds=2), max_delay=timedelta(minutes=1))
    rng = random.Random(7)
    for attempt in range(40):
        ceiling = min(60.0, 2.0 * 2**attempt)
        delays = [policy.delay(attempt, rng).total_seconds() for _ in range(50)]
        assert all(2.0 <= d <= ceiling for d in delays), attempt
    assert policy.delay(0, rng) == timedelta(seconds=2)
    late = [policy.delay(30, rng).total_seconds() for _ in range(200)]
    assert max(late) > 50 and min(late) < 20  # spread over the whole window, not its end
