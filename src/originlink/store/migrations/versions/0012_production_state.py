"""Production: worker heartbeats and the state several instances share.

``worker_heartbeats`` lets ``/health/ready`` say whether a delivery worker is alive;
``shared_buckets`` and ``shared_nonces`` hold the rate limits' token buckets and the nonces of
signed G2G requests already seen, so every instance of a node applies the same limits and
refuses the same replays, also after a restart.

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-06 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from originlink.store.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worker_heartbeats",
        sa.Column("worker_id", sa.String(64), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("beat_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_worker_heartbeats")),
    )
    op.create_index(
        op.f("ix_worker_heartbeats_beat_at"), "worker_heartbeats", ["beat_at"], unique=False
    )
    op.create_table(
        "shared_buckets",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_shared_buckets")),
    )
    op.create_table(
        "shared_nonces",
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_shared_nonces")),
    )
    op.create_index("ix_shared_nonces_expires_at", "shared_nonces", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_shared_nonces_expires_at", table_name="shared_nonces")
    op.drop_table("shared_nonces")
    op.drop_table("shared_buckets")
    op.drop_index(op.f("ix_worker_heartbeats_beat_at"), table_name="worker_heartbeats")
    op.drop_table("worker_heartbeats")
