"""The checks about preference claims (P4), utilisation (P5), verification (P8), trust lists
(P12), the clock and reconciliation (P14); see :mod:`~originlink.training.checks`."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from originlink.training.checks import received_record
from originlink.training.outcome import Check, Outcome, fact, failed, passed
from originlink.training.probe import NetworkView


def claim(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """A declaration on the CO decided ``decision`` (with ``reason`` among its codes); with
    ``count``, at least that many such declarations."""
    node = params.get("node", "JP")
    number = fact(facts, params, "number")
    decision, reason = params["decision"], params.get("reason")
    matching = []
    for declaration in view.items(node, "/api/v1/claims", number=number):
        lines = declaration.get("lines", [])
        if any(
            line["decision"] == decision and (reason is None or reason in line["reason_codes"])
            for line in lines
        ):
            matching.append(declaration)
    wanted = int(params.get("count", 1))
    if len(matching) < wanted:
        return failed(
            f"{node} holds {len(matching)} declaration(s) on {number} decided {decision}"
            + (f" for {reason}" if reason else "")
            + f"; {wanted} expected"
        )
    return passed(
        f"{node}: declaration {matching[0]['id']} on {number} {decision}"
        + (f" ({reason})" if reason else "")
    )


def utilisation(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node = params.get("node") or fact(facts, params, "issuer")
    certificate_id = fact(facts, params, "certificate_id")
    view_ = view.get(node, f"/api/v1/certificates/{certificate_id}/utilisation")
    used = sum((Decimal(i["net_used"]) for i in view_["items"]), Decimal(0))
    if used <= 0:
        return failed(f"{node} has heard of no use of {fact(facts, params, 'number')} yet")
    reporters = sorted({r["reported_by"] for i in view_["items"] for r in i["reports"]})
    return passed(
        f"{node} sees {used} used of {fact(facts, params, 'number')}, reported by "
        + ", ".join(reporters)
    )


def case(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """The newest verification case on the received CO is in one of ``statuses``."""
    node = params.get("node", "JP")
    record = received_record(view, facts, params)
    if record is None:
        return failed(f"{node} holds no CO {fact(facts, params, 'number')}")
    cases = view.items(node, "/api/v1/verifications", certificate_id=record["id"])
    if not cases:
        return failed(f"{node} has opened no verification case on {record['number']}")
    newest = cases[0]
    statuses = list(params.get("statuses", ["OPEN"]))
    if newest["status"] not in statuses:
        return failed(
            f"the case on {record['number']} is {newest['status']}, not {' or '.join(statuses)}"
        )
    return passed(
        f"case {newest['id'][:8]}… on {record['number']} is {newest['status']}, due "
        f"{newest['due_at']} ({newest['deadline']})",
        case_id=newest["id"],
        due_at=newest["due_at"],
    )


def clock_past(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """The network's clock is past the moment a fact names (a deadline)."""
    moment = datetime.fromisoformat(str(facts[params.get("fact", "due_at")]))
    now = view.now()
    if now <= moment:
        return failed(f"the network's clock says {now:%Y-%m-%d %H:%M}, before {moment}")
    return passed(f"the network's clock says {now:%Y-%m-%d %H:%M}, past {moment:%Y-%m-%d}")


def trust_published(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """``node`` publishes a newer trust list than the one ``holder`` holds."""
    node, holder = params["node"], params["holder"]
    participant = view.manifest.node(node).participant
    published = view.published_sequence(node)
    held = view.trust_list_sequence(holder, participant)
    if published is None or held is None or published <= held:
        return failed(
            f"{participant} publishes sequence {published}; {holder} holds {held}: export a "
            "new version first"
        )
    return passed(
        f"{participant} publishes sequence {published}; {holder} still holds {held}",
        published_sequence=published,
    )


def trust_held(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node, holder = params["node"], params["holder"]
    participant = view.manifest.node(node).participant
    held = view.trust_list_sequence(holder, participant)
    wanted = int(facts["published_sequence"])
    if held is None or held < wanted:
        return failed(f"{holder} holds {participant}'s sequence {held}, not {wanted}")
    return passed(f"{holder} now holds {participant}'s trust list sequence {held}")


def reconciled(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """Both sides' reports agree: nothing pending or dead at the sender, and every message the
    sender counts as delivered is among those the partner applied."""
    node, other = params.get("node", "SG"), params.get("partner", "JP")
    sender = view.manifest.node(node)
    receiver = view.manifest.node(other)
    since = facts.get("started_at")
    sent = view.get(node, f"/api/v1/partners/{receiver.participant}/reconciliation", since=since)
    got = view.get(other, f"/api/v1/partners/{sender.participant}/reconciliation", since=since)
    pending = sent["sent"].get("pending", {}).get("count", 0)
    dead = sent["sent"].get("dead", {}).get("count", 0)
    if pending or dead:
        return failed(f"{node} still has {pending} pending and {dead} dead message(s) to {other}")
    delivered = set()
    for group in ("delivered", "accepted", "rejected"):
        delivered.update(sent["sent"].get(group, {}).get("message_ids", []))
    applied = set(got["received"].get("applied", {}).get("message_ids", []))
    missing = delivered - applied
    if missing:
        return failed(f"{other} has not applied {len(missing)} message(s) {node} delivered")
    return passed(
        f"{node} → {other}: {len(delivered)} delivered, all applied at {other}; nothing pending"
    )


CHECKS: dict[str, Check] = {
    "claim": claim,
    "utilisation": utilisation,
    "case": case,
    "clock_past": clock_past,
    "trust_published": trust_published,
    "trust_held": trust_held,
    "reconciled": reconciled,
}
