"""The index for looking a CO up by issuing country and number also holds the side.

A received CO is matched to the records of its number with ``side = ? AND issuing_country = ?
AND number = ?``. With the index on (issuing_country, number) alone, SQLite's planner chose the
unique key, which starts (side, issuing_country), and so read every record of that country on
that side for each received CO: a cost that grew with the register. With ``side`` in the lookup
index, all three conditions are one index search; look-ups by country and number alone still
use its prefix.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 03:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_lookup")
        batch_op.create_index(
            "ix_certificates_lookup", ["issuing_country", "number", "side"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_lookup")
        batch_op.create_index("ix_certificates_lookup", ["issuing_country", "number"], unique=False)
