"""Running a node: ``node init``, ``users``, ``serve`` (the audit log: ``audit_cmds``)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from originlink.bootstrap import secure_home
from originlink.cli.common import HomeOption, JsonOption, listen, open_node
from originlink.cli.io import dump_json, write_text_atomic
from originlink.cli.users_cmds import read_password_stdin, register_user_commands
from originlink.config import (
    CONFIG_FILE,
    LoadedSettings,
    environment,
    hand_down,
    load_settings,
    resolve_home,
    set_metrics_dir,
)
from originlink.domain.authz import HOST_ACTOR, SYSTEM_ACTOR
from originlink.domain.errors import Conflict
from originlink.domain.profiles import bundled_profiles
from originlink.node_config import NodeConfig, load_config, make_identity
from originlink.services.node import credentials
from originlink.services.node import users as user_service
from originlink.store.clock import SimulatedClock
from originlink.store.core import Store

node_app = typer.Typer(help="Create and inspect a node.", no_args_is_help=True)
users_app = typer.Typer(
    help="Manage the users of a node, their API tokens and their web sign-in.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)


@node_app.command("init")
def node_init(
    participant: Annotated[str, typer.Option(help="Participant id, as in the trust list.")],
    name: Annotated[str, typer.Option(help="Name of the authority or customs office.")],
    country: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 country of the node.")],
    roles: Annotated[
        str, typer.Option(help="Comma-separated: issuing-authority, customs, gateway, hub.")
    ] = "issuing-authority,customs,gateway",
    agreements: Annotated[str, typer.Option(help="Comma-separated agreement codes.")] = "",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the node.")] = "UTC",
    public_url: Annotated[
        str | None, typer.Option(help="Public base URL for verification links (QR codes).")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="Database URL (default: SQLite file in the home directory).")
    ] = None,
    host: Annotated[str, typer.Option(help="Address 'serve' listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port 'serve' listens on.")] = 8080,
    clock: Annotated[
        str,
        typer.Option(
            "--clock",
            help="real, or simulated: a training node whose clock 'originlink clock' moves.",
        ),
    ] = "real",
    clock_file: Annotated[
        Path | None,
        typer.Option(
            "--clock-file",
            help="With --clock simulated: the clock's file, which several nodes may share "
            "(default: clock.json in the home).",
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Create a node's home directory, configuration and database."""
    if clock not in {"real", "simulated"}:
        raise typer.BadParameter(f"{clock!r} is not real or simulated", param_hint="--clock")
    if clock_file is not None and clock != "simulated":
        raise typer.BadParameter("only a simulated clock has a file", param_hint="--clock-file")
    home_dir = resolve_home(home)
    if (home_dir / CONFIG_FILE).exists():
        raise Conflict(f"{home_dir / CONFIG_FILE} already exists; choose another --home")
    agreement_codes = tuple(a.strip() for a in agreements.split(",") if a.strip())
    for code in agreement_codes:
        bundled_profiles().require(code)
    identity = make_identity(
        {
            "participant_id": participant,
            "name": name,
            "country": country.upper(),
            "roles": [r.strip() for r in roles.split(",") if r.strip()],
            "timezone": timezone,
            "public_base_url": public_url,
        },
        origin="node init",
    )
    secure_home(home_dir)
    url = database_url or f"sqlite:///{(home_dir / 'originlink.db').resolve()}"
    # ORIGINLINK_DATABASE_URL (a container's secret) creates the schema but stays out of the file
    schema_url = database_url or environment().database_url or url
    config = NodeConfig(
        home=home_dir,
        identity=identity,
        database_url=url,
        host=host,
        port=port,
        agreements=agreement_codes,
        clock=clock,
        clock_file=clock_file,
    )
    Store(schema_url).dispose()
    if clock == "simulated":
        SimulatedClock.create(config.simulated_clock_file)
    write_text_atomic(home_dir / CONFIG_FILE, config.as_toml(), mode=0o600)
    out.print(f"node {participant} ({country.upper()}) created in {home_dir}")
    out.print("next: originlink keys init, originlink users add, originlink serve")


@node_app.command("show")
def node_show(
    home: HomeOption = None,
    as_json: JsonOption = False,
    config_table: Annotated[
        bool,
        typer.Option(
            "--config",
            help="Every setting with its value and where it came from (default, file, "
            "environment), its place in node.toml and its environment variable.",
        ),
    ] = False,
) -> None:
    """Print the node's identity and configuration."""
    if config_table:
        _show_settings(load_settings(home), as_json=as_json)
        return
    config, node = open_node(home)
    ident = config.identity
    data = {
        "participant_id": ident.participant_id,
        "name": ident.name,
        "country": ident.country,
        "authority_code": ident.authority_code,
        "roles": sorted(ident.roles),
        "timezone": ident.timezone,
        "public_base_url": ident.public_base_url,
        "agreements": list(config.agreements),
        "database": config.database_url.split("@")[-1],
        "listen": f"{config.host}:{config.port}",
    }
    node.store.dispose()
    if as_json:
        typer.echo(dump_json(data))
        return
    for key, value in data.items():
        out.print(f"{key:>16}: {value}")


def _show_settings(loaded: LoadedSettings, *, as_json: bool) -> None:
    rows = loaded.describe()
    if as_json:
        typer.echo(dump_json({"file": str(loaded.path), "settings": rows}))
        return
    typer.echo(f"settings of the node in {loaded.home} ({loaded.path}):")
    for row in rows:
        value = row["value"]
        shown = ", ".join(value) if isinstance(value, list) else "-" if value is None else value
        where = [row["source"], row["environment"]]
        if row["file"]:
            where.insert(1, f"node.toml {row['file']}")
        typer.echo(f"  {row['name']:<22} = {shown}  ({'; '.join(where)})")


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[str, typer.Option(help="exporter, issuing_officer, customs_officer or admin.")],
    organisation: Annotated[
        str | None,
        typer.Option(help="Exporter's organisation (company identifier); required for exporters."),
    ] = None,
    display_name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    represents: Annotated[
        str | None,
        typer.Option(
            help="Exporter identifiers this exporter (an agent) applies for besides its "
            "organisation, comma-separated."
        ),
    ] = None,
    no_token: Annotated[bool, typer.Option("--no-token", help="Do not issue a token.")] = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the user's web sign-in password from the first line of standard input.",
        ),
    ] = False,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a user and print a fresh API token for it (shown once). Audited as the host."""
    password = read_password_stdin() if password_stdin else None
    if password is not None:
        credentials.check_password_rules(password)
    _, node = open_node(home)
    record = user_service.add_user(
        node,
        HOST_ACTOR,
        username=username,
        role=role,
        display_name=display_name,
        organisation=organisation,
        represents=represents.split(",") if represents else None,
    )
    if password is not None:
        credentials.set_password(node, SYSTEM_ACTOR, username=username, password=password)
    token = (
        None
        if no_token
        else user_service.create_token(node, HOST_ACTOR, username=username, label="initial")
    )
    node.store.dispose()
    if as_json:
        typer.echo(dump_json({**record.as_dict(), "token": token}))
        return
    out.print(f"user {username} ({role}) added")
    if token:
        out.print(f"token: {token}")


@users_app.command("token")
def users_token(
    username: Annotated[str, typer.Argument(help="Login name.")],
    label: Annotated[str | None, typer.Option(help="What the token is for.")] = None,
    valid_days: Annotated[
        int | None, typer.Option(min=1, max=3650, help="Lifetime in days (1-3650).")
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Issue another API token for a user (printed once). Only here, on the host, does anyone
    create a token for another user; the audit chain records it as the host's act."""
    _, node = open_node(home)
    token = user_service.create_token(
        node, HOST_ACTOR, username=username, label=label, valid_days=valid_days
    )
    node.store.dispose()
    if as_json:
        typer.echo(
            dump_json(
                {"username": username, "token": token, "label": label, "valid_days": valid_days}
            )
        )
        return
    typer.echo(token)


@users_app.command("list")
def users_list(home: HomeOption = None, as_json: JsonOption = False) -> None:
    """List the node's users."""
    _, node = open_node(home)
    records, _total = user_service.list_users(node, SYSTEM_ACTOR, limit=10_000)
    node.store.dispose()
    if as_json:
        typer.echo(dump_json([r.as_dict() for r in records]))
        return
    table = Table("user", "role", "organisation", "disabled")
    for r in records:
        table.add_row(r.username, r.role, r.organisation or "", "yes" if r.disabled else "")
    out.print(table)


@users_app.command("disable")
def users_disable(username: Annotated[str, typer.Argument()], home: HomeOption = None) -> None:
    """Disable a user and revoke its tokens."""
    _, node = open_node(home)
    user_service.disable_user(node, HOST_ACTOR, username=username)
    node.store.dispose()
    out.print(f"user {username} disabled; its tokens are revoked")


def serve(
    host: Annotated[str | None, typer.Option(help="Listen address (default from config).")] = None,
    port: Annotated[
        int | None, typer.Option(min=1, max=65535, help="Listen port (default from config).")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers", min=1, max=64, help="Server processes (default: setting 'workers', 1)."
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Proxies whose X-Forwarded-For/-Proto are trusted, comma-separated addresses "
            "or networks, '*' for any (default: setting, 127.0.0.1).",
        ),
    ] = None,
    ssl_certfile: Annotated[
        Path | None, typer.Option("--ssl-certfile", help="TLS certificate (PEM) to serve.")
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option("--ssl-keyfile", help="TLS private key of --ssl-certfile.")
    ] = None,
    worker: Annotated[
        bool | None,
        typer.Option(
            "--worker/--no-worker",
            help="Run the delivery worker in each server process (default: setting, yes); "
            "--no-worker when 'originlink worker' runs apart.",
        ),
    ] = None,
    home: HomeOption = None,
) -> None:
    """Run the node's HTTP server (back office, gateway API, public verification, health,
    metrics) and its background workers until interrupted: the application factory
    originlink.api.asgi:create_app in one or several processes. A port in use: one line,
    exit 2."""
    import uvicorn

    config = load_config(home)
    ops = config.ops
    certfile = ssl_certfile or ops.ssl_certfile
    keyfile = ssl_keyfile or ops.ssl_keyfile
    if (certfile is None) != (keyfile is None):
        raise typer.BadParameter(
            "give both --ssl-certfile and --ssl-keyfile, or neither (TLS at a proxy)",
            param_hint="--ssl-certfile/--ssl-keyfile",
        )
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        if path is not None and not path.is_file():
            raise typer.BadParameter(f"{path}: no such file", param_hint=option)
    count = workers or ops.workers
    # each server process builds the node again from the same home and settings
    hand_down(home=str(config.home.resolve()))
    if worker is not None:
        hand_down(serve_worker="true" if worker else "false")
    listen_port = port or config.port
    listen(host or config.host, listen_port).close()  # a port in use: one line, exit 2
    set_metrics_dir(_fresh_metrics_dir(config.home, listen_port) if count > 1 else None)
    uvicorn.run(
        "originlink.api.asgi:create_app",
        factory=True,
        host=host or config.host,
        port=listen_port,
        workers=count,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips or ops.forwarded_allow_ips,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        log_config=None,
        access_log=False,
    )


def _fresh_metrics_dir(home: Path, port: int) -> Path:
    """``<home>/run/metrics-<host>-<port>``, emptied: prometheus-client's multiprocess files
    of this instance's processes (instances sharing a home, on one machine or in several
    containers, each have their own)."""
    folder = home / "run" / f"metrics-{socket.gethostname()}-{port}"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stale in folder.glob("*.db"):
        stale.unlink()
    return folder


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(node_app, name="node")
    register_user_commands(users_app)
    app.add_typer(users_app, name="users")
