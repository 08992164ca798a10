"""What a message handler is given and what it returns; which handler serves which message
type is one table built by the composition root (:func:`originlink.bootstrap.message_handlers`),
not registered by importing modules.

A handler runs inside the receiving transaction, after the envelope, its signature and the
sender were checked (:mod:`originlink.services.messaging.inbound`), and returns what the
receipt says and what the inbox records. Raising a permanent error makes the message
NOT_READABLE with that error's code; nothing it did is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from originlink.domain.messages import Envelope, MessageType, ReceiptOutcome
from originlink.domain.safejson import loads_bounded
from originlink.exchange.wire import WireMessage
from originlink.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from originlink.services.context import Node


@dataclass(frozen=True, slots=True)
class Inbound:
    """A received message whose envelope and sender have been verified."""

    envelope: Envelope
    payload: bytes
    caller: str
    #: The sender is waiting on this HTTP request: replies may travel in its answer.
    inline: bool = False

    @property
    def sender(self) -> str:
        return self.envelope.sender

    def payload_json(self) -> Any:
        return loads_bounded(self.payload, what="message payload")


@dataclass(frozen=True, slots=True)
class HandlerResult:
    """What the receipt says, and what the inbox records."""

    status: str
    outcome: ReceiptOutcome = ReceiptOutcome.DELIVERED
    certificate_id: str | None = None
    code: str | None = None
    detail: str | None = None
    warnings: list[str] = field(default_factory=list)
    response: dict[str, Any] | None = None
    loss_report: dict[str, Any] | None = None
    #: Signed messages answering this one that travel inside the HTTP answer.
    replies: list[WireMessage] = field(default_factory=list)


Handler = Callable[[UnitOfWork, "Node", Inbound], HandlerResult]
#: The handler of each message type a node accepts.
MessageHandlers = Mapping[MessageType, Handler]
