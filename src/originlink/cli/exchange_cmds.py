"""Exchanging with partners: ``partners``, ``messages``, ``worker``, ``reconcile``, ``pull``,
``hub serve``."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from originlink.bootstrap import build_hub_app
from originlink.cli.common import HomeOption, JsonOption, open_node, serve_app
from originlink.cli.io import dump_json, read_bounded
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import InputError
from originlink.services.importing import pull_client as pull_service
from originlink.services.messaging import log as message_service
from originlink.services.messaging.delivery import worker_for
from originlink.services.messaging.reconciliation import SENT_GROUPS
from originlink.services.messaging.reconciliation import reconcile as reconcile_service
from originlink.services.node import partners as partner_service

partners_app = typer.Typer(help="The partners this node exchanges with.", no_args_is_help=True)
messages_app = typer.Typer(help="Messages sent, received and refused.", no_args_is_help=True)
hub_app = typer.Typer(
    help="Run a hub that routes envelopes between participants.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since {value!r} is not a date YYYY-MM-DD") from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@partners_app.command("add")
def partners_add(
    trust_list: Annotated[
        Path | None,
        typer.Argument(help="The partner's signed trust list (omit with --participant)."),
    ] = None,
    model: Annotated[str, typer.Option(help="push, pull, hybrid or hub.")] = "push",
    participant: Annotated[
        str | None, typer.Option(help="A participant whose trust list is already imported.")
    ] = None,
    endpoint: Annotated[
        str | None,
        typer.Option(help="Base URL of its gateway (default: its trust list's g2g endpoint)."),
    ] = None,
    agreement: Annotated[
        list[str] | None,
        typer.Option(help="Agreement exchanged (repeatable; default: those both sides list)."),
    ] = None,
    payload_format: Annotated[
        str,
        typer.Option(
            "--format", help="Payload format it takes: canonical, ubl, uncefact, aladi-cod."
        ),
    ] = "canonical",
    hub: Annotated[str | None, typer.Option(help="Hub it is reached through (model hub).")] = None,
    poll: Annotated[bool, typer.Option(help="Poll its mailbox for messages to this node.")] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check/--no-check",
            help="Test the endpoint first (a signed GET of its G2G API) and refuse a wrong one.",
        ),
    ] = True,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add (or update) a partner from its signed trust list, with the exchange model. The
    endpoint may be the gateway's base URL or its /g2g form; it is tested before it is saved."""
    _, node = open_node(home)
    signed = read_bounded(trust_list, max_bytes=1024 * 1024) if trust_list else None
    record, connection = partner_service.add_partner_checked(
        node,
        SYSTEM_ACTOR,
        signed_trust_list=signed,
        participant_id=participant,
        model=model,
        endpoint=endpoint,
        agreements=agreement,
        payload_format=payload_format,
        hub=hub,
        poll=poll,
        check=check,
    )
    node.store.dispose()
    if as_json:
        typer.echo(dump_json({**record.as_dict(), "connection": connection}))
        return
    if connection:
        out.print(connection)
    via = f" via {record.hub}" if record.hub else ""
    out.print(
        f"partner {record.participant_id} ({record.country}): {record.model}{via}, "
        f"{', '.join(record.agreements) or 'no agreement'}, {record.endpoint or '-'}"
    )


@partners_app.command("list")
def partners_list(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """List the partners."""
    _, node = open_node(home)
    records = partner_service.list_partners(node, SYSTEM_ACTOR)
    node.store.dispose()
    if as_json:
        typer.echo(dump_json([r.as_dict() for r in records]))
        return
    table = Table("partner", "country", "model", "hub", "agreements", "format", "endpoint")
    for r in records:
        table.add_row(
            r.participant_id,
            r.country,
            r.model + (" +poll" if r.poll else ""),
            r.hub or "",
            ", ".join(r.agreements),
            r.payload_format,
            r.endpoint or "",
        )
    out.print(table)


@partners_app.command("remove")
def partners_remove(participant: Annotated[str, typer.Argument()], home: HomeOption = None) -> None:
    """Stop exchanging with a partner (its trust list stays imported)."""
    _, node = open_node(home)
    partner_service.remove_partner(node, SYSTEM_ACTOR, participant)
    node.store.dispose()
    out.print(f"{participant} is no longer a partner")


@messages_app.command("list")
def messages_list(
    inbound: Annotated[bool, typer.Option("--inbound", help="Received messages.")] = False,
    refused: Annotated[bool, typer.Option("--refused", help="Refused traffic.")] = False,
    status: Annotated[
        str | None, typer.Option(help="QUEUED, RETRYING, DELIVERED, ACCEPTED, REJECTED, DEAD ...")
    ] = None,
    partner: Annotated[str | None, typer.Option(help="Only this partner.")] = None,
    code: Annotated[str | None, typer.Option(help="Refusal code (with --refused).")] = None,
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Outbound messages with their delivery state (default), received ones (--inbound), or
    refused traffic (--refused: bad signatures, unknown senders, replays ...)."""
    _, node = open_node(home)
    if refused:
        items, total = message_service.list_refused(
            node, SYSTEM_ACTOR, code=code, partner=partner, since=_since(since), limit=limit
        )
        columns: tuple[str, ...] = (
            "received_at",
            "stage",
            "code",
            "count",
            "claimed_sender",
            "message_type",
            "detail",
        )
    elif inbound:
        items, total = message_service.list_inbound(
            node, SYSTEM_ACTOR, partner=partner, since=_since(since), limit=limit
        )
        columns = ("received_at", "message_id", "message_type", "sender", "status")
    else:
        items, total = message_service.list_outbound(
            node, SYSTEM_ACTOR, status=status, partner=partner, since=_since(since), limit=limit
        )
        columns = (
            "created_at",
            "message_id",
            "message_type",
            "recipient",
            "status",
            "attempts",
            "last_error",
        )
    node.store.dispose()
    if as_json:
        typer.echo(dump_json({"items": items, "total": total}))
        return
    table = Table(*columns)
    for item in items:
        table.add_row(*(str(item.get(c) if item.get(c) is not None else "") for c in columns))
    out.print(table)
    out.print(f"{len(items)} of {total}")


@messages_app.command("show")
def messages_show(message_id: Annotated[str, typer.Argument()], home: HomeOption = None) -> None:
    """One message with its envelope, receipt and business response (JSON)."""
    _, node = open_node(home)
    data = message_service.show(node, SYSTEM_ACTOR, message_id)
    node.store.dispose()
    typer.echo(dump_json(data))


@messages_app.command("resend")
def messages_resend(message_id: Annotated[str, typer.Argument()], home: HomeOption = None) -> None:
    """Queue a DEAD or REJECTED message again, with the same message id."""
    _, node = open_node(home)
    data = message_service.resend(node, SYSTEM_ACTOR, message_id)
    node.store.dispose()
    times = data["previous_attempts"]
    out.print(
        f"message {message_id} queued again (it was {data['previous_status']} after "
        f"{times} attempt{'' if times == 1 else 's'})"
    )


def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Run until nothing is due, then exit.")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Run the delivery worker alone (the server runs one too, unless --no-worker): send,
    retry, pull, poll. Several may run at once, on several machines, on one PostgreSQL."""
    from originlink.api.logs import configure_logging

    config, node = open_node(home)
    configure_logging(fmt=config.ops.log_format, level=config.ops.log_level)
    runner = worker_for(node)
    try:
        if once:
            done = runner.drain()
            out.print(f"worker: {done} task(s) done")
            return
        stop = threading.Event()
        out.print(f"worker {runner.worker_id} running; Ctrl-C to stop")
        try:
            runner.run_forever(stop)
        except KeyboardInterrupt:
            stop.set()
    finally:
        runner.close()
        node.store.dispose()


def reconcile(
    partner: Annotated[str, typer.Argument(help="Partner participant id.")],
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: everything).")] = None,
    ids: Annotated[bool, typer.Option("--ids/--no-ids", help="List message ids.")] = True,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """What was sent to and received from a partner since a date: counts of pending, awaiting a
    business response, delivered (done at the receipt), accepted, rejected and dead messages,
    and of received ones, to compare with the partner."""
    _, node = open_node(home)
    report = reconcile_service(node, SYSTEM_ACTOR, partner, since=_since(since), with_ids=ids)
    node.store.dispose()
    if as_json:
        typer.echo(dump_json(report))
        return
    sent, received = report["sent"], report["received"]
    out.print(f"reconciliation {report['node']} ↔ {partner} since {since or 'the start'}")
    out.print(
        f"  sent {sent['total']}: "
        + ", ".join(f"{group.replace('_', ' ')} {sent[group]['count']}" for group in SENT_GROUPS)
    )
    out.print(
        f"  received {received['total']}: applied {received['applied']['count']}, "
        f"not readable {received['not_readable']['count']}"
    )
    if ids:
        for group in ("pending", "dead", "rejected"):
            for message_id in sent[group].get("message_ids", []):
                out.print(f"    {group:<9} {message_id}")


def pull(
    issuing_country: Annotated[str, typer.Argument(help="Issuing country (ISO alpha-2).")],
    number: Annotated[str, typer.Argument(help="CO number.")],
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pull one CO from the exporting partner by number (pull and hybrid partners)."""
    _, node = open_node(home)
    record = pull_service.fetch_certificate(
        node, issuing_country=issuing_country.upper(), number=number
    )
    node.store.dispose()
    if as_json:
        typer.echo(dump_json(record.summary()))
        return
    out.print(f"{record.issuing_country} {record.number}: {record.status}")


@hub_app.command("serve")
def hub_serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Listen port.")] = None,
    home: HomeOption = None,
) -> None:
    """Run a hub: participants POST envelopes to /g2g/v1/messages; the hub routes on the header
    alone, keeps a mailbox per participant (GET /g2g/v1/messages), forwards to participants
    with an endpoint, relays their receipts back, and tracks each message
    (GET /hub/v1/tracking/{id})."""
    config, node = open_node(home, is_hub=True)
    app = build_hub_app(node, config)
    try:
        serve_app(app, host or config.host, port or config.port)
    finally:
        node.store.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(partners_app, name="partners")
    app.add_typer(messages_app, name="messages")
    app.add_typer(hub_app, name="hub")
    app.command("worker")(worker)
    app.command("reconcile")(reconcile)
    app.command("pull")(pull)
