"""Web sign-in of users: ``originlink users password NAME`` and ``originlink users totp NAME``
(``users add … --password-stdin`` reads the password with :func:`read_password_stdin`).

A password is typed twice at a terminal (never echoed) or read from the first line of
standard input (``--password-stdin``, for scripts). ``users totp`` enrols a new second factor
and prints its ``otpauth://`` URI and a QR code to scan with an authenticator app.
"""

from __future__ import annotations

import sys
from typing import Annotated

import segno
import typer

from originlink.cli.common import HomeOption, open_node
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.services.node import credentials

out = typer.echo


def read_password_stdin() -> str:
    """The first line of standard input, without its line end; an empty one is refused."""
    line = sys.stdin.readline(credentials.MAX_PASSWORD + 2).rstrip("\r\n")
    if not line:
        raise typer.BadParameter(
            "standard input holds no password (give it on the first line)",
            param_hint="--password-stdin",
        )
    return line


def users_password(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from standard input."),
    ] = False,
    home: HomeOption = None,
) -> None:
    """Set a user's password for the web pages (its open web sessions end)."""
    if password_stdin:
        password = read_password_stdin()
    else:
        password = typer.prompt("new password", hide_input=True, confirmation_prompt=True)
    _, node = open_node(home)
    try:
        credentials.set_password(node, SYSTEM_ACTOR, username=username, password=password)
    finally:
        node.store.dispose()
    out(f"password of {username} set")


def users_totp(
    username: Annotated[str, typer.Argument(help="Login name.")],
    remove: Annotated[
        bool, typer.Option("--remove", help="Remove the second factor instead (a lost phone).")
    ] = False,
    home: HomeOption = None,
) -> None:
    """Enrol a new TOTP second factor: prints the URI and a QR code for an authenticator app."""
    _, node = open_node(home)
    try:
        if remove:
            credentials.remove_totp(node, SYSTEM_ACTOR, username=username)
            out(f"second factor of {username} removed")
            return
        enrolment = credentials.enrol_totp(node, SYSTEM_ACTOR, username=username)
    finally:
        node.store.dispose()
    out(f"second factor of {username} enrolled; scan the QR code or enter the URI:")
    out(enrolment.uri)
    segno.make(enrolment.uri, error="m").terminal(out=sys.stdout, compact=True)
    out(f"secret (if the app asks for a key): {enrolment.secret}")


def register_user_commands(users_app: typer.Typer) -> None:
    users_app.command("password")(users_password)
    users_app.command("totp")(users_totp)
