"""Preference claims (declarations with their decisions), post-clearance reviews, utilisation
notices received by the issuing side, verification evidence files and case fields, and the
verification outcome per CO item.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 19:14:48.379256
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "declarations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("importer", sa.String(length=256), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=False),
        sa.Column("issuing_country", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("certificate_id", sa.String(length=36), nullable=True),
        sa.Column("agreement", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declarations")),
    )
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declarations_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index("ix_declarations_co", ["issuing_country", "number"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_declarations_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "post_clearance_reviews",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("declaration_id", sa.String(length=64), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("certificate_id", sa.String(length=36), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("closed_at", originlink.store.types.UtcDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=128), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declarations.id"],
            name=op.f("fk_post_clearance_reviews_declaration_id_declarations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_clearance_reviews")),
        sa.UniqueConstraint(
            "declaration_id",
            "line_number",
            "certificate_id",
            "reason",
            name="uq_reviews_line_reason",
        ),
    )
    with op.batch_alter_table("post_clearance_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_post_clearance_reviews_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_post_clearance_reviews_status"), ["status"], unique=False
        )

    op.create_table(
        "utilisation_notices",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("certificate_id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("declaration_id", sa.String(length=64), nullable=False),
        sa.Column("declared_on", sa.Date(), nullable=True),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("reason_codes", sa.Text(), nullable=True),
        sa.Column("quantity_micros", sa.BigInteger(), nullable=False),
        sa.Column("unit_code", sa.String(length=3), nullable=True),
        sa.Column("reported_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("received_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_utilisation_notices_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_utilisation_notices")),
    )
    with op.batch_alter_table("utilisation_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_utilisation_notices_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_utilisation_notices_message_id"), ["message_id"], unique=False
        )

    op.create_table(
        "verification_files",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("part", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=127), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["verification_cases.id"],
            name=op.f("fk_verification_files_case_id_verification_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_files")),
    )
    with op.batch_alter_table("verification_files", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_files_case_id"), ["case_id"], unique=False
        )

    with op.batch_alter_table("certificate_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_status", sa.String(length=24), nullable=True))

    with op.batch_alter_table("verification_cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("deadline_note", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("acknowledged_at", originlink.store.types.UtcDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("answered_at", originlink.store.types.UtcDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("outcome", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("visit_status", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("visit_due_at", originlink.store.types.UtcDateTime(), nullable=True)
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_verification_cases_side_message_id"), ["side", "message_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("verification_cases", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_verification_cases_side_message_id"), type_="unique"
        )
        batch_op.drop_column("visit_due_at")
        batch_op.drop_column("visit_status")
        batch_op.drop_column("outcome")
        batch_op.drop_column("answered_at")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("deadline_note")
        batch_op.drop_column("message_id")

    with op.batch_alter_table("certificate_items", schema=None) as batch_op:
        batch_op.drop_column("origin_status")

    with op.batch_alter_table("verification_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_files_case_id"))

    op.drop_table("verification_files")
    with op.batch_alter_table("utilisation_notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_utilisation_notices_message_id"))
        batch_op.drop_index(batch_op.f("ix_utilisation_notices_certificate_id"))

    op.drop_table("utilisation_notices")
    with op.batch_alter_table("post_clearance_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_post_clearance_reviews_status"))
        batch_op.drop_index(batch_op.f("ix_post_clearance_reviews_certificate_id"))

    op.drop_table("post_clearance_reviews")
    with op.batch_alter_table("declarations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declarations_created_at"))
        batch_op.drop_index("ix_declarations_co")
        batch_op.drop_index(batch_op.f("ix_declarations_certificate_id"))

    op.drop_table("declarations")
