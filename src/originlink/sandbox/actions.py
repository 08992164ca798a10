"""What the unattended player does in place of a learner, one function per ``auto`` name in
the lesson files: the same back-office API calls the pages make, with the role's own token
(the exporter applies, the officer issues, the customs officer claims), and the same commands
a learner types (``originlink pull``, ``clock advance``, ``trustlist export``/``import``).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2

from originlink.bootstrap import build_node
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import OriginLinkError
from originlink.node_config import load_config
from originlink.services.node import partners as partner_service
from originlink.services.node.partners import CACHE_SECONDS
from originlink.testing.factories import fresh_application
from originlink.training.checks import find_application
from originlink.training.manifest import Manifest
from originlink.training.probe import NetworkView


class ActionFailed(Exception):
    """The player could not do a step (a node refused what it asked)."""


@dataclass
class Player:
    manifest: Manifest
    view: NetworkView

    def call(self, key: str, role: str, method: str, path: str, body: Any = None) -> Any:
        node = self.manifest.node(key)
        user = self.manifest.user(node.participant, role)
        answer = httpx2.request(
            method,
            node.url + path,
            json=body,
            headers={"Authorization": f"Bearer {user.token}"},
            timeout=30,
        )
        if answer.status_code >= 400:
            raise ActionFailed(
                f"{method} {path} at {key}: {answer.status_code} {answer.text[:300]}"
            )
        return answer.json()

    def cli(self, key: str, *args: str) -> str:
        """Run ``originlink ARGS --home <node's home>`` as a learner would."""
        home = self.manifest.node(key).home
        result = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
            [sys.executable, "-m", "originlink", *args, "--home", home],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0:
            raise ActionFailed(f"originlink {' '.join(args)}: {result.stderr.strip()[:300]}")
        return result.stdout


Action = Callable[[Player, dict[str, Any], dict[str, Any]], None]


def _content(player: Player, params: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    key = params.get("node", "SG")
    node = player.manifest.node(key)
    now = player.view.now()
    content = fresh_application(
        now, exporting=node.country, importing=params["importing"], reference=params["reference"]
    )
    cert = content["certificate"]
    cert["references"]["invoices"][0]["number"] = params["reference"]  # as a learner's form
    days = params.get("shipped_days_ago")
    if days is not None:
        cert["transport"]["departure_datetime"] = (
            (now - timedelta(days=int(days))).date().isoformat()
        )
    if key == "NZ":
        cert["parties"]["exporter"]["address"]["city"] = "Auckland"
        cert["parties"]["exporter"]["identifiers"] = [
            {"scheme": "NZ:NZBN", "value": "9429041234567"}
        ]
        cert["transport"]["loading_location"] = {"locode": "NZAKL", "name": "Auckland"}
    if params.get("kind") == "back_to_back":
        for good in cert["goods_items"]:
            good["origin_country"] = facts["country"]
        issued = player.view.get(facts["issuer"], f"/api/v1/certificates/{facts['certificate_id']}")
        cert["references"]["related_certificates"] = [
            {
                "relation": "back_to_back_of",
                "number": facts["number"],
                "issue_date": str(issued["issue_datetime"])[:10],
                "issuing_country": facts["country"],
            }
        ]
    return content


def apply(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    key, kind = params.get("node", "SG"), params.get("kind", "new")
    query = f"?kind={kind}"
    if kind == "replacement":
        query += f"&related_certificate_id={facts['certificate_id']}"
    app = player.call(
        key, "exporter", "POST", "/api/v1/applications" + query, _content(player, params, facts)
    )
    player.call(key, "exporter", "POST", f"/api/v1/applications/{app['id']}/submit")


def issue(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    key = params.get("node", "SG")
    app = find_application(player.view, facts, key, params["reference"])
    if app is None:
        raise ActionFailed(f"no application {params['reference']} at {key}")
    player.call(key, "issuing_officer", "POST", f"/api/v1/applications/{app['id']}/issue")


def apply_and_issue(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    apply(player, facts, params)
    issue(player, facts, params)


def set_partner(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    """Change how ``node`` reaches ``partner`` (model or endpoint), keeping the rest."""
    del facts
    key = params.get("node", "SG")
    other = player.manifest.node(params["partner"])
    service = build_node(load_config(Path(player.manifest.node(key).home)))
    try:
        with service.store.read() as uow:
            current = uow.partners.get(other.participant)
        if current is None:
            raise ActionFailed(f"{key} has no partner {other.participant}")
        partner_service.add_partner(
            service,
            SYSTEM_ACTOR,
            participant_id=current.participant_id,
            model=params.get("model", current.model),
            endpoint=params.get("endpoint", current.endpoint),
            hub=current.hub,
            poll=current.poll,
            payload_format=current.payload_format,
            agreements=list(current.agreements),
        )
    finally:
        service.store.dispose()
    time.sleep(CACHE_SECONDS + 0.5)  # a running server reads its partners again this often


def pull(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    player.cli(params.get("node", "JP"), "pull", facts["country"], facts["number"])


def claim(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    today = player.view.now().date().isoformat()
    declaration = {
        "id": f"{params['id']}-{facts['number']}",
        "importer": {"name": "Example Trading KK"},
        "date": today,
        "certificate": {"issuing_country": facts["country"], "number": facts["number"]},
        "lines": [
            {
                "line_number": 1,
                "co_item": 1,
                "hs_code": "848210",
                "quantity": {"value": params["quantity"], "unit_code": "H87"},
                "customs_value": {"value": "1000.00", "currency_code": "USD"},
            }
        ],
    }
    player.call(params.get("node", "JP"), "customs_officer", "POST", "/api/v1/claims", declaration)


def cancel(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    del params
    player.call(
        facts["issuer"],
        "issuing_officer",
        "POST",
        f"/api/v1/certificates/{facts['certificate_id']}/cancel",
        {"reason": "shipment did not take place"},
    )


def verify_request(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    body = {
        "certificate_id": facts["received_id"],
        "reasons": ["ORIGINATING_STATUS"],
        "items": [1],
        "questions": ["Please confirm the origin criterion of item 1."],
    }
    player.call(params.get("node", "JP"), "customs_officer", "POST", "/api/v1/verifications", body)


def advance_clock(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    due = datetime.fromisoformat(str(facts[params["past"]]))
    seconds = int((due - player.view.now()).total_seconds()) + 3600
    player.cli("SG", "clock", "advance", f"{max(seconds, 1)}s")


def true_copy(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    del params
    issuer = facts["issuer"]
    app = player.call(
        issuer,
        "exporter",
        "POST",
        f"/api/v1/certificates/{facts['certificate_id']}/true-copy-request",
    )
    player.call(issuer, "exporter", "POST", f"/api/v1/applications/{app['id']}/submit")
    player.call(issuer, "issuing_officer", "POST", f"/api/v1/applications/{app['id']}/issue")


def _trust_file(player: Player) -> str:
    return str(Path(player.manifest.root) / "nz-trustlist.json")


def trust_export(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    del facts, params
    nz = player.manifest.node("NZ")
    player.cli(
        "NZ",
        "trustlist",
        "export",
        "--participant",
        nz.participant,
        "--name",
        nz.name,
        "--agreement",
        "RCEP",
        "--endpoint",
        f"g2g={nz.url}",
        "--out",
        _trust_file(player),
    )


def trust_import(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    del facts, params
    player.cli("JP", "trustlist", "import", _trust_file(player))


def restore(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    url = player.manifest.node(params["partner"]).url
    set_partner(player, facts, {"partner": params["partner"], "endpoint": url})
    player.cli("SG", "clock", "advance", "1h")


def reconcile(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    del facts, params
    player.cli("SG", "reconcile", player.manifest.node("JP").participant)


def wait(player: Player, facts: dict[str, Any], params: dict[str, Any]) -> None:
    """Nothing to do: the nodes do it (the player then waits for the check to pass)."""
    del player, facts, params


ACTIONS: dict[str, Action] = {
    "apply": apply,
    "issue": issue,
    "apply_and_issue": apply_and_issue,
    "partner": set_partner,
    "pull": pull,
    "claim": claim,
    "cancel": cancel,
    "verify_request": verify_request,
    "advance_clock": advance_clock,
    "true_copy": true_copy,
    "trust_export": trust_export,
    "trust_import": trust_import,
    "restore": restore,
    "reconcile": reconcile,
    "wait": wait,
}

__all__ = ["ACTIONS", "ActionFailed", "OriginLinkError", "Player"]
