"""The exchange part of ``make demo``: three gateways and a hub as real processes on loopback.

SG-CUSTOMS (Singapore, issuing authority), JP-CUSTOMS (Japan, importing customs, reached
directly) and NZ-CUSTOMS (New Zealand, importing customs, reached through APAC-HUB, in UBL),
each with its own SQLite file, keys from a demo CA and the others' trust lists. The trace shows
each step with its timing: an application issued through the back-office API, pushed and
accepted; one CO pulled; one through the hub as UBL; one cancelled and one replaced, seen at the
importing side; the PDF of one CO and its public verification; reconciliation and the audit
chains.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from rich.console import Console

from originlink.demo.network import DemoNode, partner, set_up, user
from originlink.demo.trace import Api, DemoFailed, Trace, wait_for
from originlink.domain.clock import SystemClock
from originlink.services.node.partners import CACHE_SECONDS
from originlink.testing.factories import fresh_application

ORGANISATION = "SG-UEN-201912345K"


@dataclass
class DemoNetwork:
    sg: DemoNode
    jp: DemoNode
    nz: DemoNode
    hub: DemoNode
    exporter: Api
    officer: Api
    sg_admin: Api
    jp_customs: Api
    nz_customs: Api
    jp_admin: Api

    @property
    def nodes(self) -> list[DemoNode]:
        return [self.sg, self.jp, self.nz, self.hub]


def build(root: Path) -> DemoNetwork:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    sg = DemoNode(
        "SG-CUSTOMS",
        "Singapore Customs",
        "SG",
        "issuing-authority",
        ("RCEP",),
        "Asia/Singapore",
        root / "sg-customs",
    )
    jp = DemoNode(
        "JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "Asia/Tokyo", root / "jp-customs"
    )
    nz = DemoNode(
        "NZ-CUSTOMS",
        "New Zealand Customs Service",
        "NZ",
        "customs",
        ("RCEP",),
        "Pacific/Auckland",
        root / "nz-customs",
    )
    hub = DemoNode(
        "APAC-HUB",
        "Asia-Pacific exchange hub",
        "SG",
        "gateway",
        ("RCEP",),
        "UTC",
        root / "apac-hub",
        hub=True,
    )
    set_up(root, [sg, jp, nz, hub], ca_name="OriginLink Demo Pilot Root CA")
    partner(sg, jp)
    partner(jp, sg)
    for member in (sg, nz):
        partner(member, hub)
        partner(hub, member)
    partner(sg, nz, model="hub", hub=hub, payload_format="ubl")
    partner(nz, sg, model="hub", hub=hub)
    return DemoNetwork(
        sg,
        jp,
        nz,
        hub,
        exporter=Api(sg, user(sg, "exporter", "exporter", ORGANISATION)),
        officer=Api(sg, user(sg, "officer", "issuing_officer")),
        sg_admin=Api(sg, user(sg, "admin", "admin")),
        jp_customs=Api(jp, user(jp, "customs", "customs_officer")),
        nz_customs=Api(nz, user(nz, "customs", "customs_officer")),
        jp_admin=Api(jp, user(jp, "admin", "admin")),
    )


def apply_and_issue(
    net: DemoNetwork,
    importing: str,
    *,
    kind: str = "new",
    related: str | None = None,
    reference: str = "PO-1",
) -> dict[str, Any]:
    content = fresh_application(SystemClock().now(), importing=importing, reference=reference)
    query = f"?kind={kind}" + (f"&related_certificate_id={related}" if related else "")
    app = net.exporter.post("/api/v1/applications" + query, content)
    net.exporter.post(f"/api/v1/applications/{app['id']}/submit")
    issued: dict[str, Any] = net.officer.post(f"/api/v1/applications/{app['id']}/issue")
    return issued


def import_status(api: Api, number: str) -> str | None:
    page = api.get(f"/api/v1/certificates?side=import&number={number}")
    items = page["items"]
    return str(items[0]["status"]) if items else None


def message_status(api: Api, certificate_id: str, message_type: str = "co.issued") -> str | None:
    page = api.get(f"/api/v1/messages?message_type={message_type}&limit=500")
    for item in page["items"]:
        if item["certificate_id"] == certificate_id:
            return str(item["status"])
    return None


def exchange_demo(console: Console, root: Path) -> bool:
    trace = Trace(console)
    console.rule("Three gateways and a hub exchanging COs (real processes on loopback)")
    net: DemoNetwork | None = None
    try:
        with trace.step(
            "pilot network set up: demo CA, four homes, keys, trust lists, partners"
        ) as notes:
            net = build(root)
            for node in net.nodes:
                notes.append(
                    f"{node.participant:<11} {node.name:<28} {node.url}  "
                    f"(SQLite: {node.home.name}/originlink.db)"
                )
        with trace.step("servers started: originlink serve ×3, originlink hub serve"):
            for node in net.nodes:
                node.start(wait=False)
            for node in net.nodes:
                node.wait_ready()
        run_steps(net, trace)
    except DemoFailed:
        return False
    finally:
        if net is not None:
            for node in net.nodes:
                node.stop()
    return trace.ok


def run_steps(net: DemoNetwork, trace: Trace) -> None:
    with trace.step("P1 issuance: exporter applies, officer issues (back-office API)") as notes:
        first = apply_and_issue(net, "JP", reference="PO-1001")
        notes.append(
            f"{first['number']} issued and signed "
            f"({first['document']['signatures']['issuing_authority']['format']} "
            f"by {net.sg.participant})"
        )
    with trace.step("P2/P3 push to JP-CUSTOMS, checked, accepted, business response back") as notes:
        waited = wait_for(
            "JP to accept", lambda: message_status(net.sg_admin, first["id"]) == "ACCEPTED"
        )
        notes.append(
            f"JP-CUSTOMS: {import_status(net.jp_customs, first['number'])}; "
            f"SG outbox: ACCEPTED after {waited:,.0f} ms"
        )
    with trace.step("P2 pull: JP asks SG to hold its COs; JP pulls one by number") as notes:
        partner_model(net.sg, net.jp, "pull")
        time.sleep(CACHE_SECONDS + 0.5)  # a running server rereads its partners this often
        second = apply_and_issue(net, "JP", reference="PO-1002")
        time.sleep(0.5)
        before = import_status(net.jp_customs, second["number"])
        cli(net.jp, "pull", "SG", second["number"])
        after = import_status(net.jp_customs, second["number"])
        partner_model(net.sg, net.jp, "push")
        time.sleep(CACHE_SECONDS + 0.5)
        notes.append(
            f"{second['number']}: at JP before the pull: {before or 'not held'}; after: {after}"
        )
        if after != "RECEIVED":
            raise DemoFailed(f"pulled CO is {after}")
    with trace.step("via hub: SG → APAC-HUB → NZ-CUSTOMS, translated to UBL 2.4") as notes:
        third = apply_and_issue(net, "NZ", reference="PO-1003")
        waited = wait_for(
            "NZ to accept", lambda: message_status(net.sg_admin, third["id"]) == "ACCEPTED"
        )
        shown = net.sg_admin.get("/api/v1/messages?message_type=co.issued&partner=NZ-CUSTOMS")
        message = net.sg_admin.get(f"/api/v1/messages/{shown['items'][0]['message_id']}")
        envelope = message["outbound"]["envelope"]
        notes.append(
            f"{third['number']}: payload_format={envelope['payload_format']}, "
            f"NZ: {import_status(net.nz_customs, third['number'])}, "
            f"ACCEPTED after {waited:,.0f} ms; receipt signed by "
            f"{message['outbound']['receipt']['envelope']['sender']}"
        )
    with trace.step("P6 cancellation: SG cancels the first CO; JP applies it at once") as notes:
        net.officer.post(
            f"/api/v1/certificates/{first['id']}/cancel", {"reason": "shipment did not take place"}
        )
        waited = wait_for(
            "JP to see the cancellation",
            lambda: import_status(net.jp_customs, first["number"]) == "CANCELLED",
        )
        notes.append(f"{first['number']} CANCELLED at JP after {waited:,.0f} ms")
    with trace.step("P7 replacement: the second CO is replaced; JP sees both") as notes:
        fourth = apply_and_issue(
            net, "JP", kind="replacement", related=second["id"], reference="PO-1002-R"
        )
        waited = wait_for(
            "JP to see the replacement",
            lambda: (
                import_status(net.jp_customs, second["number"]) == "REPLACED"
                and import_status(net.jp_customs, fourth["number"]) == "RECEIVED"
            ),
        )
        notes.append(
            f"{second['number']} REPLACED, {fourth['number']} RECEIVED at JP ({waited:,.0f} ms)"
        )
    with trace.step("P4/P5/P8 claims at JP, utilisation at SG, verification") as notes:
        fifth = apply_and_issue(net, "JP", reference="PO-1005")
        wait_for("JP to accept", lambda: message_status(net.sg_admin, fifth["id"]) == "ACCEPTED")
        if not claims_and_verification(net, trace.console, fifth["number"]):
            raise DemoFailed("the claims and verification demo did not see what it expected")
        notes.append(f"{fifth['number']}: see the claims report above")
    with trace.step("printed certificate with QR, and public verification") as notes:
        pdf = net.exporter.raw(f"/api/v1/certificates/{third['id']}.pdf")
        path = net.sg.home.parent / f"{third['number']}.pdf"
        path.write_bytes(pdf)
        url = f"{net.sg.url}/verify/SG/{third['number']}?d={third['digest']}"
        verdict = httpx2.get(url, headers={"Accept": "application/json"}, timeout=10).json()
        notes.append(f"PDF: {path} ({len(pdf):,} bytes)")
        notes.append(f"verify: {url}")
        notes.append(
            f"        → authentic={verdict.get('authentic')}, status={verdict.get('status')}"
        )
    with trace.step("P14 reconciliation SG ↔ JP, and every audit chain") as notes:
        report = net.sg_admin.get("/api/v1/partners/JP-CUSTOMS/reconciliation?ids=false")
        sent = report["sent"]
        notes.append(
            "SG → JP sent "
            + ", ".join(
                f"{k} {sent[k]['count']}"
                for k in ("pending", "delivered", "accepted", "rejected", "dead")
            )
            + f"; received {report['received']['total']}"
        )
        for node in net.nodes:
            output = cli(node, "audit", "verify")
            notes.append(f"{node.participant}: {output.strip()}")


def partner_model(node: DemoNode, other: DemoNode, model: str) -> None:
    partner(node, other, model=model)


def cli(node: DemoNode, *args: str) -> str:
    """Run an ``originlink`` command against a node's home, as an operator would."""
    result = subprocess.run(  # noqa: S603 - our interpreter, fixed arguments
        [sys.executable, "-m", "originlink", *args, "--home", str(node.home)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        raise DemoFailed(f"originlink {' '.join(args)}: {result.stderr.strip()[:300]}")
    return result.stdout


def claims_and_verification(net: DemoNetwork, console: Console, number: str) -> bool:
    """Issue 6's demo on the running pair: the nodes are opened here too, on a clock this
    process moves (verification deadlines), while the servers' workers carry the messages."""
    from datetime import timedelta

    from originlink.demo.claims import run_claims_demo
    from originlink.domain.authz import Actor, Role
    from originlink.domain.clock import FrozenClock

    clock = FrozenClock(SystemClock().now())
    sg_node = net.sg.open()
    jp_node = net.jp.open()
    sg_node.clock = clock
    jp_node.clock = clock

    def actor(node: Any, username: str, role: Role) -> Actor:
        with node.store.read() as tx:
            record = tx.users.by_username(username)
        assert record is not None
        return Actor(record.id, record.username, role, record.organisation, via="demo")

    @dataclass
    class Side:
        node: Any
        officer: Actor
        customs: Actor

    exporting = Side(
        sg_node,
        actor(sg_node, "officer", Role.ISSUING_OFFICER),
        actor(sg_node, "officer", Role.ISSUING_OFFICER),
    )
    importing = Side(
        jp_node,
        actor(jp_node, "customs", Role.CUSTOMS_OFFICER),
        actor(jp_node, "customs", Role.CUSTOMS_OFFICER),
    )

    def settle() -> None:
        def quiet() -> bool:
            pending = 0
            for api in (net.sg_admin, net.jp_admin):
                for status in ("QUEUED", "SENDING", "RETRYING"):
                    pending += api.get(f"/api/v1/messages?status={status}&limit=1")["total"]
            return pending == 0

        time.sleep(0.3)
        wait_for("the workers to carry the messages", quiet)

    def advance(delta: timedelta) -> None:
        clock.advance(delta)

    try:
        return run_claims_demo(
            exporting, importing, number=number, settle=settle, advance=advance, console=console
        )
    finally:
        sg_node.store.dispose()
        jp_node.store.dispose()
