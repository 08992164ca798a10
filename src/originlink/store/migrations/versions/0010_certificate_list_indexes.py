"""Indexes for the web application's certificate lists: each filter, then newest first.

A list page shows 50 certificates of one side, newest first, perhaps of one status, partner or
agreement, and the next page starts after the last one shown (``created_at, id``). Each index
starts with the equality conditions and ends with the sort key, so a page is one index range
read in order and stopped after 51 rows, whatever the size of the register. Expired COs are
listed by the end of their validity, most recent first, along (side, status,
validity_end_date, id). The index on
(side, status) is dropped: the list index on (side, status, created_at, id) starts with it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 22:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_certificates_list": ["side", "created_at", "id"],
    "ix_certificates_list_status": ["side", "status", "created_at", "id"],
    "ix_certificates_list_partner": ["side", "partner", "created_at", "id"],
    "ix_certificates_list_agreement": ["side", "agreement", "created_at", "id"],
    "ix_certificates_list_expiry": ["side", "status", "validity_end_date", "id"],
}


def upgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_status")
        for name, columns in _INDEXES.items():
            batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        for name in _INDEXES:
            batch_op.drop_index(name)
        batch_op.create_index("ix_certificates_status", ["side", "status"], unique=False)
