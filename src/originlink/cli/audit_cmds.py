"""``originlink audit``: verify the hash-chained audit log against its signed checkpoints, make
a checkpoint on demand, export what this node holds of its partners' logs, print records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from originlink.cli.common import HomeOption, JsonOption, open_node
from originlink.cli.io import dump_json, read_bounded, write_text_atomic
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.checkpoints import MAX_EXPORT_BYTES, HeldCheckpoints, read_export
from originlink.services.node import audit as audit_service
from originlink.services.node import checkpoints as checkpoint_service

audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)


@audit_app.command("verify")
def audit_verify(
    partner_checkpoints: Annotated[
        list[Path] | None,
        typer.Option(
            "--partner-checkpoints",
            metavar="FILE",
            help="A file a partner exported with 'audit partner-checkpoints' (repeatable): "
            "the chain must match what the partner holds of it.",
        ),
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Recompute the audit chain, check the checkpoints' signatures and compare the chain with
    them; exit 1 naming the first record that fails."""
    held: list[HeldCheckpoints] = [
        read_export(read_bounded(path, max_bytes=MAX_EXPORT_BYTES), source=str(path))
        for path in partner_checkpoints or []
    ]
    _, node = open_node(home)
    try:
        report = audit_service.verify(node, SYSTEM_ACTOR, partner_checkpoints=held)
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json(report.as_dict()))
    elif report.ok:
        out.print(
            f"audit chain intact: {report.records} records, matching "
            f"{report.checkpoints} checkpoints of this node and "
            f"{report.partner_checkpoints} held by partners"
        )
    else:
        out.print(f"audit chain BROKEN at record {report.first_broken_seq}: {report.reason}")
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("checkpoint")
def audit_checkpoint(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Sign a checkpoint of the chain's head now (the worker also makes one at every interval
    of [audit] checkpoint_seconds); partners receive it with the next message."""
    _, node = open_node(home)
    try:
        made = checkpoint_service.make_checkpoint(node, SYSTEM_ACTOR)
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json(made.as_dict() if made is not None else None))
    elif made is None:
        out.print("the audit chain is empty: nothing to checkpoint")
    else:
        out.print(f"checkpoint of record {made.seq} signed at {made.at.isoformat()}: {made.head}")


@audit_app.command("partner-checkpoints")
def audit_partner_checkpoints(
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="FILE", help="Write the file here (default: standard output)."
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Export the latest checkpoint this node holds of each partner's audit log, as the file
    that partner checks its log with ('audit verify --partner-checkpoints FILE')."""
    _, node = open_node(home)
    try:
        document = checkpoint_service.partner_checkpoints_document(node, SYSTEM_ACTOR)
    finally:
        node.store.dispose()
    text = dump_json(document) + "\n"
    if out_file is None:
        typer.echo(text, nl=False)
        return
    write_text_atomic(out_file, text)
    held = ", ".join(f"{c['node']} (record {c['seq']})" for c in document["checkpoints"])
    out.print(f"wrote {out_file}: {len(document['checkpoints'])} checkpoints: {held or 'none'}")


@audit_app.command("show")
def audit_show(
    entity_id: Annotated[str | None, typer.Option(help="Only records of this entity.")] = None,
    limit: Annotated[int, typer.Option(help="How many records.")] = 50,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print audit records in chain order."""
    _, node = open_node(home)
    rows = audit_service.records(node, SYSTEM_ACTOR, entity_id=entity_id, limit=limit)
    node.store.dispose()
    if as_json:
        typer.echo(dump_json(rows))
        return
    for r in rows:
        out.print(
            f"{r['seq']:>6} {r['at']} {r['actor']:<28} {r['action']:<24} "
            f"{r['entity_type']}:{r['entity_id']}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
