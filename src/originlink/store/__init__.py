"""Storage: SQLAlchemy tables, repositories, unit of work, outbox/inbox, ledger, audit chain."""
