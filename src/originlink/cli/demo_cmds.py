"""``originlink demo``: what ``make demo`` runs.

Two steps (:data:`DEMO_STEPS`): validate the bundled example certificates (``examples/``)
against ``examples/expected.json``, then run three gateways and a hub as real processes on
loopback and exchange COs between them (:mod:`originlink.demo.exchange`), printing a trace
with timings. Exit 0 only when every step saw what it expected.

``--serve`` instead builds the demo network (SG and JP, :mod:`originlink.demo.serve`) and
keeps it running until Ctrl-C, printing each node's ``/app/`` address and the demo users'
names and passwords, so a person can click through the whole story.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from originlink.cli.io import read_bounded
from originlink.cli.validate_cmds import (
    check_bytes,
    exit_code,
    finding_line,
    make_context,
    parse_day,
    stdout_console,
)
from originlink.domain.clock import SystemClock
from originlink.domain.errors import InputError
from originlink.domain.findings import Level
from originlink.domain.profiles import ProfileRegistry, bundled_profiles
from originlink.domain.safejson import loads_bounded
from originlink.domain.validation import ValidationReport

MANIFEST = "expected.json"
FOLDERS = ("valid", "invalid")


@dataclass(frozen=True)
class Expectation:
    """What ``expected.json`` says about one example."""

    exit: int
    codes: tuple[str, ...] = ()
    about: str = ""


@dataclass(frozen=True)
class Manifest:
    evaluation_date: date | None
    examples: dict[str, Expectation]


def load_manifest(folder: Path) -> Manifest:
    """Read ``expected.json``: ``{"evaluation_date": ..., "examples": {"valid/x.json":
    {"exit": 0, "codes": [...], "about": "..."}}}``."""
    path = folder / MANIFEST
    raw: Any = loads_bounded(read_bounded(path), what=str(path))
    try:
        entries = {
            name: Expectation(
                exit=int(entry["exit"]),
                codes=tuple(entry.get("codes", ())),
                about=str(entry.get("about", "")),
            )
            for name, entry in raw["examples"].items()
        }
        day = raw.get("evaluation_date")
        return Manifest(date.fromisoformat(day) if day else None, entries)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{path}: not a valid examples manifest ({exc})") from None


def example_files(folder: Path) -> list[str]:
    """``valid/...`` and ``invalid/...`` names of every example JSON file, sorted."""
    return [
        f"{sub}/{path.name}"
        for sub in FOLDERS
        for path in sorted((folder / sub).glob("*.json"))
        if path.is_file()
    ]


@dataclass
class ExampleOutcome:
    name: str
    expected: Expectation
    exit_code: int
    report: ValidationReport | None = None
    error: str | None = None
    missing_codes: list[str] = field(default_factory=list)
    unlisted: bool = False

    @property
    def as_expected(self) -> bool:
        return self.exit_code == self.expected.exit and not self.missing_codes and not self.unlisted


def check_example(
    folder: Path,
    name: str,
    expected: Expectation,
    *,
    registry: ProfileRegistry,
    now: datetime,
    at: date | None,
) -> ExampleOutcome:
    """Validate one example the way ``originlink validate`` does and compare the outcome."""
    try:
        report = check_bytes(
            read_bounded(folder / name),
            what=name,
            registry=registry,
            context=make_context(now, at=at),
        )
    except InputError as exc:
        return ExampleOutcome(name, expected, exc.exit_code, error=exc.one_line())
    missing = sorted(set(expected.codes) - report.codes())
    return ExampleOutcome(name, expected, exit_code(report), report, missing_codes=missing)


def validate_examples(
    folder: Path, *, registry: ProfileRegistry, now: datetime, at: date | None = None
) -> list[ExampleOutcome]:
    manifest = load_manifest(folder)
    day = at or manifest.evaluation_date
    outcomes = []
    for name in example_files(folder):
        listed = manifest.examples.get(name)
        expected = listed or Expectation(exit=0 if name.startswith("valid/") else 1)
        outcome = check_example(folder, name, expected, registry=registry, now=now, at=day)
        outcome.unlisted = listed is None
        outcomes.append(outcome)
    return outcomes


def render_outcome(console: Console, outcome: ExampleOutcome) -> None:
    mark, style = ("ok  ", "green") if outcome.as_expected else ("FAIL", "bold red")
    head = Text()
    head.append(mark, style=style)
    head.append(f" {outcome.name}", style="bold")
    head.append(f"  exit {outcome.exit_code} (expected {outcome.expected.exit})")
    if outcome.report is not None:
        counts = outcome.report.counts()
        agreement = outcome.report.agreement.code if outcome.report.agreement else "-"
        head.append(
            f"  [{agreement}] {counts['SEVERE']} severe, {counts['WARNING']} warning(s), "
            f"{counts['INFO']} info"
        )
    console.print(head)
    if outcome.expected.about:
        console.print(Text(f"       {outcome.expected.about}", style="dim"))
    if outcome.error is not None:
        console.print(Text(f"       unreadable: {outcome.error}", style="yellow"))
    if outcome.report is not None:
        for finding in outcome.report.findings:
            if finding.level is Level.SEVERE:
                console.print(Text("       ").append_text(finding_line(finding)))
    if outcome.missing_codes:
        console.print(
            Text(f"       expected codes not found: {', '.join(outcome.missing_codes)}", "red")
        )
    if outcome.unlisted:
        console.print(Text(f"       not listed in {MANIFEST}", style="red"))


@dataclass(frozen=True)
class DemoSettings:
    examples: Path
    now: datetime
    at: date | None
    registry: ProfileRegistry
    workdir: Path = Path("demo-run")
    exchange: bool = True


#: A demo step prints its part of the report and says whether everything went as expected.
DemoStep = Callable[[DemoSettings, Console], bool]


def validate_examples_step(settings: DemoSettings, console: Console) -> bool:
    console.rule("Validating the example certificates")
    outcomes = validate_examples(
        settings.examples, registry=settings.registry, now=settings.now, at=settings.at
    )
    for outcome in outcomes:
        render_outcome(console, outcome)
    good = sum(o.as_expected for o in outcomes)
    style = "bold green" if good == len(outcomes) else "bold red"
    console.print(Text(f"{good} of {len(outcomes)} examples as expected", style=style))
    return bool(outcomes) and good == len(outcomes)


def exchange_step(settings: DemoSettings, console: Console) -> bool:
    if not settings.exchange:
        return True
    from originlink.demo.exchange import exchange_demo

    return exchange_demo(console, settings.workdir.resolve())


DEMO_STEPS: tuple[DemoStep, ...] = (validate_examples_step, exchange_step)


def run_demo(settings: DemoSettings, console: Console) -> bool:
    """Run every step (a failing step does not stop the next); True when all succeeded."""
    results = [step(settings, console) for step in DEMO_STEPS]
    return all(results)


def demo(
    examples: Annotated[
        Path, typer.Option("--examples", help="Folder with valid/, invalid/ and expected.json.")
    ] = Path("examples"),
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="YYYY-MM-DD", help="Evaluation date for validity."),
    ] = None,
    workdir: Annotated[
        Path, typer.Option("--workdir", help="Where the demo gateways live (recreated).")
    ] = Path("demo-run"),
    no_exchange: Annotated[
        bool, typer.Option("--no-exchange", help="Only validate the examples.")
    ] = False,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Run the demo network (SG and JP) until Ctrl-C, printing each node's /app/ "
            "address and the demo users' names and passwords.",
        ),
    ] = False,
) -> None:
    """Run the demo: validate the example certificates, then three gateways and a hub exchange
    COs as real processes on loopback (issue, push, pull, hub in UBL, cancel, replace, PDF and
    public verification, reconciliation, audit chains)."""
    if serve:
        serve_network(workdir / "serve")
        return
    if not examples.is_dir():
        raise InputError(f"{examples} is not a folder of examples (use --examples)")
    settings = DemoSettings(
        examples=examples,
        now=SystemClock().now(),
        at=parse_day(at, "--at"),
        registry=bundled_profiles(),
        workdir=workdir,
        exchange=not no_exchange,
    )
    if not run_demo(settings, stdout_console()):
        raise typer.Exit(1)


def serve_network(root: Path) -> None:
    """``demo --serve``: until SIGINT (Ctrl-C) or SIGTERM, then a clean stop (exit 0)."""
    from originlink.demo.serve import serve as serve_demo

    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        serve_demo(root.resolve(), say=lambda line: typer.echo(line), stop=stop)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
