"""One-time activation codes on ``users``: the SHA-256 of the code, when it expires, and when it
was used.

An administrator never types another user's password: adding a user on the web pages, or
resetting one's sign-in, clears the password and second factor and makes a random one-time code
that the user turns into a password of their own at ``/app/activate``. Only the code's hash is
kept; a used code stays recorded (``activation_used_at``) so the page can say it was used.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from originlink.store.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("activation_hash", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("activation_expires_at", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("activation_used_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        for column in ("activation_used_at", "activation_expires_at", "activation_hash"):
            batch_op.drop_column(column)
