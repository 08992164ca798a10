"""The schema, as SQLAlchemy Core tables. Alembic migrations in ``migrations/`` create exactly
this (a test compares them), on SQLite and on PostgreSQL alike.

Quantities of the usage ledger are stored as integers of millionths (the dataset allows at
most 6 decimals), so that drawing from a CO item is one exact, atomic ``UPDATE`` on both
databases; SQLite has no exact decimal type.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from originlink.store.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(256), nullable=False),
    Column("role", String(32), nullable=False),
    Column("organisation", String(64), nullable=True),
    # Exporter identifiers an exporter represents (an agent), a JSON list; NULL: none.
    Column("represents", Text, nullable=True),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    # Sign-in to the web pages (migration 0009): an argon2 password hash, a TOTP secret, the
    # TOTP time step last accepted (a code is used once), and the lockout counters.
    Column("password_hash", String(256), nullable=True),
    Column("totp_secret", String(64), nullable=True),
    Column("totp_last_step", BigInteger, nullable=True),
    Column("failed_logins", Integer, nullable=False, default=0, server_default="0"),
    Column("locked_until", UtcDateTime, nullable=True),
    # A one-time activation code (migration 0013): its SHA-256, its end, and when it was used.
    Column("activation_hash", String(64), nullable=True),
    Column("activation_expires_at", UtcDateTime, nullable=True),
    Column("activation_used_at", UtcDateTime, nullable=True),
)

#: Web sessions, server side: the cookie holds a random token, the row its SHA-256 (a stolen
#: table does not open sessions), the CSRF token of its forms, and when it ends.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("second_factor_pending", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False, index=True),
    Column("prefix", String(16), nullable=False, unique=True),
    Column("token_hash", String(256), nullable=False),
    Column("label", String(128), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

applications = Table(
    "applications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(24), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("owner_user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("organisation", String(64), nullable=True, index=True),
    Column("agreement", String(20), nullable=True, index=True),
    Column("importing_country", String(2), nullable=True),
    Column("content", Text, nullable=False),
    Column("findings", Text, nullable=True),
    Column("refusal_reasons", Text, nullable=True),
    Column("related_certificate_id", String(36), nullable=True),
    Column("certificate_id", String(36), nullable=True),
    Column("revision", Integer, nullable=False, default=1),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    # The officers' queue: SUBMITTED, oldest first (migration 0009).
    Index("ix_applications_queue", "status", "created_at"),
)

certificates = Table(
    "certificates",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("side", String(8), nullable=False),
    Column("status", String(16), nullable=False),
    Column("verification_status", String(24), nullable=True),
    Column("issuing_country", String(2), nullable=False),
    Column("authority_code", String(64), nullable=False),
    Column("number", String(35), nullable=False),
    Column("copy_seq", Integer, nullable=False, default=0),
    Column("agreement", String(20), nullable=True),
    Column("form_code", String(35), nullable=False),
    Column("exporting_country", String(2), nullable=False),
    Column("importing_country", String(2), nullable=False),
    Column("organisation", String(64), nullable=True),
    Column("importer_name", String(256), nullable=True),
    Column("partner", String(64), nullable=True),
    Column("issue_datetime", UtcDateTime, nullable=True),
    Column("validity_end_date", Date, nullable=True),
    Column("version", Integer, nullable=False),
    Column("digest", String(64), nullable=False),
    Column("document", Text, nullable=False),
    Column("application_id", String(36), nullable=True),
    Column("replaced_by_id", String(36), nullable=True),
    Column("findings", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("side", "issuing_country", "authority_code", "number", "copy_seq"),
    Index("ix_certificates_lookup", "issuing_country", "number", "side"),
    Index("ix_certificates_agreement", "agreement"),
    Index("ix_certificates_issue_datetime", "issue_datetime"),
    Index("ix_certificates_organisation", "organisation"),
    # the web application's lists, newest first under each filter (migration 0010)
    Index("ix_certificates_list", "side", "created_at", "id"),
    Index("ix_certificates_list_status", "side", "status", "created_at", "id"),
    Index("ix_certificates_list_partner", "side", "partner", "created_at", "id"),
    Index("ix_certificates_list_agreement", "side", "agreement", "created_at", "id"),
    Index("ix_certificates_list_expiry", "side", "status", "validity_end_date", "id"),
)

certificate_events = Table(
    "certificate_events",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("certificate_id", String(36), ForeignKey("certificates.id"), nullable=False, index=True),
    Column("from_status", String(24), nullable=True),
    Column("to_status", String(24), nullable=False),
    Column("version", Integer, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("reason", Text, nullable=True),
    Column("at", UtcDateTime, nullable=False),
)

certificate_links = Table(
    "certificate_links",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("from_id", String(36), ForeignKey("certificates.id"), nullable=False, index=True),
    Column("to_id", String(36), nullable=True, index=True),
    Column("relation", String(24), nullable=False),
    Column("to_issuing_country", String(2), nullable=False),
    Column("to_number", String(35), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

number_sequences = Table(
    "number_sequences",
    metadata,
    Column("authority_code", String(64), primary_key=True),
    Column("agreement", String(20), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_value", BigInteger, nullable=False),
)

certificate_items = Table(
    "certificate_items",
    metadata,
    Column("certificate_id", String(36), ForeignKey("certificates.id"), primary_key=True),
    Column("sequence_number", Integer, primary_key=True),
    Column("hs6", String(6), nullable=False),
    Column("unit_code", String(3), nullable=True),
    Column("quantity_micros", BigInteger, nullable=True),
    Column("remaining_micros", BigInteger, nullable=True),
    #: Outcome of retroactive verification for this item (import side): UNDER_VERIFICATION,
    #: CONFIRMED, NOT_CONFIRMED, PARTIALLY_CONFIRMED or NO_REPLY; None when never verified.
    Column("origin_status", String(24), nullable=True),
)

usage_ledger = Table(
    "usage_ledger",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("certificate_id", String(36), ForeignKey("certificates.id"), nullable=False, index=True),
    Column("sequence_number", Integer, nullable=False),
    Column("declaration_id", String(64), nullable=False, index=True),
    Column("line_number", Integer, nullable=False),
    Column("delta_micros", BigInteger, nullable=False),
    Column("unit_code", String(3), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

verification_cases = Table(
    "verification_cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("side", String(8), nullable=False),
    Column("certificate_id", String(36), nullable=True, index=True),
    Column("issuing_country", String(2), nullable=False),
    Column("number", String(35), nullable=False),
    Column("partner", String(64), nullable=True),
    Column("agreement", String(20), nullable=True),
    Column("status", String(24), nullable=False, index=True),
    Column("request", Text, nullable=False),
    Column("response", Text, nullable=True),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=True, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    #: The request message's id: ``verification.ack`` and ``.response`` carry it as
    #: ``correlation_id``.
    Column("message_id", String(36), nullable=True),
    Column("deadline_note", Text, nullable=True),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("answered_at", UtcDateTime, nullable=True),
    Column("outcome", String(24), nullable=True),
    Column("visit_status", String(16), nullable=True),
    Column("visit_due_at", UtcDateTime, nullable=True),
    UniqueConstraint("side", "message_id"),
)

#: Evidence and attachments of verification cases, kept with their SHA-256 digests.
verification_files = Table(
    "verification_files",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", String(36), ForeignKey("verification_cases.id"), nullable=False, index=True),
    Column("part", String(8), nullable=False),
    Column("name", String(255), nullable=False),
    Column("media_type", String(127), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

#: Import declarations claiming preference (P4), with the decision of every line. ``id`` is
#: the customs system's declaration id; ``content_digest`` makes re-posting idempotent.
declarations = Table(
    "declarations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("importer", String(256), nullable=False),
    Column("declared_on", Date, nullable=False),
    Column("issuing_country", String(2), nullable=False),
    Column("number", String(35), nullable=False),
    Column("certificate_id", String(36), nullable=True, index=True),
    Column("agreement", String(20), nullable=True),
    Column("status", String(16), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("content_digest", String(64), nullable=False),
    Column("content", Text, nullable=False),
    Column("decision", Text, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_declarations_co", "issuing_country", "number"),
)

#: Claims to look at again after clearance: the CO they used was cancelled or replaced, or
#: verification did not confirm the origin of the item they drew from.
post_clearance_reviews = Table(
    "post_clearance_reviews",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("declaration_id", String(64), ForeignKey("declarations.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("certificate_id", String(36), nullable=False, index=True),
    Column("sequence_number", Integer, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("details", Text, nullable=False),
    Column("status", String(8), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("closed_by", String(128), nullable=True),
    Column("note", Text, nullable=True),
    UniqueConstraint(
        "declaration_id", "line_number", "certificate_id", "reason", name="uq_reviews_line_reason"
    ),
)

#: What importing partners reported about the use of this node's COs (``co.utilisation``).
utilisation_notices = Table(
    "utilisation_notices",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("certificate_id", String(36), ForeignKey("certificates.id"), nullable=False, index=True),
    Column("message_id", String(36), nullable=False, index=True),
    Column("sender", String(64), nullable=False),
    Column("declaration_id", String(64), nullable=False),
    Column("declared_on", Date, nullable=True),
    Column("line_number", Integer, nullable=False),
    Column("sequence_number", Integer, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("decision", String(16), nullable=True),
    Column("reason_codes", Text, nullable=True),
    Column("quantity_micros", BigInteger, nullable=False),
    Column("unit_code", String(3), nullable=True),
    Column("reported_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)


audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity_type", String(32), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("before_digest", String(64), nullable=True),
    Column("after_digest", String(64), nullable=True),
    Column("details", Text, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_log_entity", "entity_type", "entity_id"),
)

#: One row: the head of the audit chain. Locking it serialises appends on PostgreSQL.
audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

#: The node's signed checkpoints of its audit chain (``domain/checkpoints.py``): record ``seq``
#: had hash ``head`` at ``at``, signed with the node's key. Partners keep the latest one.
audit_checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("head", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("signature", Text, nullable=False),
)


#: The digest of every version of a CO (issue, cancellation, replacement, expiry), recorded when
#: the version is made. The QR code printed on an earlier version keeps verifying as authentic
#: after a status change, and the public page can then say what became of the CO.
certificate_digests = Table(
    "certificate_digests",
    metadata,
    Column("certificate_id", String(36), ForeignKey("certificates.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("status", String(16), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)
