"""Progress bars for long work on the command line, silent where nobody watches.

One small API for every command and benchmark that runs long enough to need one::

    from originlink.terminal import progress_bar

    with progress_bar("rendering 999 items", total=999, quiet=as_json) as bar:
        for item in items:
            ...
            bar.advance()          # one step done
        bar.update(999, total=999) # or: set where the work is (callbacks)

The bar is a Rich progress bar on standard error, so standard output stays what the command
prints. It is silent — nothing is written at all — when ``quiet`` is true (commands pass their
``--json`` flag) or when standard error is not a terminal (pipes, files, CI logs). It disappears
when the work is done (transient), leaving the command's own output. This module imports
nothing from OriginLink, so that any entry point (``cli``, ``bench``) may use it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

__all__ = ["ProgressBar", "progress_bar"]


class ProgressBar:
    """Where a piece of work is; does nothing when the bar is silent."""

    def __init__(self, progress: Progress | None, task: TaskID | None) -> None:
        self._progress = progress
        self._task = task

    @property
    def shown(self) -> bool:
        """True when the bar is drawn on a terminal."""
        return self._progress is not None

    def advance(self, steps: float = 1) -> None:
        """``steps`` more units of work are done."""
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task, steps)

    def update(
        self, completed: float, total: float | None = None, *, description: str | None = None
    ) -> None:
        """The work is at ``completed`` of ``total`` (a new total or description may be given)."""
        if self._progress is not None and self._task is not None:
            self._progress.update(
                self._task, completed=completed, total=total, description=description
            )


@contextmanager
def progress_bar(
    description: str,
    total: float | None = None,
    *,
    quiet: bool = False,
    console: Console | None = None,
) -> Iterator[ProgressBar]:
    """A progress bar for the ``with`` block; ``total=None`` shows activity without an end.

    ``console`` defaults to standard error; the bar is silent when ``quiet`` or when that
    console is not a terminal."""
    target = console or Console(stderr=True)
    if quiet or not target.is_terminal:
        yield ProgressBar(None, None)
        return
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=target, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield ProgressBar(progress, task)
