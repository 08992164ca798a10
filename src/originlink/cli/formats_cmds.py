"""``originlink convert``: translate a CO between canonical JSON, UBL, edi3 and ALADI COD.

The converted document goes to OUT (written atomically) or to standard output; the loss report
goes to standard output when OUT is given, else to standard error, so a pipe receives only the
document. ``--strict`` refuses (exit 1) when anything would be dropped or degraded.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from originlink.cli.io import dump_json, read_bounded, write_bytes_atomic
from originlink.domain.errors import LossyConversionRefused
from originlink.formats import FORMATS, LossEntry, LossKind, convert
from originlink.formats.registry import check_format

_FORMATS_HELP = ", ".join(FORMATS)
_SOURCE = typer.Argument(..., metavar="IN", help="Input file ('-' for standard input).")
_TARGET = typer.Argument(None, metavar="[OUT]", help="Output file (default: standard output).")


def _print_report(report: dict[str, Any], *, as_json: bool, to_stderr: bool) -> None:
    """The loss report (``LossReport.as_dict()``) as JSON or as one line per entry."""
    if as_json:
        text = dump_json(report)
    else:
        entries = report["entries"]
        counts = ", ".join(f"{n} {kind.lower()}" for kind, n in report["counts"].items() if n)
        state = "lossy" if report["lossy"] else "nothing lost"
        lines = [f"loss report: {len(entries)} entries ({counts or 'none'}); {state}"]
        lines += [
            "  " + LossEntry(LossKind(e["kind"]), e["path"], e["detail"], e.get("value")).one_line()
            for e in entries
        ]
        text = "\n".join(lines)
    typer.echo(text, err=to_stderr)


def convert_command(
    source: Path = _SOURCE,
    target: Path | None = _TARGET,
    from_format: str = typer.Option(..., "--from", help=f"Input format: {_FORMATS_HELP}."),
    to_format: str = typer.Option(..., "--to", help=f"Output format: {_FORMATS_HELP}."),
    strict: bool = typer.Option(
        False, "--strict", help="Fail (exit 1) when anything would be lost."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the loss report as JSON."),
    extension: bool = typer.Option(
        True,
        "--extension/--no-extension",
        help="UBL output: carry the members UBL has no element for in the OriginLink "
        "extension (for OriginLink receivers).",
    ),
) -> None:
    """Convert a certificate of origin between formats and print what was lost."""
    check_format(from_format)
    check_format(to_format)
    data = read_bounded(source)
    to_stderr = target is None
    try:
        result = convert(
            data, from_format, to_format, strict=strict, originlink_extension=extension
        )
    except LossyConversionRefused as exc:
        _print_report(exc.extra["loss_report"], as_json=as_json, to_stderr=True)
        raise
    if target is None:
        sys.stdout.buffer.write(result.result)
        sys.stdout.buffer.flush()
    else:
        write_bytes_atomic(target, result.result)
    _print_report(result.loss.as_dict(), as_json=as_json, to_stderr=to_stderr)


def register(app: typer.Typer) -> None:
    app.command("convert")(convert_command)
