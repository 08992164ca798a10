"""Tables of a node in production: worker heartbeats (for ``/health/ready``) and the state
that several instances share (the token buckets of the rate limits and the nonces of signed
G2G requests already seen), so that a limit or a replay check holds across every instance
and survives a restart. They join the one :data:`originlink.store.tables.metadata`.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, String, Table

from originlink.store.tables import metadata
from originlink.store.types import UtcDateTime

worker_heartbeats = Table(
    "worker_heartbeats",
    metadata,
    Column("worker_id", String(64), primary_key=True),
    Column("host", String(255), nullable=False),
    Column("beat_at", UtcDateTime, nullable=False, index=True),
)

#: One token bucket per key (``public:<address>``, ``g2g:<partner>``); times are seconds
#: since the epoch on the instance's wall clock (instances share no monotonic clock).
shared_buckets = Table(
    "shared_buckets",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
)

#: Nonces seen inside the replay window; a row whose ``expires_at`` passed may be reused.
shared_nonces = Table(
    "shared_nonces",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("expires_at", Float, nullable=False),
    Index("ix_shared_nonces_expires_at", "expires_at"),
)
