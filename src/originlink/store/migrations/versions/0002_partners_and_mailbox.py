"""Partners (exchange model, endpoint, shared agreements, payload format) and the mailbox that
pull partners and hubs read with a cursor.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 18:45:43.277835
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mailbox",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("message_type", sa.String(length=32), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_mailbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_mailbox_message_id")),
    )
    with op.batch_alter_table("mailbox", schema=None) as batch_op:
        batch_op.create_index("ix_mailbox_recipient_seq", ["recipient", "seq"], unique=False)

    op.create_table(
        "partners",
        sa.Column("participant_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("model", sa.String(length=8), nullable=False),
        sa.Column("endpoint", sa.String(length=2048), nullable=True),
        sa.Column("hub", sa.String(length=64), nullable=True),
        sa.Column("agreements", sa.Text(), nullable=False),
        sa.Column("payload_format", sa.String(length=16), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_partners")),
    )
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partners_country"), ["country"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("partners", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partners_country"))

    op.drop_table("partners")
    with op.batch_alter_table("mailbox", schema=None) as batch_op:
        batch_op.drop_index("ix_mailbox_recipient_seq")

    op.drop_table("mailbox")
