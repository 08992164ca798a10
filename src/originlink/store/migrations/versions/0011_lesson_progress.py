"""The training sandbox's lesson progress: one row per learner and lesson (steps, score, the
facts the checks found), kept on the node that serves the lessons.

Revision ID: 0011
Revises: 0010 (h19a's 0009 and 0010, merged here, follow main's head 0008)
Create Date: 2026-12-06 22:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_progress",
        sa.Column("learner", sa.String(length=64), nullable=False),
        sa.Column("lesson_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("completed_at", originlink.store.types.UtcDateTime(), nullable=True),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("max_score", sa.Integer(), nullable=False),
        sa.Column("steps", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("learner", "lesson_id", name=op.f("pk_lesson_progress")),
    )


def downgrade() -> None:
    op.drop_table("lesson_progress")
