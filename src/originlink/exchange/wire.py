"""How a message travels: ``{"envelope": {...}, "payload": "<base64>"}``.

The payload is carried as base64 so its bytes arrive exactly as sent (``payload_digest`` is over
those bytes); the envelope is plain JSON so a hub routes on it without decoding the payload.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from originlink.domain.errors import InputError
from originlink.domain.messages import Envelope
from originlink.domain.safejson import compact_json, loads_bounded

#: Bound on one message on the wire (a CO with inline attachments stays well below); a node's
#: own bound on what it receives is its ``max_message_bytes`` setting (this by default).
MAX_MESSAGE_BYTES = 12 * 1024 * 1024


def payload_digest(payload: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(payload).digest()).rstrip(b"=").decode()


@dataclass(frozen=True, slots=True)
class WireMessage:
    envelope: Envelope
    payload: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "envelope": self.envelope.model_dump(mode="json", exclude_none=True),
            "payload": base64.b64encode(self.payload).decode("ascii"),
        }

    def to_bytes(self) -> bytes:
        return compact_json(self.to_json())

    def payload_json(self) -> Any:
        return loads_bounded(self.payload, what="message payload")


def parse_envelope(data: Any) -> Envelope:
    try:
        return Envelope.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InputError(
            f"the envelope is not valid: {where}: {first['msg']}", pointer=f"envelope.{where}"
        ) from None


def decode_message(data: Any) -> WireMessage:
    """A parsed JSON body as a message (envelope validated, payload decoded)."""
    if not isinstance(data, dict) or set(data) != {"envelope", "payload"}:
        raise InputError('a message is {"envelope": {...}, "payload": "<base64>"}')
    envelope = parse_envelope(data["envelope"])
    if not isinstance(data["payload"], str):
        raise InputError("the payload must be a base64 string", pointer="payload")
    try:
        payload = base64.b64decode(data["payload"].encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise InputError("the payload is not base64", pointer="payload") from None
    return WireMessage(envelope, payload)


def parse_message(body: bytes) -> WireMessage:
    return decode_message(loads_bounded(body, max_bytes=MAX_MESSAGE_BYTES, what="message"))


#: Most messages in one batch request (``{"messages": [...]}``).
MAX_BATCH = 100


def parse_body(body: bytes, *, max_bytes: int = MAX_MESSAGE_BYTES) -> list[Any]:
    """The message objects of a request body: one message, or a batch ``{"messages": [...]}``
    of 1 to :data:`MAX_BATCH` messages. Items are decoded later, one by one."""
    data = loads_bounded(body, max_bytes=max_bytes, what="message")
    if isinstance(data, dict) and set(data) == {"messages"}:
        items = data["messages"]
        if not isinstance(items, list) or not 1 <= len(items) <= MAX_BATCH:
            raise InputError(f"a batch holds 1 to {MAX_BATCH} messages")
        return items
    return [data]


def is_batch(body: bytes) -> bool:
    return body.lstrip()[:13].startswith(b'{"messages"')


def batch_body(messages: list[dict[str, Any]]) -> bytes:
    return compact_json({"messages": messages})
