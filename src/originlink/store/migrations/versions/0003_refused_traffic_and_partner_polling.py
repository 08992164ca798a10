"""Refused traffic (kept apart from the inbox); per partner, whether to poll its mailbox and
the cursor reached; per outbound message, its route (push, hub, mailbox).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 19:05:22.629554
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refused_messages",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("received_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("caller", sa.String(length=64), nullable=True),
        sa.Column("claimed_sender", sa.String(length=64), nullable=True),
        sa.Column("claimed_message_id", sa.String(length=64), nullable=True),
        sa.Column("message_type", sa.String(length=32), nullable=True),
        sa.Column("code", sa.String(length=48), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("remote_address", sa.String(length=64), nullable=True),
        sa.Column("body_bytes", sa.Integer(), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refused_messages")),
    )
    with op.batch_alter_table("refused_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refused_messages_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_refused_messages_received_at"), ["received_at"], unique=False
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("route", sa.String(length=8), nullable=False, server_default="push")
        )

    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("poll", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("cursor", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("route")

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("route", sa.String(length=8), nullable=False, server_default="push")
        )

    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_column("cursor")
        batch_op.drop_column("poll")

    with op.batch_alter_table("refused_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refused_messages_received_at"))
        batch_op.drop_index(batch_op.f("ix_refused_messages_code"))

    op.drop_table("refused_messages")
