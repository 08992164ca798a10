"""The administrator's "test connection" to a partner, and the ping that answers it.

The test sends a signed ``GET /g2g/v1/ping`` to the partner's endpoint, as every exchange
request is sent. The answer says what answered, in one of four ways: nothing (the address
does not answer: the sentence of the transport's error); something that refused our
signature (the partner does not hold our trust list yet); a gateway that is not the partner
we expected (another participant answered at that address); or the partner itself, which
knows us (and says whether it has us as a partner). The ping itself (:func:`ping`) only
authenticates the caller and tells who answers; it changes nothing.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from originlink import __version__
from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import NotFound, OriginLinkError
from originlink.services.context import Node

PING_PATH = "/g2g/v1/ping"


def ping(node: Node, caller: str) -> dict[str, Any]:
    """What a node answers an authenticated caller's ping."""
    with node.store.read() as tx:
        is_partner = tx.partners.get(caller) is not None
    return {
        "participant": node.identity.participant_id,
        "name": node.identity.name,
        "country": node.identity.country,
        "version": __version__,
        "caller": caller,
        "caller_is_partner": is_partner,
        "at": node.now().isoformat(),
    }


@dataclass(frozen=True, slots=True)
class ConnectionTest:
    partner: str
    url: str
    ok: bool
    #: ``unreachable``, ``refused``, ``wrong_participant``, ``unexpected`` or ``ok``.
    outcome: str
    detail: str
    status: int | None = None
    elapsed_ms: float | None = None
    answer: dict[str, Any] | None = None


def test_connection(node: Node, actor: Actor, participant_id: str) -> ConnectionTest:
    """Ping the partner ``participant_id`` at its endpoint, signed; say what answered."""
    actor.require(Permission.PARTNER_MANAGE)
    with node.store.read() as tx:
        partner = tx.partners.get(participant_id)
    if partner is None:
        raise NotFound(f"{participant_id} is not a partner of this node")
    if not partner.endpoint:
        return ConnectionTest(
            participant_id,
            "",
            False,
            "unreachable",
            f"{participant_id} has no endpoint (reached through hub {partner.hub})"
            if partner.hub
            else f"{participant_id} has no endpoint",
        )
    url = partner.endpoint.rstrip("/") + PING_PATH
    started = time.perf_counter()
    try:
        response = node.require_transport().request("GET", url)
    except OriginLinkError as exc:
        return ConnectionTest(participant_id, url, False, "unreachable", exc.detail)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    try:
        answer = json.loads(response.body) if response.body else {}
    except ValueError:
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    if response.status in (401, 403):
        reason = answer.get("detail") or answer.get("title") or "signature refused"
        return ConnectionTest(
            participant_id,
            url,
            False,
            "refused",
            f"the gateway at {url} answered {response.status}: it does not accept this "
            f"node's signature ({reason}); it needs this node's trust list",
            response.status,
            elapsed,
            answer,
        )
    if response.status != 200 or "participant" not in answer:
        return ConnectionTest(
            participant_id,
            url,
            False,
            "unexpected",
            f"{url} answered {response.status}, not an OriginLink gateway's ping",
            response.status,
            elapsed,
            answer,
        )
    who = str(answer["participant"])
    if who != participant_id:
        return ConnectionTest(
            participant_id,
            url,
            False,
            "wrong_participant",
            f"{who} answered at {url}, not {participant_id}: check the endpoint",
            response.status,
            elapsed,
            answer,
        )
    knows = (
        "and has this node as a partner"
        if answer.get("caller_is_partner")
        else "but has not set this node up as a partner yet"
    )
    return ConnectionTest(
        participant_id,
        url,
        True,
        "ok",
        f"{who} ({answer.get('name', '')}, OriginLink {answer.get('version', '?')}) answered "
        f"in {elapsed} ms: it accepted this node's signature {knows}",
        response.status,
        elapsed,
        answer,
    )
