"""Options and helpers shared by the node commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from originlink.bootstrap import build_node
from originlink.node_config import NodeConfig, load_config
from originlink.services.context import Node

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        help="The node's home directory (default: $ORIGINLINK_HOME or ./.originlink).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def open_node(home: Path | None, *, is_hub: bool = False) -> tuple[NodeConfig, Node]:
    config = load_config(home)
    return config, build_node(config, is_hub=is_hub)
