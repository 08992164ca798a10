"""Users record the exporters they represent.

An exporter applies only for COs whose exporter identifier is its organisation's, or one it is
recorded as representing (a forwarding agent applying for its clients):
``originlink users add NAME --role exporter --organisation ORG --represents ID,...``. The list
is kept as JSON text on the user's row; NULL means none.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06 22:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("represents", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("represents")
