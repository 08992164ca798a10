"""``originlink convert``: translate a CO between the formats OriginLink reads and writes.

The source is read leniently (``--from auto`` recognises its format from the content): what
can be read becomes the canonical CO, everything else findings, each with its canonical path and
its place in the source. The output is written whenever the source was readable: to OUT
(atomically) or to standard output. Then every finding and the loss report are printed (to
standard output when OUT is given, else to standard error, so a pipe receives only the
document); ``--json`` prints one JSON document on standard output holding all of it (and the
output itself when no OUT is given). Exit codes: 0 written without SEVERE findings, 1 SEVERE
findings (the output is still written) or ``--strict`` refusing a loss, 2 unreadable input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from originlink.cli.io import dump_json, read_bounded, write_bytes_atomic
from originlink.cli.validate_cmds import make_context
from originlink.domain.clock import SystemClock
from originlink.domain.errors import InputError
from originlink.domain.profiles import bundled_profiles
from originlink.formats import (
    AUTO,
    READ_FORMATS,
    WRITE_FORMATS,
    LossEntry,
    LossKind,
    LossReport,
    canonical,
    read_document,
    to_format,
)
from originlink.formats.judging import Judgement, finding_text, judge
from originlink.formats.registry import check_format
from originlink.terminal import progress_bar

_SOURCE = typer.Argument(..., metavar="IN", help="Input file ('-' for standard input).")
_TARGET = typer.Argument(None, metavar="[OUT]", help="Output file (default: standard output).")


def loss_lines(report: dict[str, Any]) -> list[str]:
    """The loss report (``LossReport.as_dict()``) as one line per entry, every entry."""
    entries = report["entries"]
    counts = ", ".join(f"{n} {kind.lower()}" for kind, n in report["counts"].items() if n)
    state = "lossy" if report["lossy"] else "nothing lost"
    lines = [f"loss report: {len(entries)} entries ({counts or 'none'}); {state}"]
    lines += [
        "  " + LossEntry(LossKind(e["kind"]), e["path"], e["detail"], e.get("value")).one_line()
        for e in entries
    ]
    return lines


def judgement_lines(judgement: Judgement, what: str) -> list[str]:
    """Every finding, one line each, then the integrity of the source and a summary."""
    lines = [finding_text(f) for f in judgement.findings]
    integrity = judgement.reading.integrity
    if integrity is not None:
        lines.append(
            f"integrity: {integrity.status} ({integrity.method}); identity: "
            f"{integrity.identity_status}"
        )
    counts = judgement.counts()
    verdict = "VALID" if judgement.ok else "NOT VALID"
    agreement = judgement.agreement.code if judgement.agreement else "no agreement profile"
    lines.append(
        f"{verdict} {what} ({judgement.reading.format}, {agreement}): {counts['SEVERE']} "
        f"severe, {counts['WARNING']} warning(s), {counts['INFO']} info"
    )
    return lines


def convert_command(
    source: Path = _SOURCE,
    target: Path | None = _TARGET,
    from_format: str = typer.Option(
        AUTO,
        "--from",
        help=f"Input format: auto (recognised from the content), {', '.join(READ_FORMATS)}.",
    ),
    to_format_name: str = typer.Option(
        ..., "--to", help=f"Output format: {', '.join(WRITE_FORMATS)}."
    ),
    strict: bool = typer.Option(
        False, "--strict", help="Write nothing and exit 1 when anything would be lost."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print one JSON document: findings, loss report (and the output)."
    ),
    extension: bool = typer.Option(
        True,
        "--extension/--no-extension",
        help="UBL output: carry the members UBL has no element for in the OriginLink "
        "extension (for OriginLink receivers).",
    ),
) -> None:
    """Convert a certificate of origin between formats; print every finding and what was lost."""
    if from_format != AUTO:
        check_format(from_format, READ_FORMATS)
    check_format(to_format_name, WRITE_FORMATS)
    what = "standard input" if str(source) == "-" else str(source)
    registry = bundled_profiles()
    steps = ("reading", "checking", f"writing {to_format_name}")
    with progress_bar(f"convert {what}", total=len(steps), quiet=as_json) as bar:
        bar.update(0, description=f"convert: {steps[0]}")
        reading = read_document(read_bounded(source), from_format, profiles=registry)
        bar.update(1, description=f"convert: {steps[1]}")
        judgement = judge(reading, registry=registry, context=make_context(SystemClock().now()))
        bar.update(2, description=f"convert: {steps[2]}")
        output, written = _output(reading, to_format_name, registry, extension)
    loss = LossReport([*reading.loss.entries, *written.entries])
    refused = strict and loss.lossy
    if not refused:
        if target is not None:
            write_bytes_atomic(target, output)
        elif not as_json:
            sys.stdout.buffer.write(output)
            sys.stdout.buffer.flush()
    if as_json:
        out: dict[str, Any] = {
            "file": what,
            "to": to_format_name,
            "written": None if refused else (str(target) if target else "-"),
            **judgement.as_dict(),
            "loss_report": loss.as_dict(),
        }
        if target is None and not refused:
            out["output"] = output.decode("utf-8")
        typer.echo(dump_json(out))
    else:
        lines = [*judgement_lines(judgement, what), *loss_lines(loss.as_dict())]
        if refused:
            lines.append(f"refused (--strict): the conversion to {to_format_name} would lose data")
        typer.echo("\n".join(lines), err=target is None)
    if refused or not judgement.ok:
        raise typer.Exit(1)


def _output(reading: Any, fmt: str, registry: Any, extension: bool) -> tuple[bytes, LossReport]:
    """The converted document and the losses of writing it. An incomplete CO is written to
    canonical JSON as it is; another format needs a complete CO, so absent mandatory members
    are written as placeholders (each ``SYNTHESISED``)."""
    if fmt == "canonical" and reading.model is None:
        return canonical.dump(reading.document), LossReport()
    model, synthesised = reading.writable(fmt)
    if model is None:
        raise InputError(
            f"the document lacks members {fmt} needs and no placeholder can stand for them; "
            "convert it to canonical to see what was read"
        )
    code = model.certificate.agreement_code
    written = to_format(
        model, fmt, profile=registry.get(code) if code else None, originlink_extension=extension
    )
    return written.result, LossReport([*synthesised.entries, *written.loss.entries])


def register(app: typer.Typer) -> None:
    app.command("convert")(convert_command)
