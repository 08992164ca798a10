"""``originlink sandbox``: start the training network and say where to begin, or, with
``--auto``, play every lesson unattended and print one line per lesson (``--json`` for
programs); exit 0 only when every lesson passed."""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from originlink.bootstrap import build_node
from originlink.cli.io import dump_json
from originlink.domain.errors import InputError
from originlink.node_config import load_config
from originlink.sandbox.actions import Player
from originlink.sandbox.autoplay import LessonResult, play_all
from originlink.sandbox.network import INSTRUCTOR, SandboxNetwork, build
from originlink.terminal import progress_bar
from originlink.training.engine import Trainer
from originlink.training.lessons import Lesson, all_lessons
from originlink.training.probe import NetworkView


def _chosen(ids: list[str] | None) -> list[Lesson]:
    lessons = list(all_lessons())
    if not ids:
        return lessons
    known = {lesson.id: lesson for lesson in lessons}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise InputError(f"no lesson {', '.join(unknown)}; the lessons are: {', '.join(known)}")
    return [known[i] for i in ids]


def _where_to_begin(net: SandboxNetwork, console: Console) -> None:
    manifest = net.manifest
    desk = manifest.node(manifest.desk)
    console.print("[bold]The training network is running[/bold] (one shared simulated clock)")
    for node in manifest.nodes.values():
        pages = "" if node.role == "hub" else "/app/"  # a hub routes; it has no pages
        console.print(f"  {node.participant:<11} {node.name:<28} {node.url}{pages}")
    console.print("[bold]Users[/bold] (node, user, role, password; API tokens in the manifest)")
    for user in manifest.users:
        console.print(f"  {user.node:<11} {user.username:<11} {user.role:<16} {user.password}")
    first = all_lessons()[0]
    console.print(f"[bold]Lessons[/bold]      {desk.url}/app/training/ (sign in as a learner)")
    console.print(
        f"[bold]Instructor[/bold]   {desk.url}/app/training/instructor (sign in as {INSTRUCTOR})"
    )
    console.print(f"[bold]First lesson[/bold] {first.title}: {desk.url}/app/training/{first.id}")
    console.print(f"[bold]Clock[/bold]        originlink clock show --home {desk.home}")
    console.print(f"Manifest: {manifest.root}/sandbox.json. Stop with Ctrl-C.")


def _line(result: LessonResult) -> str:
    mark = "PASS" if result.passed else "FAIL"
    text = (
        f"{mark} {result.lesson:<18} {result.process:<4} {result.score:>3}/{result.max_score:<3} "
        f"{result.seconds:6.1f}s  {result.title}"
    )
    return text + (f" — {result.error}" if result.error else "")


def _auto(net: SandboxNetwork, lessons: list[Lesson], as_json: bool) -> bool:
    view = NetworkView(net.manifest)
    desk = build_node(load_config(Path(net.manifest.node(net.manifest.desk).home)))
    trainer = Trainer(desk, view)
    player = Player(net.manifest, view)
    results: list[LessonResult] = []
    try:
        with progress_bar("lessons", total=len(lessons), quiet=as_json) as bar:

            def step(label: str) -> None:
                bar.update(len(results), description=label)

            def done(result: LessonResult) -> None:
                results.append(result)
                bar.advance()
                if not as_json:
                    typer.echo(_line(result))

            play_all(trainer, player, lessons, on_step=step, on_lesson=done)
    finally:
        desk.store.dispose()
    if as_json:
        typer.echo(
            dump_json(
                {
                    "passed": all(r.passed for r in results),
                    "lessons": [r.as_json() for r in results],
                }
            )
        )
    return all(r.passed for r in results)


def sandbox(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where the training nodes live (emptied first).")
    ] = Path("sandbox"),
    auto: Annotated[
        bool, typer.Option("--auto", help="Play every lesson unattended, then stop.")
    ] = False,
    lesson: Annotated[
        list[str] | None,
        typer.Option("--lesson", help="With --auto: only this lesson (repeatable)."),
    ] = None,
    learners: Annotated[int, typer.Option(min=1, max=200, help="Learner accounts to make.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="With --auto: print JSON.")] = False,
) -> None:
    """Start a training network (issuing authority, importing customs, hub, third country on a
    shared simulated clock) with its web application, and print where to begin."""
    lessons = _chosen(lesson)
    console = Console(highlight=False, soft_wrap=True)  # addresses never cut in two
    with progress_bar("starting the training network", quiet=as_json):
        net = build(directory, learners=learners)
        net.start()
    try:
        if auto:
            if not _auto(net, lessons, as_json):
                raise typer.Exit(1)
            return
        _where_to_begin(net, console)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    finally:
        net.stop()


def register(app: typer.Typer) -> None:
    app.command("sandbox")(sandbox)
