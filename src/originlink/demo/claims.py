"""The claims and verification part of ``make demo`` (issue 6), to plug into the exchange demo.

:func:`run_claims_demo` takes the two demo gateways (anything with ``node``, ``officer`` and
``customs``, such as :class:`originlink.testing.network.Gateway`), the number of a CO the
exporting gateway issued and the importing gateway already received, a ``settle`` callable that
lets the workers move the queued messages, and an ``advance`` callable that moves the clock of
both nodes. The deadlines are then applied on each node with :func:`scheduler.run_due`, so the
nodes may also be opened in this process, with a frozen clock, beside running servers.

It shows two partial declarations GRANTED, a third over-claim DENIED with QUANTITY_EXCEEDED,
the issuing side's utilisation view, one verification answered (VERIFIED) and one that lapses
to NO_REPLY on the moved clock, and returns True when all went as expected.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any, Protocol

from rich.console import Console
from rich.text import Text

from originlink.domain.authz import Actor
from originlink.services.context import Node
from originlink.services.importing import claim_records, claims
from originlink.services.importing.utilisation import utilisation_view
from originlink.services.verification import answers as verification_issuer
from originlink.services.verification import cases
from originlink.services.verification import deadlines as scheduler
from originlink.services.verification import requests as verification


class DemoGateway(Protocol):
    node: Node
    officer: Actor
    customs: Actor


def _record_ids(gateway: DemoGateway, side: str, country: str, number: str) -> str:
    with gateway.node.store.read() as tx:
        found = tx.certificates.find(side=side, issuing_country=country, number=number)
    if not found:
        raise LookupError(f"{gateway.node.identity.participant_id} holds no {side} CO {number}")
    return found[0].id


def _declaration(
    decl_id: str, gateway: DemoGateway, number: str, item: dict[str, Any], qty: str
) -> dict[str, Any]:
    return {
        "id": decl_id,
        "importer": {"name": item["importer"]},
        "date": gateway.node.local_now().date().isoformat(),
        "certificate": {"issuing_country": item["issuing_country"], "number": number},
        "lines": [
            {
                "line_number": 1,
                "co_item": item["item"],
                "hs_code": item["hs6"],
                "quantity": {"value": qty, "unit_code": item["unit_code"]},
                "customs_value": {"value": "1000.00", "currency_code": "USD"},
            }
        ],
    }


def _check(console: Console, ok: bool, text: str) -> bool:
    console.print(Text(("ok   " if ok else "FAIL ") + text, style="green" if ok else "bold red"))
    return ok


def run_claims_demo(
    exporting: DemoGateway,
    importing: DemoGateway,
    *,
    number: str,
    settle: Callable[[], object],
    advance: Callable[[timedelta], object],
    console: Console,
) -> bool:
    """Run the claims and verification demo on a received CO; True when all went as expected."""
    country = exporting.node.identity.country
    received = _record_ids(importing, "import", country, number)
    issued = _record_ids(exporting, "export", country, number)
    usage = claim_records.usage(importing.node, importing.customs, received)
    first = usage["items"][0]
    with importing.node.store.read() as tx:
        record = tx.certificates.get(received)
    assert record is not None
    item = {
        "item": first["item"],
        "hs6": first["hs6"],
        "unit_code": first["unit_code"],
        "importer": record.importer_name or "",
        "issuing_country": country,
    }
    total = Decimal(first["remaining"])
    part = (total * Decimal("0.4")).quantize(Decimal(1))
    results = []
    console.rule(
        f"Preference claims on {number} (item {item['item']}: {total} {item['unit_code']})"
    )
    for decl_id, qty in (("DEMO-DECL-1", part), ("DEMO-DECL-2", part), ("DEMO-DECL-3", part)):
        result = claims.submit_declaration(
            importing.node,
            importing.customs,
            _declaration(decl_id, importing, number, item, str(qty)),
        )
        line = result.record.decision["lines"][0]
        facts = line["facts"]
        console.print(
            f"  {decl_id}: {qty} {item['unit_code']} -> {line['decision']} "
            f"{', '.join(line['reason_codes'])} (remaining {facts.get('remaining_before')} -> "
            f"{facts.get('remaining_after')})"
        )
        results.append(line)
    good = _check(
        console,
        [x["decision"] for x in results] == ["GRANTED", "GRANTED", "DENIED"]
        and results[2]["reason_codes"] == ["QUANTITY_EXCEEDED"],
        "two partial claims granted, the over-claim denied with QUANTITY_EXCEEDED",
    )
    settle()
    view = utilisation_view(exporting.node, exporting.officer, issued)
    used = next(i for i in view["items"] if i["item"] == item["item"])
    console.print(
        f"  issuing side sees item {used['item']}: used {used['used']} of {used['quantity']} "
        f"in {len(used['reports'])} report(s) from "
        f"{', '.join(sorted({r['reported_by'] for r in used['reports']}))}"
    )
    good &= _check(console, Decimal(used["used"]) == 2 * part, "utilisation reached the issuer")
    good &= _verification(exporting, importing, received, item["item"], settle, advance, console)
    return good


def _verification(
    exporting: DemoGateway,
    importing: DemoGateway,
    received: str,
    item: int,
    settle: Callable[[], object],
    advance: Callable[[timedelta], object],
    console: Console,
) -> bool:
    console.rule("Retroactive verification")
    request = {
        "certificate_id": received,
        "reasons": ["ORIGINATING_STATUS"],
        "items": [item],
        "questions": ["Please confirm the origin criterion of this item."],
    }
    case = verification.request_verification(importing.node, importing.customs, request)
    console.print(f"  case {case.id[:8]} opened, due {case.due_at} ({case.deadline_note})")
    settle()
    mirrors, _ = cases.list_cases(exporting.node, exporting.officer, side="export")
    mirror = next(m for m in mirrors if m["status"] == "OPEN")
    verification_issuer.acknowledge(exporting.node, exporting.officer, mirror["id"], {})
    verification_issuer.answer(
        exporting.node,
        exporting.officer,
        mirror["id"],
        {"items": [{"item": item, "result": "CONFIRMED", "findings": "Records support it."}]},
    )
    settle()
    answered = cases.get_case(importing.node, importing.customs, case.id)
    console.print(f"  answered: {answered['status']} -> CO {answered['outcome']}")
    good = _check(console, answered["outcome"] == "VERIFIED", "first verification answered")
    second = verification.request_verification(importing.node, importing.customs, request)
    settle()
    if second.due_at is None:
        return _check(console, False, f"no deadline to lapse: {second.deadline_note}")
    advance(second.due_at - importing.node.now() + timedelta(minutes=1))
    for gateway in (importing, exporting):  # the deadlines on each node's (moved) clock
        scheduler.run_due(gateway.node)
    settle()
    lapsed = cases.get_case(importing.node, importing.customs, second.id)
    mirrors, _ = cases.list_cases(exporting.node, exporting.officer, side="export")
    issuer_side = [m["status"] for m in mirrors if m["request"].get("remote_case_id") == second.id]
    console.print(
        f"  second case after the clock moved past {second.due_at}: importing side "
        f"{lapsed['status']}, issuing side {', '.join(issuer_side)}"
    )
    return good & _check(
        console,
        lapsed["status"] == "NO_REPLY" and issuer_side == ["NO_REPLY"],
        "the unanswered verification lapsed to NO_REPLY on both sides",
    )
