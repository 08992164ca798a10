"""The progress helper: a Rich bar on a terminal, nothing at all elsewhere or when quiet."""

from __future__ import annotations

import io

from rich.console import Console

from originlink.terminal import progress_bar


def test_on_a_terminal_the_bar_shows_its_description_and_count() -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with progress_bar("rendering 3 item(s)", total=3, console=console) as bar:
        assert bar.shown
        bar.advance()
        bar.update(3, 3, description="rendering done")
    drawn = screen.getvalue()
    assert "rendering" in drawn
    assert "3/3" in drawn


def test_the_bar_is_silent_when_not_on_a_terminal_or_quiet() -> None:
    pipe = io.StringIO()
    with progress_bar("work", total=2, console=Console(file=pipe)) as bar:
        assert not bar.shown
        bar.advance()
        bar.update(2, 2)
    assert pipe.getvalue() == ""
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True)
    with progress_bar("work", total=2, quiet=True, console=terminal) as bar:
        bar.advance(2)
    assert screen.getvalue() == ""
