"""``originlink validate FILE``: check a CO document and print every finding.

The file may be in any format OriginLink reads (``--from auto``, the default, recognises it):
a canonical CO is validated as it is; any other is read leniently and its reading findings
(each with its place in the source: a JSON pointer or an XPath) come with the dataset's.
``--json`` prints one JSON document holding all of them.

Exit codes: 0 no SEVERE finding, 1 at least one, 2 input that cannot be read (not JSON or XML,
too large, too deep, JSON types that do not fit a CO, no CO in it) or wrong usage.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from originlink.cli.io import dump_json, read_bounded
from originlink.domain.clock import SystemClock
from originlink.domain.errors import InputError
from originlink.domain.findings import Finding, Level
from originlink.domain.profiles import ProfileRegistry, bundled_profiles
from originlink.domain.safejson import DEFAULT_MAX_BYTES, loads_bounded
from originlink.domain.validation import (
    Purpose,
    ValidationContext,
    ValidationReport,
    validate_document,
)
from originlink.formats import AUTO, READ_FORMATS, detect_format, read_document
from originlink.formats.judging import judge
from originlink.formats.registry import check_format

LEVEL_STYLES = {Level.SEVERE: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
PURPOSES: tuple[Purpose, ...] = ("document", "application", "claim")


def stdout_console() -> Console:
    """A console on the current standard output, wrapping nothing (one line per finding)."""
    return Console(highlight=False, soft_wrap=True)


def check_bytes(
    data: bytes,
    *,
    what: str,
    registry: ProfileRegistry,
    context: ValidationContext,
    agreement: str | None = None,
) -> ValidationReport:
    """Parse and validate; raise :class:`InputError` when the input cannot be read as a CO."""
    parsed = loads_bounded(data, max_bytes=DEFAULT_MAX_BYTES, what=what)
    report = validate_document(parsed, registry=registry, context=context, agreement=agreement)
    if not report.readable:
        raise InputError(unreadable_detail(report, what))
    return report


def unreadable_detail(report: ValidationReport, what: str) -> str:
    """One sentence for input whose JSON types do not fit a CO at all."""
    wrong = [f for f in report.findings if f.code == "SCHEMA-TYPE"]
    first = wrong[0]
    more = f" (and {len(wrong) - 1} more member(s) of the wrong type)" if len(wrong) > 1 else ""
    return f"{what} is not a CO document: {first.path}: {first.message}{more}"


def exit_code(report: ValidationReport) -> int:
    return 0 if report.ok else 1


def finding_line(finding: Finding) -> Text:
    line = Text()
    line.append(f"{finding.level.value:<7}", style=LEVEL_STYLES[finding.level])
    line.append(f" {finding.code:<11} ", style="bold")
    line.append(finding.path, style="magenta")
    where = finding.facts.get("source_path")
    if where:
        line.append(f" (source {where})", style="magenta")
    line.append(f": {finding.message}")
    return line


def summary_line(report: ValidationReport, what: str) -> Text:
    counts = report.counts()
    agreement = report.agreement.code if report.agreement else "no agreement profile"
    verdict, style = ("VALID", "bold green") if report.ok else ("NOT VALID", "bold red")
    line = Text()
    line.append(verdict, style=style)
    line.append(
        f" {what} ({agreement}): {counts['SEVERE']} severe, {counts['WARNING']} warning(s), "
        f"{counts['INFO']} info"
    )
    if report.document is None:
        line.append(" - structure broken, rules not checked")
    return line


def render_report(console: Console, report: ValidationReport, what: str) -> None:
    for finding in report.findings:
        console.print(finding_line(finding))
    console.print(summary_line(report, what))


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=option) from None


def make_context(
    now: datetime, *, at: date | None = None, purpose: Purpose = "document"
) -> ValidationContext:
    return ValidationContext(now=now, evaluation_date=at, purpose=purpose)


def validate(
    file: Annotated[
        Path,
        typer.Argument(help="The CO document in any format it reads; '-' reads standard input."),
    ],
    from_format: Annotated[
        str,
        typer.Option(
            "--from",
            help="Format of FILE: auto (recognised from the content), "
            "canonical, ubl, uncefact, aladi-cod, openattestation, igl.",
        ),
    ] = "auto",
    agreement: Annotated[
        str | None,
        typer.Option("--agreement", help="Check against this agreement profile (e.g. RCEP)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="YYYY-MM-DD", help="Check validity at this date."),
    ] = None,
    purpose: Annotated[
        str,
        typer.Option(
            "--purpose",
            help="document, application or claim (for a claim an expired CO is SEVERE).",
        ),
    ] = "document",
) -> None:
    """Check a CO against the dataset, the code lists and its agreement profile."""
    if purpose not in PURPOSES:
        raise typer.BadParameter(
            f"{purpose!r} is not one of {', '.join(PURPOSES)}", param_hint="--purpose"
        )
    registry = bundled_profiles()
    context = make_context(
        SystemClock().now(),
        at=parse_day(at, "--at"),
        purpose=purpose,
    )
    what = "standard input" if str(file) == "-" else str(file)
    data = read_bounded(file, max_bytes=DEFAULT_MAX_BYTES)
    fmt = _detected(data) if from_format == AUTO else check_format(from_format, READ_FORMATS)
    if fmt != "canonical":
        _validate_other(data, fmt, what, registry, context, agreement, as_json)
        return
    report = check_bytes(data, what=what, registry=registry, context=context, agreement=agreement)
    if as_json:
        out: dict[str, Any] = {"file": what, **report.as_dict()}
        typer.echo(dump_json(out))
    else:
        render_report(stdout_console(), report, what)
    code = exit_code(report)
    if code:
        raise typer.Exit(code)


def _detected(data: bytes) -> str:
    """The format of ``data``; anything that is not XML is checked as canonical JSON when it
    is in no format detection knows, so its problems are named as the dataset names them."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return detect_format(data)
    try:
        return detect_format(data)
    except InputError:
        return "canonical"


def _validate_other(
    data: bytes,
    fmt: str,
    what: str,
    registry: ProfileRegistry,
    context: ValidationContext,
    agreement: str | None,
    as_json: bool,
) -> None:
    reading = read_document(data, fmt, profiles=registry)
    judgement = judge(reading, registry=registry, context=context, agreement=agreement)
    if as_json:
        out = {"file": what, **judgement.as_dict(), "loss_report": reading.loss.as_dict()}
        typer.echo(dump_json(out))
    else:
        console = stdout_console()
        for finding in judgement.findings:
            console.print(finding_line(finding))
        integrity = reading.integrity
        if integrity is not None:
            console.print(
                f"integrity: {integrity.status} ({integrity.method}): {integrity.detail}; "
                f"identity: {integrity.identity_status}",
                markup=False,
            )
        counts = judgement.counts()
        verdict, style = ("VALID", "bold green") if judgement.ok else ("NOT VALID", "bold red")
        line = Text()
        line.append(verdict, style=style)
        agreement_code = judgement.agreement.code if judgement.agreement else "no agreement profile"
        line.append(
            f" {what} ({fmt}, {agreement_code}): {counts['SEVERE']} severe, "
            f"{counts['WARNING']} warning(s), {counts['INFO']} info; "
            f"{len(reading.loss)} loss-report entries (--json lists them)"
        )
        console.print(line)
    if not judgement.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
