"""Utilisation notices (P5): the importing side tells the issuing side how its CO was used.

Importing side: :func:`notify` queues a ``co.utilisation`` message in the claim's transaction
(transactional outbox), with one entry per declaration line (``USE``: the decision and the
quantity drawn, ``0`` when none) and one per re-credit (``RECREDIT``).

Issuing side: :func:`on_utilisation` records the entries against its own export-side CO, after
checking that the sender is the CO's importing party; :func:`utilisation_view` shows, per CO and
item, how much was used, where (which partner and declaration) and when.

Payload (``co.utilisation``, JSON)::

    {"certificate": {"issuing_country": "SG", "number": "RCEP-SG-2025-000001"},
     "declaration_id": "JP-2025-000042", "declaration_date": "2025-03-10",
     "declaration_revision": 1, "declaration_status": "DECIDED" | "AMENDED" | "INVALIDATED",
     "reported_at": "2025-03-10T04:00:00Z",
     "entries": [{"kind": "USE", "line_number": 1, "item": 1, "decision": "GRANTED",
                  "reason_codes": ["ALL_CHECKS_PASSED"], "quantity": "400", "unit_code": "H87"},
                 {"kind": "RECREDIT", "line_number": 1, "item": 1, "quantity": "400",
                  "unit_code": "H87"}]}
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.claims import LineOutcome
from originlink.domain.dataset.types import datetime_to_json
from originlink.domain.declarations import UtilisationNotice, parse_input
from originlink.domain.errors import NotFound, ValidationFailed
from originlink.domain.findings import Finding, Level
from originlink.domain.lifecycle import Side
from originlink.domain.messages import DocumentRef, MessageType
from originlink.domain.quantities import micros_text, to_micros
from originlink.services.context import Node
from originlink.services.messaging.handlers import HandlerResult, Inbound
from originlink.services.messaging.sending import send_message
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.repos.certificates import CertificateRecord


def notify(
    tx: UnitOfWork,
    node: Node,
    record: CertificateRecord,
    *,
    declaration_id: str,
    declaration_date: date,
    revision: int,
    status: str,
    outcomes: Sequence[LineOutcome],
    recredited: Sequence[dict[str, Any]],
) -> str | None:
    """Queue the notice for the CO's exporting partner; its message id (None: no partner)."""
    if not record.partner or tx.partners.get(record.partner) is None:
        return None
    entries: list[dict[str, Any]] = [
        {
            "kind": "RECREDIT",
            "line_number": r["line_number"],
            "item": r["item"],
            "quantity": r["quantity"],
            "unit_code": r["unit_code"] or None,
        }
        for r in recredited
        if r.get("certificate_id", record.id) == record.id
    ]
    for outcome in outcomes:
        entries.append(
            {
                "kind": "USE",
                "line_number": outcome.line_number,
                "item": outcome.co_item,
                "decision": outcome.decision.value,
                "reason_codes": [r.value for r in outcome.reason_codes],
                "quantity": outcome.facts.get("drawn", "0"),
                "unit_code": outcome.facts.get("item_unit"),
            }
        )
    if not entries:
        return None
    payload = {
        "certificate": {"issuing_country": record.issuing_country, "number": record.number},
        "declaration_id": declaration_id,
        "declaration_date": declaration_date.isoformat(),
        "declaration_revision": revision,
        "declaration_status": status,
        "reported_at": datetime_to_json(node.now()),
        "entries": [{k: v for k, v in e.items() if v is not None} for e in entries],
    }
    message = send_message(
        tx,
        node,
        recipient=record.partner,
        message_type=MessageType.CO_UTILISATION,
        payload=payload,
        agreement=record.agreement,
        document=DocumentRef(
            issuing_country=record.issuing_country, number=record.number, status=record.status
        ),
        certificate_id=record.id,
    )
    return str(message.envelope.message_id)


def _refuse(path: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        message, [Finding(Level.SEVERE, path, "UTILISATION_REFUSED", message, area="exchange")]
    )


def on_utilisation(tx: UnitOfWork, node: Node, inbound: Inbound) -> HandlerResult:
    """Issuing side: record what the importing party reports about one of our COs."""
    notice = parse_input(
        UtilisationNotice, inbound.payload_json(), root="payload", what="utilisation notice"
    )
    ref = notice.certificate
    if ref.issuing_country != node.identity.country:
        raise _refuse(
            "payload.certificate.issuing_country",
            f"{ref.number} was issued in {ref.issuing_country}, not by this node",
        )
    records = tx.certificates.find(
        side=Side.EXPORT.value, issuing_country=ref.issuing_country, number=ref.number
    )
    if not records:
        raise _refuse("payload.certificate.number", f"no CO {ref.number} was issued here")
    record = records[0]
    partner = tx.partners.get(inbound.sender)
    if partner is None or partner.country != record.importing_country:
        raise _refuse(
            "envelope.sender",
            f"{inbound.sender} is not the importing party of {ref.number} "
            f"(it is for {record.importing_country})",
        )
    now = node.now()
    entries = [
        {
            "kind": e.kind,
            "line_number": e.line_number,
            "item": e.item,
            "decision": e.decision,
            "reason_codes": e.reason_codes,
            "quantity_micros": to_micros(e.quantity),
            "unit_code": e.unit_code,
        }
        for e in notice.entries
    ]
    tx.utilisation.add(
        certificate_id=record.id,
        message_id=str(inbound.envelope.message_id),
        sender=inbound.sender,
        declaration_id=notice.declaration_id,
        declared_on=notice.declaration_date,
        entries=entries,
        reported_at=notice.reported_at,
        received_at=now,
    )
    tx.audit.append(
        at=now,
        actor=f"partner:{inbound.sender}",
        action="certificate.utilisation",
        entity_type="certificate",
        entity_id=record.id,
        details={
            "declaration_id": notice.declaration_id,
            "status": notice.declaration_status,
            "entries": len(entries),
        },
    )
    return HandlerResult(status="RECORDED", certificate_id=record.id)


def utilisation_view(node: Node, actor: Actor, certificate_id: str) -> dict[str, Any]:
    """Issuing side: per item, the quantity on the CO, what was used and re-credited (net),
    and every report (where, under which declaration, when)."""
    actor.require(Permission.CERTIFICATE_READ)
    with node.store.read() as tx:
        record = tx.certificates.get(certificate_id)
        if record is None or not actor.owns(record.organisation):
            raise NotFound(f"no certificate {certificate_id}")
        reports = tx.utilisation.of(record.id)
    items: dict[int, dict[str, Any]] = {}
    for item in record.document().certificate.goods_items:
        measure = item.quantity or item.net_weight or item.gross_weight
        items[item.sequence_number] = {
            "item": item.sequence_number,
            "hs_code": item.hs_code,
            "quantity": str(measure.value) if measure else None,
            "unit_code": measure.unit_code if measure else None,
            "used": Decimal(0),
            "recredited": Decimal(0),
            "reports": [],
        }
    for report in reports:
        entry = items.get(report["item"])
        if entry is None:
            continue
        amount = Decimal(report.pop("quantity_micros")) / 1_000_000
        report["quantity"] = micros_text(to_micros(amount))
        entry["used" if report["kind"] == "USE" else "recredited"] += amount
        entry["reports"].append(report)
    out = []
    for entry in items.values():
        used, back = entry.pop("used"), entry.pop("recredited")
        entry["used"] = micros_text(to_micros(used))
        entry["recredited"] = micros_text(to_micros(back))
        entry["net_used"] = micros_text(to_micros(used - back))
        out.append(entry)
    return {
        "certificate_id": record.id,
        "certificate": {"issuing_country": record.issuing_country, "number": record.number},
        "status": record.status,
        "verification_status": record.verification_status,
        "items": out,
    }
