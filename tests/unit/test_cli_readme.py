"""The README's command summary lists every command and every option that ``--help`` shows
(issue 17, part 6: ``--out``, ``--name``, ``--ca-dir`` were left out). Walks the typer app, so a
new option fails here until the README names it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from originlink.cli.main import app

README = Path(__file__).resolve().parents[2] / "README.md"
#: Options every node command shares, documented once above the summary.
SHARED = {"--help", "--home", "--json"}


def _summary() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Command line")
    return text[start : text.index("\n## ", start + 1)]


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Every command, by its words after ``originlink`` (typer bundles its own click: groups
    are known by their ``commands``)."""
    if hasattr(group, "commands"):
        for name, command in group.commands.items():
            if not command.hidden:
                yield from _commands(command, (*path, name))
    else:
        yield " ".join(path), group


def _options(command: Any) -> Iterator[str]:
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            for flag in (*param.opts, *param.secondary_opts):
                if flag.startswith("--"):
                    yield flag


def test_every_command_and_option_is_in_the_readmes_command_summary() -> None:
    summary = _summary()
    missing = []
    root = typer.main.get_command(app)
    commands = list(_commands(root))
    assert len(commands) > 40
    lines = summary.splitlines()
    for name, command in commands:
        *group, last = name.split()
        head = " ".join(["originlink", *group])
        word = re.compile(rf"(^|[\s|]){re.escape(last)}($|[\s|\[])")
        if not any(head in line and word.search(line.split(head, 1)[1]) for line in lines):
            missing.append(f"originlink {name}")
        for flag in _options(command):
            if flag not in SHARED and flag not in summary:
                missing.append(f"originlink {name} {flag}")
    assert missing == [], "not in README's command summary:\n" + "\n".join(missing)
