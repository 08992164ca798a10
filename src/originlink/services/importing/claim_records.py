"""Reading claims (P4): declarations with their decisions, and a received CO's usage — its
items with what remains, its ledger and the claims holding quantity. Deciding is in
:mod:`originlink.services.importing.claims`.
"""

from __future__ import annotations

from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import NotFound
from originlink.domain.lifecycle import Side
from originlink.domain.quantities import micros_text
from originlink.services.context import Node
from originlink.store.repos.claims import DeclarationRecord


def get_declaration(node: Node, actor: Actor, declaration_id: str) -> DeclarationRecord:
    actor.require(Permission.CLAIM_READ)
    with node.store.read() as tx:
        record = tx.declarations.get(declaration_id)
    if record is None:
        raise NotFound(f"no declaration {declaration_id}")
    return record


def list_declarations(
    node: Node,
    actor: Actor,
    *,
    certificate_id: str | None = None,
    number: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[DeclarationRecord], int]:
    actor.require(Permission.CLAIM_READ)
    with node.store.read() as tx:
        return tx.declarations.search(
            certificate_id=certificate_id, number=number, status=status, limit=limit, offset=offset
        )


def usage(node: Node, actor: Actor, certificate_id: str) -> dict[str, Any]:
    """A received CO's items with what remains, its ledger and the claims holding quantity."""
    actor.require(Permission.CLAIM_READ)
    with node.store.read() as tx:
        record = tx.certificates.get(certificate_id)
        if record is None or record.side != Side.IMPORT.value:
            raise NotFound(f"no received certificate {certificate_id}")
        ledger = tx.ledger
        return {
            "certificate_id": record.id,
            "certificate": {"issuing_country": record.issuing_country, "number": record.number},
            "status": record.status,
            "verification_status": record.verification_status,
            "items": ledger.item_rows(record.id),
            "ledger": ledger.entries(record.id),
            "claims": [
                {
                    "declaration_id": held.declaration_id,
                    "line_number": held.line_number,
                    "item": held.sequence_number,
                    "holds": micros_text(held.net_micros),
                    "unit_code": held.unit_code,
                }
                for held in ledger.claims_on(record.id)
            ],
        }
