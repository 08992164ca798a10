"""Initial schema: users and tokens, applications, certificates with events and links,
number sequences, items and usage ledger, verification cases, outbox and inbox, audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 18:37:08.067791
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import originlink.store.types

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("before_digest", sa.String(length=64), nullable=True),
        sa.Column("after_digest", sa.String(length=64), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity_type", "entity_id"], unique=False)

    op.create_table(
        "certificates",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verification_status", sa.String(length=24), nullable=True),
        sa.Column("issuing_country", sa.String(length=2), nullable=False),
        sa.Column("authority_code", sa.String(length=64), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("copy_seq", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.String(length=20), nullable=True),
        sa.Column("form_code", sa.String(length=35), nullable=False),
        sa.Column("exporting_country", sa.String(length=2), nullable=False),
        sa.Column("importing_country", sa.String(length=2), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=True),
        sa.Column("importer_name", sa.String(length=256), nullable=True),
        sa.Column("partner", sa.String(length=64), nullable=True),
        sa.Column("issue_datetime", originlink.store.types.UtcDateTime(), nullable=True),
        sa.Column("validity_end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=True),
        sa.Column("replaced_by_id", sa.String(length=36), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint(
            "side",
            "issuing_country",
            "authority_code",
            "number",
            "copy_seq",
            name=op.f("uq_certificates_side_issuing_country_authority_code_number_copy_seq"),
        ),
    )
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.create_index("ix_certificates_agreement", ["agreement"], unique=False)
        batch_op.create_index("ix_certificates_issue_datetime", ["issue_datetime"], unique=False)
        batch_op.create_index("ix_certificates_lookup", ["issuing_country", "number"], unique=False)
        batch_op.create_index("ix_certificates_organisation", ["organisation"], unique=False)
        batch_op.create_index("ix_certificates_status", ["side", "status"], unique=False)

    op.create_table(
        "inbox",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("message_type", sa.String(length=32), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("agreement", sa.String(length=20), nullable=True),
        sa.Column("certificate_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("refused", sa.Boolean(), nullable=False),
        sa.Column("refusal_code", sa.String(length=48), nullable=True),
        sa.Column("envelope", sa.Text(), nullable=True),
        sa.Column("payload_digest", sa.String(length=64), nullable=True),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("loss_report", sa.Text(), nullable=True),
        sa.Column("received_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbox")),
    )
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbox_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbox_sender"), ["sender"], unique=False)

    op.create_table(
        "number_sequences",
        sa.Column("authority_code", sa.String(length=64), nullable=False),
        sa.Column("agreement", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "authority_code", "agreement", "year", name=op.f("pk_number_sequences")
        ),
    )
    op.create_table(
        "outbox",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("message_type", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("agreement", sa.String(length=20), nullable=True),
        sa.Column("certificate_id", sa.String(length=36), nullable=True),
        sa.Column("correlation_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_until", originlink.store.types.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("loss_report", sa.Text(), nullable=True),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_outbox_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_recipient"), ["recipient"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=256), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=True),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "verification_cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("certificate_id", sa.String(length=36), nullable=True),
        sa.Column("issuing_country", sa.String(length=2), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("partner", sa.String(length=64), nullable=True),
        sa.Column("agreement", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=True),
        sa.Column("opened_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("due_at", originlink.store.types.UtcDateTime(), nullable=True),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_cases")),
    )
    with op.batch_alter_table("verification_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_cases_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_verification_cases_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_verification_cases_status"), ["status"], unique=False)

    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=256), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=True),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("expires_at", originlink.store.types.UtcDateTime(), nullable=True),
        sa.Column("revoked_at", originlink.store.types.UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_tokens_prefix")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("owner_user_id", sa.String(length=36), nullable=False),
        sa.Column("organisation", sa.String(length=64), nullable=True),
        sa.Column("agreement", sa.String(length=20), nullable=True),
        sa.Column("importing_country", sa.String(length=2), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("refusal_reasons", sa.Text(), nullable=True),
        sa.Column("related_certificate_id", sa.String(length=36), nullable=True),
        sa.Column("certificate_id", sa.String(length=36), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_user_id"], ["users.id"], name=op.f("fk_applications_owner_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applications_agreement"), ["agreement"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_applications_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applications_organisation"), ["organisation"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_applications_status"), ["status"], unique=False)

    op.create_table(
        "certificate_events",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("certificate_id", sa.String(length=36), nullable=False),
        sa.Column("from_status", sa.String(length=24), nullable=True),
        sa.Column("to_status", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_events_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_events")),
    )
    with op.batch_alter_table("certificate_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_certificate_events_certificate_id"), ["certificate_id"], unique=False
        )

    op.create_table(
        "certificate_items",
        sa.Column("certificate_id", sa.String(length=36), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=False),
        sa.Column("hs6", sa.String(length=6), nullable=False),
        sa.Column("unit_code", sa.String(length=3), nullable=True),
        sa.Column("quantity_micros", sa.BigInteger(), nullable=True),
        sa.Column("remaining_micros", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_items_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint(
            "certificate_id", "sequence_number", name=op.f("pk_certificate_items")
        ),
    )
    op.create_table(
        "certificate_links",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("from_id", sa.String(length=36), nullable=False),
        sa.Column("to_id", sa.String(length=36), nullable=True),
        sa.Column("relation", sa.String(length=24), nullable=False),
        sa.Column("to_issuing_country", sa.String(length=2), nullable=False),
        sa.Column("to_number", sa.String(length=35), nullable=False),
        sa.Column("at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_id"], ["certificates.id"], name=op.f("fk_certificate_links_from_id_certificates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_links")),
    )
    with op.batch_alter_table("certificate_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certificate_links_from_id"), ["from_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certificate_links_to_id"), ["to_id"], unique=False)

    op.create_table(
        "usage_ledger",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("certificate_id", sa.String(length=36), nullable=False),
        sa.Column("sequence_number", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.String(length=64), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("delta_micros", sa.BigInteger(), nullable=False),
        sa.Column("unit_code", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("at", originlink.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_usage_ledger_certificate_id_certificates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_ledger")),
    )
    with op.batch_alter_table("usage_ledger", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_usage_ledger_certificate_id"), ["certificate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_usage_ledger_declaration_id"), ["declaration_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("usage_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usage_ledger_declaration_id"))
        batch_op.drop_index(batch_op.f("ix_usage_ledger_certificate_id"))

    op.drop_table("usage_ledger")
    with op.batch_alter_table("certificate_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_links_to_id"))
        batch_op.drop_index(batch_op.f("ix_certificate_links_from_id"))

    op.drop_table("certificate_links")
    op.drop_table("certificate_items")
    with op.batch_alter_table("certificate_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certificate_events_certificate_id"))

    op.drop_table("certificate_events")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_status"))
        batch_op.drop_index(batch_op.f("ix_applications_organisation"))
        batch_op.drop_index(batch_op.f("ix_applications_created_at"))
        batch_op.drop_index(batch_op.f("ix_applications_agreement"))

    op.drop_table("applications")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    with op.batch_alter_table("verification_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_cases_status"))
        batch_op.drop_index(batch_op.f("ix_verification_cases_due_at"))
        batch_op.drop_index(batch_op.f("ix_verification_cases_certificate_id"))

    op.drop_table("verification_cases")
    op.drop_table("users")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_recipient"))
        batch_op.drop_index("ix_outbox_due")
        batch_op.drop_index(batch_op.f("ix_outbox_created_at"))
        batch_op.drop_index(batch_op.f("ix_outbox_certificate_id"))

    op.drop_table("outbox")
    op.drop_table("number_sequences")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbox_sender"))
        batch_op.drop_index(batch_op.f("ix_inbox_received_at"))

    op.drop_table("inbox")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_index("ix_certificates_status")
        batch_op.drop_index("ix_certificates_organisation")
        batch_op.drop_index("ix_certificates_lookup")
        batch_op.drop_index("ix_certificates_issue_datetime")
        batch_op.drop_index("ix_certificates_agreement")

    op.drop_table("certificates")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")

    op.drop_table("audit_log")
    op.drop_table("audit_head")
