"""The exchange's tables: partners, the transactional outbox, the inbox (idempotency on
``message_id``), mailboxes for partners that pull, and the refused-traffic log. They join the
one :data:`originlink.store.tables.metadata`, so the migrations are compared with all tables.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from originlink.store.tables import metadata
from originlink.store.types import UtcDateTime

outbox = Table(
    "outbox",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("message_type", String(32), nullable=False),
    Column("recipient", String(64), nullable=False, index=True),
    Column("agreement", String(20), nullable=True),
    Column("certificate_id", String(36), nullable=True, index=True),
    Column("correlation_id", String(36), nullable=True),
    Column("status", String(16), nullable=False),
    Column("route", String(8), nullable=False, default="push"),
    Column("envelope", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("claimed_by", String(64), nullable=True),
    Column("claimed_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("receipt", Text, nullable=True),
    Column("response", Text, nullable=True),
    Column("loss_report", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_outbox_due", "status", "next_attempt_at"),
)


inbox = Table(
    "inbox",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("message_type", String(32), nullable=False),
    Column("sender", String(64), nullable=False, index=True),
    Column("agreement", String(20), nullable=True),
    Column("certificate_id", String(36), nullable=True),
    Column("status", String(24), nullable=False),
    Column("refused", Boolean, nullable=False, default=False),
    Column("refusal_code", String(48), nullable=True),
    Column("envelope", Text, nullable=True),
    Column("payload_digest", String(64), nullable=True),
    Column("receipt", Text, nullable=True),
    Column("response", Text, nullable=True),
    Column("loss_report", Text, nullable=True),
    Column("received_at", UtcDateTime, nullable=False, index=True),
)


#: Partners this node exchanges with: from their trust lists, with the exchange model per
#: partner (push, pull, hybrid, hub), the endpoint, shared agreements and payload format.
partners = Table(
    "partners",
    metadata,
    Column("participant_id", String(64), primary_key=True),
    Column("name", String(256), nullable=False),
    Column("country", String(2), nullable=False, index=True),
    Column("model", String(8), nullable=False),
    Column("endpoint", String(2048), nullable=True),
    Column("hub", String(64), nullable=True),
    Column("agreements", Text, nullable=False),
    Column("payload_format", String(16), nullable=False),
    Column("poll", Boolean, nullable=False, default=False),
    Column("cursor", BigInteger, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


#: Messages waiting to be pulled by a participant (pull and hybrid partners; hub mailboxes).
#: ``seq`` is the mailbox cursor.
mailbox = Table(
    "mailbox",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("message_id", String(36), nullable=False, unique=True),
    Column("recipient", String(64), nullable=False),
    Column("sender", String(64), nullable=False),
    Column("message_type", String(32), nullable=False),
    Column("envelope", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_mailbox_recipient_seq", "recipient", "seq"),
)


#: Traffic refused before its sender was authenticated (bad or missing HTTP signature, unknown
#: key, replay, oversized or unreadable body). Kept apart from the inbox so that an
#: unauthenticated request can never occupy a message id a real partner will use later.
refused_messages = Table(
    "refused_messages",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("received_at", UtcDateTime, nullable=False, index=True),
    Column("caller", String(64), nullable=True),
    Column("claimed_sender", String(64), nullable=True),
    Column("claimed_message_id", String(64), nullable=True),
    Column("message_type", String(32), nullable=True),
    Column("code", String(48), nullable=False, index=True),
    Column("detail", Text, nullable=False),
    Column("remote_address", String(64), nullable=True),
    Column("body_bytes", Integer, nullable=False),
    Column("excerpt", Text, nullable=True),
    #: How many refusals this row stands for: 1 for a kept sample, more for the count of an
    #: unauthenticated kind beyond the samples of its window (noise is counted, not stored).
    Column("count", Integer, nullable=False, server_default="1"),
)


#: The latest audit checkpoint each partner sent us (signature checked against the trust
#: lists on receipt): evidence of its log that its administrator cannot take back.
partner_checkpoints = Table(
    "partner_checkpoints",
    metadata,
    Column("participant_id", String(64), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("head", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("signature", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("message_id", String(64), nullable=True),
)
