"""Options and helpers the trust-layer commands share (``keys``, ``ca``, ``trustlist``, ``sign``,
``verify``): the node home, passphrases from a file or the environment (never the command
line), and writing a result to a file or standard output.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from originlink.cli.io import read_bounded, write_bytes_atomic
from originlink.config import environment, resolve_home
from originlink.domain.clock import Clock, SystemClock
from originlink.domain.errors import InputError
from originlink.node_config import load_config
from originlink.store.clock import SimulatedClock
from originlink.trust.node import NodeHome

Home = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="Node home folder (default: $ORIGINLINK_HOME or ./.originlink).",
        show_default=False,
    ),
]
CaDir = Annotated[Path | None, typer.Option("--ca-dir", help="CA folder (default: <home>/ca).")]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="File whose first line is the key's passphrase (else ORIGINLINK_KEY_PASSPHRASE).",
    ),
]
CaPassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--ca-passphrase-file",
        help="File whose first line is the CA key's passphrase (else ORIGINLINK_CA_PASSPHRASE).",
    ),
]


def passphrase(path: Path | None, setting: Literal["key", "ca"]) -> bytes | None:
    """From the file given, else from the environment (``ORIGINLINK_KEY_PASSPHRASE`` or
    ``ORIGINLINK_CA_PASSPHRASE``, read by :mod:`originlink.config`)."""
    if path is not None:
        line = read_bounded(path, max_bytes=4096).split(b"\n", 1)[0].rstrip(b"\r")
        if not line:
            raise InputError(f"passphrase file {path} is empty")
        return line
    settings = environment()
    value = settings.key_passphrase if setting == "key" else settings.ca_passphrase
    return value.get_secret_value().encode("utf-8") if value else None


def home_clock(home: Path | None) -> Clock:
    """The clock of the node in ``home``: a training node's simulated clock (so a key or a
    trust list made there is dated in the node's time, like everything else it records), else
    the real clock — also for a home that is not a node yet (no ``node.toml``)."""
    folder = resolve_home(home)
    if (folder / "node.toml").is_file():
        config = load_config(folder)
        if config.clock == "simulated":
            return SimulatedClock(config.simulated_clock_file)
    return SystemClock()


def node_home(home: Path | None, ca_dir: Path | None = None) -> NodeHome:
    return NodeHome(resolve_home(home), ca_dir)


def emit(data: bytes, out: Path | None) -> None:
    if out is None or str(out) == "-":
        typer.echo(data.decode("utf-8"), nl=False)
    else:
        write_bytes_atomic(out, data)
