"""Every table of the store on one ``MetaData``: the node's own tables
(:mod:`originlink.store.tables`), the exchange's (:mod:`originlink.store.exchange_tables`) and
the training sandbox's (:mod:`originlink.store.training_tables`) and
production's (:mod:`originlink.store.ops_tables`).
Migrations are compared with this, so a table declared in any of these modules is never forgotten.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from originlink.store import exchange_tables, ops_tables, tables, training_tables

metadata: MetaData = tables.metadata
assert exchange_tables.outbox.metadata is metadata
assert training_tables.lesson_progress.metadata is metadata
assert ops_tables.shared_nonces.metadata is metadata
