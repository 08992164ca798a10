"""Entry point of the ``originlink`` command.

Command groups live in their own modules and are registered here in :data:`COMMAND_MODULES`;
each module exposes ``register(app)``.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
from rich.console import Console

from originlink import __version__
from originlink.config import environment
from originlink.domain.errors import OriginLinkError

app = typer.Typer(
    name="originlink",
    help=(
        "OriginLink: issue, sign, exchange, check, use and verify electronic certificates of "
        "origin (e-COs) between countries."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)

#: Modules that add commands to :data:`app`, in help order.
COMMAND_MODULES: tuple[str, ...] = (
    "originlink.cli.dataset_cmds",
    "originlink.cli.agreements_cmds",
    "originlink.cli.node_cmds",
    "originlink.cli.audit_cmds",
    "originlink.cli.exchange_cmds",
    "originlink.cli.validate_cmds",
    "originlink.cli.formats_cmds",
    "originlink.cli.demo_cmds",
    "originlink.cli.keys_cmds",
    "originlink.cli.trust_cmds",
    "originlink.cli.bench_cmds",
    "originlink.cli.render_cmds",
    "originlink.cli.claims_cmds",
    "originlink.cli.clock_cmds",
    "originlink.cli.sandbox_cmds",
    "originlink.cli.ops_cmds",
)

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"originlink {__version__}")
        raise typer.Exit(0)


@app.callback()
def main_callback(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """OriginLink command line."""


def _register() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)


_register()


def _is_usage_error(exc: Exception) -> bool:
    """Click's own errors (bad option, missing argument), from typer's bundled click."""
    return callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)


def _debug() -> bool:
    """``ORIGINLINK_DEBUG`` (a setting that cannot be read is not a reason to hide the error)."""
    try:
        return environment().debug
    except OriginLinkError:
        return False


def run(argv: list[str] | None = None) -> Any:
    """Run the CLI: exit 0 on success, 1 for findings or refusals, 2 for unreadable input or
    wrong usage; an unexpected error prints one line (set ORIGINLINK_DEBUG=1 for the trace)."""
    try:
        result = app(args=argv, standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        stderr.print("aborted")
        sys.exit(130)
    except OriginLinkError as exc:
        stderr.print(f"error: {exc.one_line()}", markup=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        stderr.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        if _is_usage_error(exc):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(int(exc.exit_code))  # type: ignore[attr-defined]
        if _debug():
            raise
        stderr.print(
            f"internal error: {type(exc).__name__}: {exc} "
            "(this is a bug; run again with ORIGINLINK_DEBUG=1 for details)",
            markup=False,
        )
        sys.exit(70)
    sys.exit(result if isinstance(result, int) else 0)
