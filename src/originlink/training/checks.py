"""The checks of the lessons' steps, about applications, certificates and messages; each reads
the nodes' own state (:class:`~originlink.training.probe.NetworkView`) and says what it found.

A check that does not pass says what the nodes hold instead — "the application L01 is still a
DRAFT" — so the hint beside it points the learner to the next thing to do. Claims, verification,
trust lists and reconciliation are in :mod:`~originlink.training.checks_more`.
"""

from __future__ import annotations

from typing import Any

from originlink.training.outcome import Check, Outcome, fact, failed, passed
from originlink.training.probe import NetworkView


def _references(app: dict[str, Any]) -> set[str]:
    """What a learner can name an application by: its invoice numbers (a field of the
    exporter's form) and the exporter's own application reference (files and the API)."""
    content = app.get("content") or {}
    cert = content.get("certificate") or {}
    refs = cert.get("references") or {}
    found = {str(i.get("number")) for i in refs.get("invoices") or [] if isinstance(i, dict)}
    if cert.get("application_reference"):
        found.add(str(cert["application_reference"]))
    return found


def find_application(
    view: NetworkView, facts: dict[str, Any], node: str, reference: str
) -> dict[str, Any] | None:
    """The newest application named ``reference`` (its invoice number or application
    reference) made since the lesson started."""
    for app in view.items(node, "/api/v1/applications", created_from=facts.get("started_at")):
        if reference in _references(app):
            return app
    return None


def application(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node, reference = params.get("node", "SG"), params["reference"]
    wanted = params.get("status", "SUBMITTED")
    prefix = params.get("as", "")
    app = find_application(view, facts, node, reference)
    if app is None:
        return failed(
            f"{node} holds no application with the invoice number {reference} made since the "
            "lesson started"
        )
    if app["status"] != wanted and not (wanted == "SUBMITTED" and app["status"] == "ISSUED"):
        return failed(f"application {reference} is {app['status']}, not {wanted}")
    return passed(
        f"application {reference} is {app['status']} ({app['kind']})",
        **{f"{prefix}application_id": app["id"]},
    )


def issued(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node, reference = params.get("node", "SG"), params["reference"]
    prefix = params.get("as", "")
    app = find_application(view, facts, node, reference)
    if app is None:
        return failed(f"{node} holds no application with the invoice number {reference}")
    if app["status"] != "ISSUED" or not app.get("certificate_id"):
        return failed(f"application {reference} is {app['status']}, not ISSUED")
    if params.get("kind") and app["kind"] != params["kind"]:
        return failed(f"application {reference} is of kind {app['kind']}, not {params['kind']}")
    cert = view.get(node, f"/api/v1/certificates/{app['certificate_id']}")
    record = cert.get("record", cert)
    flag = params.get("flag")
    if flag:
        flags = (cert.get("document", {}).get("certificate", {}) or {}).get("flags") or {}
        if not flags.get(flag):
            return failed(f"CO {record['number']} is issued without {flag}")
    return passed(
        f"CO {record['number']} issued by {node} ({app['kind']})",
        **{
            f"{prefix}certificate_id": record["id"],
            f"{prefix}number": record["number"],
            f"{prefix}country": record["issuing_country"],
            f"{prefix}digest": record.get("digest"),
            f"{prefix}issuer": node,
        },
    )


def delivered(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """The outbound message about the CO has reached one of ``statuses``."""
    node = params.get("node") or fact(facts, params, "issuer")
    certificate_id = fact(facts, params, "certificate_id")
    message_type = params.get("message_type", "co.issued")
    statuses = list(params.get("statuses", ["ACCEPTED"]))
    partner = params.get("partner")
    found = [
        m
        for m in view.items(node, "/api/v1/messages", message_type=message_type, partner=partner)
        if m["certificate_id"] == certificate_id
    ]
    if not found:
        return failed(f"{node} has sent no {message_type} about {fact(facts, params, 'number')}")
    message = found[0]
    if message["status"] not in statuses:
        error = f" ({message['last_error']})" if message.get("last_error") else ""
        return failed(
            f"{message_type} to {message['recipient']} is {message['status']}{error}, not "
            f"{' or '.join(statuses)}"
        )
    return passed(
        f"{message_type} to {message['recipient']} is {message['status']} after "
        f"{message['attempts']} attempt(s)"
        + (f", routed {message['route']}" if message.get("route") else ""),
        message_id=message["message_id"],
        route=message.get("route"),
    )


def received_record(
    view: NetworkView, facts: dict[str, Any], params: dict[str, Any]
) -> dict[str, Any] | None:
    node = params.get("node", "JP")
    number = fact(facts, params, "number")
    country = fact(facts, params, "country")
    for item in view.items(node, "/api/v1/certificates", side="import", number=number):
        if item["issuing_country"] == country:
            return item
    return None


def received(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node = params.get("node", "JP")
    wanted = params.get("status", "RECEIVED")
    number = fact(facts, params, "number")
    record = received_record(view, facts, params)
    if record is None:
        return failed(f"{node} holds no CO {number} yet")
    if record["status"] != wanted:
        return failed(f"{node} holds CO {number} as {record['status']}, not {wanted}")
    prefix = params.get("as", "")
    return passed(
        f"{node} holds CO {number} as {record['status']}",
        **{f"{prefix}received_id": record["id"]},
    )


def not_received(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node = params.get("node", "JP")
    number = fact(facts, params, "number")
    if received_record(view, facts, params) is not None:
        return failed(f"{node} already holds CO {number}: it was pushed, not held for a pull")
    return passed(f"{node} does not hold CO {number}: the issuer keeps it for a pull")


def inbound(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    node = params.get("node", "JP")
    message_type = params.get("message_type", "co.issued")
    message_id = facts.get("message_id")
    for item in view.items(node, "/api/v1/messages/inbound", since=facts.get("started_at")):
        if item["message_type"] == message_type and (
            message_id is None or item["message_id"] == message_id
        ):
            if item.get("refused"):
                return failed(f"{node} refused {message_type}: {item.get('refusal_code')}")
            return passed(
                f"{node} received {message_type} {item['message_id'][:8]}… from "
                f"{item['sender']} and applied it once"
            )
    return failed(f"{node} has received no {message_type} since the lesson started")


def status(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """The status of the CO as the issuing side (``side = export``) or a receiver holds it."""
    if params.get("side", "import") == "import":
        return received(view, facts, params)
    node = params.get("node") or fact(facts, params, "issuer")
    record = view.get(node, f"/api/v1/certificates/{fact(facts, params, 'certificate_id')}")
    record = record.get("record", record)
    if record["status"] != params["status"]:
        return failed(f"{node} shows CO {record['number']} as {record['status']}")
    return passed(f"{node} shows CO {record['number']} as {record['status']}")


def partner(view: NetworkView, facts: dict[str, Any], params: dict[str, Any]) -> Outcome:
    """How ``node`` reaches ``partner``: ``model``, and ``endpoint`` = ``own`` (the partner's
    real address) or ``elsewhere`` (an outage)."""
    node, other = params.get("node", "SG"), params["partner"]
    target = view.manifest.node(other)
    found = [
        p
        for p in view.get(node, "/api/v1/partners")["items"]
        if p["participant_id"] == target.participant
    ]
    if not found:
        return failed(f"{node} has no partner {target.participant}")
    record = found[0]
    if params.get("model") and record["model"] != params["model"]:
        return failed(f"{node} reaches {target.participant} by {record['model']}")
    endpoint = params.get("endpoint")
    at_home = (record.get("endpoint") or "").rstrip("/") == target.url.rstrip("/")
    if endpoint == "own" and not at_home:
        return failed(f"{node} sends to {target.participant} at {record['endpoint']}")
    if endpoint == "elsewhere" and at_home:
        return failed(f"{node} still sends to {target.participant} at its real address")
    return passed(
        f"{node} reaches {target.participant} by {record['model']} at {record['endpoint']}"
    )


def registry() -> dict[str, Check]:
    from originlink.training import checks_more

    own: dict[str, Check] = {
        "application": application,
        "issued": issued,
        "delivered": delivered,
        "received": received,
        "not_received": not_received,
        "inbound": inbound,
        "status": status,
        "partner": partner,
    }
    return {**own, **checks_more.CHECKS}
