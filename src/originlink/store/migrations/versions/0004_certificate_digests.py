"""The digest of every version of a CO, for public verification of earlier prints; existing
certificates get their current version's digest.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificate_digests",
        sa.Column("certificate_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_digests_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint("certificate_id", "version", name=op.f("pk_certificate_digests")),
    )
    op.execute(
        "INSERT INTO certificate_digests (certificate_id, version, status, digest, recorded_at) "
        "SELECT id, version, status, digest, updated_at FROM certificates"
    )


def downgrade() -> None:
    op.drop_table("certificate_digests")
