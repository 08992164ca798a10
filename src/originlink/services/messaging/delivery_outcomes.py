"""What one attempt to deliver a message came to: the partner's signed receipt read into an
outcome (DELIVERED, DEAD at once, or a retry), and the back-off between attempts.

* DELIVERED, DELIVERED_WITH_WARNINGS or DUPLICATE in a trustworthy receipt → DELIVERED;
* NOT_READABLE, or a 4xx refusal without a receipt → DEAD at once (the same bytes cannot
  succeed later), with the partner's code;
* no receipt, an untrustworthy one, 5xx → :class:`PartnerUnavailable`, which the worker turns
  into RETRYING with exponential back-off and full jitter (:class:`RetryPolicy`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from originlink.domain.errors import InputError, PartnerUnavailable, TrustError
from originlink.domain.messages import MessageType, ReceiptOutcome
from originlink.domain.safejson import compact_json
from originlink.exchange.envelopes import verify_message
from originlink.exchange.wire import WireMessage, decode_message
from originlink.services.context import Node
from originlink.store.repos.outbox import OutboxMessage


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 12
    base_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=15)

    def delay(self, attempt: int, rng: random.Random) -> timedelta:
        """Full jitter: uniform in [base, min(max, base * 2^attempt)]."""
        ceiling = min(
            self.max_delay.total_seconds(),
            self.base_delay.total_seconds() * (2 ** min(attempt, 30)),
        )
        return timedelta(seconds=rng.uniform(self.base_delay.total_seconds(), ceiling))


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: str
    error: str | None = None
    receipt: str | None = None
    wire: WireMessage | None = None
    replies: tuple[Any, ...] = ()


def read_receipt(node: Node, data: Any, url: str, status: int, message_id: str) -> SendOutcome:
    """The outcome one signed receipt gives for one message."""
    replies: tuple[Any, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("replies"), list):
        data = dict(data)
        replies = tuple(data.pop("replies")[:4])
    try:
        receipt = decode_message(data)
    except InputError:
        if 400 <= status < 500:
            return SendOutcome("DEAD", f"refused with HTTP {status} and no receipt")
        raise PartnerUnavailable(f"{url} answered {status} without a receipt") from None
    try:
        verify_message(receipt, node.require_trust(), now=node.now())
    except TrustError as exc:
        raise PartnerUnavailable(f"the receipt from {url} is not trustworthy: {exc.code}") from None
    correlation = str(receipt.envelope.correlation_id)
    if receipt.envelope.message_type is not MessageType.RECEIPT or (
        correlation != message_id and status < 400
    ):
        raise PartnerUnavailable(f"{url} answered with something other than a receipt")
    payload = receipt.payload_json()
    outcome = payload.get("outcome") if isinstance(payload, dict) else None
    stored = compact_json(receipt.to_json()).decode()
    if outcome in {
        ReceiptOutcome.DELIVERED.value,
        ReceiptOutcome.DUPLICATE.value,
        ReceiptOutcome.DELIVERED_WITH_WARNINGS.value,
    }:
        return SendOutcome("DELIVERED", receipt=stored, wire=receipt, replies=replies)
    code = payload.get("code") if isinstance(payload, dict) else None
    detail = payload.get("detail") if isinstance(payload, dict) else None
    return SendOutcome("DEAD", f"{code}: {detail}", receipt=stored)


def endpoint_of(partners: dict[str, Any], message: OutboxMessage) -> str:
    """Where a message goes: its recipient's endpoint, or the hub's for messages via a hub."""
    partner = partners.get(message.recipient)
    if partner is None:
        raise PartnerUnavailable(f"{message.recipient} is no longer a partner")
    if message.route == "hub":
        hub = partners.get(partner.hub or "")
        if hub is None or not hub.endpoint:
            raise PartnerUnavailable(
                f"hub {partner.hub} of {partner.participant_id} has no endpoint"
            )
        return str(hub.endpoint)
    if not partner.endpoint:
        raise PartnerUnavailable(f"{partner.participant_id} has no endpoint")
    return str(partner.endpoint)
