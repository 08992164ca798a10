"""Options and helpers shared by the node commands."""

from __future__ import annotations

import errno
import socket
from pathlib import Path
from typing import Annotated, Any

import typer

from originlink.bootstrap import build_node
from originlink.domain.errors import ConfigurationError
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


def listen(host: str, port: int) -> socket.socket:
    """The server's listening socket, bound here rather than by uvicorn, so that a port in use
    is one readable line and exit 2 (a configuration to change) instead of uvicorn's log line
    and exit 3; the bound socket is handed to uvicorn, so nothing can take the port between
    the check and the start."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = (
            "the port is already in use (another 'originlink serve'?)"
            if exc.errno == errno.EADDRINUSE
            else exc.strerror or str(exc)
        )
        raise ConfigurationError(
            f"cannot listen on {host}:{port}: {reason}; choose another with --port or "
            "[server] port in node.toml"
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_app(app: Any, host: str, port: int) -> None:
    """Run ``app`` with uvicorn on a socket bound by :func:`listen` until interrupted."""
    import uvicorn

    sock = listen(host, port)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
