"""Importing customs on the command line: ``claim FILE``, ``claims ...`` and
``verification ...``. Commands act as the node itself (``system:cli`` in the audit chain).

``originlink claim FILE`` exits 0 when no line is DENIED (GRANTED or REFERRED), 1 when a line
is DENIED, 2 when the file cannot be read or is not a valid declaration.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from originlink.cli.common import HomeOption, JsonOption, open_node
from originlink.cli.io import dump_json, read_json_file
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.importing import claim_records
from originlink.services.importing import claims as claim_service
from originlink.services.importing import reviews as review_service
from originlink.services.importing.utilisation import utilisation_view
from originlink.services.verification import answers as verification_issuer
from originlink.services.verification import cases
from originlink.services.verification import deadlines as scheduler
from originlink.services.verification import requests as verification_service

CLI_ACTOR = replace(SYSTEM_ACTOR, username="cli", via="cli")
claims_app = typer.Typer(help="Preference claims, the usage ledger, reviews.", no_args_is_help=True)
verification_app = typer.Typer(help="Retroactive verification cases (P8).", no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)
FileArg = Annotated[Path, typer.Argument(help="JSON file ('-' for standard input).")]


def _print_decision(data: dict[str, Any]) -> None:
    out.print(
        f"declaration {data['id']} ({data['outcome']}, revision {data['revision']}): "
        f"{data['certificate']['issuing_country']} {data['certificate']['number']}"
    )
    for line in data["lines"]:
        facts = line["facts"]
        extra = ""
        if "remaining_after" in facts:
            extra = f"  remaining {facts['remaining_before']} -> {facts['remaining_after']}"
        out.print(
            f"  line {line['line_number']:>3} item {line['co_item']:>3}  {line['decision']:<8} "
            f"{', '.join(line['reason_codes'])}{extra}"
        )


def claim(file: FileArg, home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Decide an import declaration's preference claim (see 'claims' for the format)."""
    data = read_json_file(file)
    _, node = open_node(home)
    try:
        result = claim_service.submit_declaration(node, CLI_ACTOR, data).as_dict()
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json(result))
    else:
        _print_decision(result)
    if any(line["decision"] == "DENIED" for line in result["lines"]):
        raise typer.Exit(1)


@claims_app.command("show")
def claims_show(declaration_id: str, home: HomeOption = None, as_json: JsonOption = False) -> None:
    """Print a declaration and its decision."""
    _, node = open_node(home)
    try:
        data = claim_records.get_declaration(node, CLI_ACTOR, declaration_id).as_dict()
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json(data))
        return
    _print_decision({**data, "outcome": data["status"]})


@claims_app.command("invalidate")
def claims_invalidate(
    declaration_id: str,
    reason: Annotated[str, typer.Option(help="Why the declaration is invalidated.")],
    home: HomeOption = None,
) -> None:
    """Invalidate a declaration: what it drew is re-credited and the issuer is told."""
    _, node = open_node(home)
    try:
        record = claim_service.invalidate(node, CLI_ACTOR, declaration_id, reason=reason)
    finally:
        node.store.dispose()
    credited = record.decision["invalidated"]["recredited"]
    out.print(f"declaration {declaration_id} invalidated; {len(credited)} re-credit(s)")


@claims_app.command("redecide")
def claims_redecide(
    declaration_id: str, home: HomeOption = None, as_json: JsonOption = False
) -> None:
    """Decide a stored declaration again (e.g. after a REFERRED line)."""
    _, node = open_node(home)
    try:
        data = claim_service.decide_again(node, CLI_ACTOR, declaration_id).as_dict()
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json(data))
    else:
        _print_decision(data)


@claims_app.command("usage")
def claims_usage(certificate_id: str, home: HomeOption = None) -> None:
    """Print a received CO's items, remaining quantities and ledger (JSON)."""
    _, node = open_node(home)
    try:
        typer.echo(dump_json(claim_records.usage(node, CLI_ACTOR, certificate_id)))
    finally:
        node.store.dispose()


@claims_app.command("utilisation")
def claims_utilisation(certificate_id: str, home: HomeOption = None) -> None:
    """Issuing side: print how an issued CO was used, per item (JSON)."""
    _, node = open_node(home)
    try:
        typer.echo(dump_json(utilisation_view(node, CLI_ACTOR, certificate_id)))
    finally:
        node.store.dispose()


@claims_app.command("reviews")
def claims_reviews(
    status: Annotated[str | None, typer.Option(help="OPEN or CLOSED.")] = "OPEN",
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """List claims waiting for post-clearance review."""
    _, node = open_node(home)
    try:
        items, total = review_service.list_reviews(node, CLI_ACTOR, status=status, limit=500)
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json({"items": items, "total": total}))
        return
    for r in items:
        out.print(
            f"{r['id']:>5} {r['status']:<6} {r['reason']:<22} {r['declaration_id']} "
            f"line {r['line_number']} item {r['item']} holds {r['details'].get('holds')}"
        )


@verification_app.command("request")
def verification_request(file: FileArg, home: HomeOption = None) -> None:
    """Open a case from a JSON request (certificate_id, reasons, items, questions,
    reply_days, visit, attachments as base64); print the case (JSON)."""
    data = read_json_file(file)
    _, node = open_node(home)
    try:
        case = verification_service.request_verification(node, CLI_ACTOR, data)
        typer.echo(dump_json(cases.get_case(node, CLI_ACTOR, case.id)))
    finally:
        node.store.dispose()


@verification_app.command("list")
def verification_list(
    side: Annotated[str | None, typer.Option(help="import or export.")] = None,
    status: Annotated[str | None, typer.Option(help="OPEN, ACKNOWLEDGED, ...")] = None,
    home: HomeOption = None,
) -> None:
    """List cases with their status and due date."""
    _, node = open_node(home)
    try:
        items, _ = cases.list_cases(node, CLI_ACTOR, side=side, status=status, limit=500)
    finally:
        node.store.dispose()
    for c in items:
        out.print(
            f"{c['id']} {c['side']:<6} {c['status']:<12} {c['certificate']['number']:<24} "
            f"due {c['due_at'] or 'none (' + str(c['deadline']) + ')'}"
        )


@verification_app.command("show")
def verification_show(case_id: str, home: HomeOption = None) -> None:
    """Print one case (JSON)."""
    _, node = open_node(home)
    try:
        typer.echo(dump_json(cases.get_case(node, CLI_ACTOR, case_id)))
    finally:
        node.store.dispose()


@verification_app.command("ack")
def verification_ack(
    case_id: str,
    consent: Annotated[
        str | None, typer.Option(help="GRANTED or REFUSED: answer a visit notice.")
    ] = None,
    remarks: Annotated[str | None, typer.Option(help="Remarks for the requester.")] = None,
    home: HomeOption = None,
) -> None:
    """Issuing side: acknowledge a request (and consent to or refuse a visit)."""
    body = {k: v for k, v in {"visit_consent": consent, "remarks": remarks}.items() if v}
    _, node = open_node(home)
    try:
        case = verification_issuer.acknowledge(node, CLI_ACTOR, case_id, body)
    finally:
        node.store.dispose()
    out.print(f"case {case.id} {case.status}; visit {case.visit_status or 'none'}")


@verification_app.command("answer")
def verification_answer(case_id: str, file: FileArg, home: HomeOption = None) -> None:
    """Issuing side: answer per item from a JSON file ({"items": [...], "summary": ...})."""
    data = read_json_file(file)
    _, node = open_node(home)
    try:
        case = verification_issuer.answer(node, CLI_ACTOR, case_id, data)
    finally:
        node.store.dispose()
    out.print(f"case {case.id} {case.status}: {case.outcome}")


@verification_app.command("run-due")
def verification_run_due(home: HomeOption = None) -> None:
    """Apply deadlines now (what the worker inside 'serve' does every round)."""
    _, node = open_node(home)
    try:
        changed = scheduler.run_due(node)
    finally:
        node.store.dispose()
    out.print(f"{changed} case(s) changed")


def register(app: typer.Typer) -> None:
    app.command("claim")(claim)
    app.add_typer(claims_app, name="claims")
    app.add_typer(verification_app, name="verification")
