"""``originlink clock show | advance DURATION | set DATE``: a training node's simulated clock.

On a node created with ``node init --clock simulated`` the clock runs at the real pace from an
offset these commands move; every process of the node sees the move at once, and what fell due
(verification deadlines, retries) is applied at once. A node on the real clock refuses to move.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from originlink.cli.common import HomeOption, JsonOption, open_node
from originlink.cli.io import dump_json
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.errors import InputError
from originlink.services.node import clock as clock_service

clock_app = typer.Typer(
    help="A training node's simulated clock: show it, advance it, set it.", no_args_is_help=True
)
#: The host's operator, acting through the command line.
CLI_ACTOR = replace(SYSTEM_ACTOR, username="cli", via="cli")

_UNITS = {
    "w": timedelta(weeks=1),
    "d": timedelta(days=1),
    "h": timedelta(hours=1),
    "m": timedelta(minutes=1),
    "s": timedelta(seconds=1),
}
_PART = re.compile(r"(\d+)\s*(weeks?|w|days?|d|hours?|h|minutes?|min|m|seconds?|s)", re.I)
_ISO = re.compile(
    r"P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?"
)


def parse_duration(text: str) -> timedelta:
    """``90d``, ``2w``, ``1d12h``, ``30 days``, ``45m``, or ISO 8601 ``P30D``, ``PT2H``."""
    value = text.strip()
    iso = _ISO.fullmatch(value.upper())
    if iso and any(iso.groupdict().values()):
        return sum(
            (int(n) * _UNITS[unit] for unit, n in iso.groupdict().items() if n), timedelta(0)
        )
    parts = list(_PART.finditer(value))
    if not parts or "".join(p.group(0) for p in parts).replace(" ", "") != value.replace(" ", ""):
        raise InputError(f"{text!r} is not a duration: write e.g. 90d, 2w, 1d12h, 45m or P30D")
    total = timedelta(0)
    for part in parts:
        unit = part.group(2).lower()
        key = "m" if unit in {"min", "minute", "minutes", "m"} else unit[0]
        total += int(part.group(1)) * _UNITS[key]
    return total


def parse_moment(text: str) -> datetime:
    """``2026-03-01`` (00:00 UTC) or an ISO 8601 date-time; without an offset, UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(
            f"{text!r} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM]"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _print(status: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(dump_json(status))
        return
    typer.echo(f"now      {status['now']}  ({status['mode']} clock)")
    if status["mode"] == clock_service.SIMULATED:
        typer.echo(f"real     {status['real_now']}")
        ahead = timedelta(seconds=status["offset_seconds"])
        moves = status["moves"]
        typer.echo(f"ahead by {ahead} ({moves} move{'' if moves == 1 else 's'})")
    if "applied" in status:
        typer.echo(f"applied  {status['applied']} piece(s) of work that fell due")


@clock_app.command("show")
def clock_show(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """What the node's clock says (and, simulated, how far ahead of the real time)."""
    _, node = open_node(home)
    try:
        _print(clock_service.clock_status(node), as_json)
    finally:
        node.store.dispose()


@clock_app.command("advance")
def clock_advance(
    duration: Annotated[str, typer.Argument(help="How far: 90d, 2w, 1d12h, 45m, P30D.")],
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move the simulated clock forward; what fell due is applied at once."""
    delta = parse_duration(duration)
    _, node = open_node(home)
    try:
        _print(clock_service.advance_clock(node, CLI_ACTOR, delta), as_json)
    finally:
        node.store.dispose()


@clock_app.command("set")
def clock_set(
    date: Annotated[str, typer.Argument(help="YYYY-MM-DD or an ISO 8601 date-time.")],
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Set the simulated clock (never before the latest recorded event)."""
    moment = parse_moment(date)
    _, node = open_node(home)
    try:
        _print(clock_service.set_clock(node, CLI_ACTOR, moment), as_json)
    finally:
        node.store.dispose()


def register(app: typer.Typer) -> None:
    app.add_typer(clock_app, name="clock")
