"""The stored form of an envelope: compact JSON that reads back as the same envelope."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from originlink.domain.messages import Envelope, MessageType, PayloadFormat


def _envelope() -> Envelope:
    return Envelope(
        message_id=uuid.uuid4(),
        message_type=MessageType.CO_ISSUED,
        function_code="9",
        sender="SG-CUSTOMS",
        recipient="JP-CUSTOMS",
        agreement="RCEP",
        created_at=datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
        payload_format=PayloadFormat.CANONICAL,
        payload_digest="A" * 43,
    )


def test_stored_json_is_compact_leaves_out_absent_members_and_reads_back() -> None:
    envelope = _envelope()
    text = envelope.stored_json()
    assert ", " not in text and ": " not in text
    data = json.loads(text)
    assert "document" not in data and "correlation_id" not in data and "signature" not in data
    assert Envelope.model_validate_json(text) == envelope
