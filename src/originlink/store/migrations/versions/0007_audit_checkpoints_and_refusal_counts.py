"""Signed checkpoints of the audit chain (the node's own, and the latest each partner sent),
and a count on refused-traffic rows (unauthenticated noise is counted, a sample is kept).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoints")),
    )
    op.create_table(
        "partner_checkpoints",
        sa.Column("participant_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("received_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("message_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_partner_checkpoints")),
    )
    with op.batch_alter_table("refused_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("count", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("refused_messages", schema=None) as batch_op:
        batch_op.drop_column("count")
    op.drop_table("partner_checkpoints")
    op.drop_table("audit_checkpoints")
