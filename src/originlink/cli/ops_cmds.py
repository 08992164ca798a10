"""Operating a node: ``retention run``, ``evidence``, ``backup`` and ``restore``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from originlink.cli.common import HomeOption, JsonOption, open_node
from originlink.cli.io import dump_json, read_json_file
from originlink.domain.authz import SYSTEM_ACTOR
from originlink.domain.clock import SystemClock
from originlink.domain.errors import InputError
from originlink.node_config import load_config
from originlink.services.node import evidence as evidence_service
from originlink.services.node import retention as retention_service
from originlink.store import backup as backup_store
from originlink.trust.trustlist import TrustStore

retention_app = typer.Typer(help="Apply the agreements' record-keeping periods.")
out = Console(highlight=False, soft_wrap=True)

#: Largest evidence bundle 'evidence verify' reads.
MAX_BUNDLE_BYTES = 512 * 1024 * 1024


class ArchiveFile:
    """One JSON line per retired CO in ``<archive>/retention-<time>.jsonl`` (0600), each line
    flushed to disk before the CO's removal commits."""

    def __init__(self, folder: Path, stamp: str) -> None:
        self.folder = folder
        self.path = folder / f"retention-{stamp}.jsonl"

    def __call__(self, bundle: dict[str, Any]) -> str:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        line = json.dumps(bundle, ensure_ascii=False, separators=(",", ":")) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        return self.path.name


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what would be archived and removed.")
    ] = False,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """Archive and remove every CO whose agreement's record-keeping period is over (with what
    concerns it), with an audit record each; COs still in use wait for the next run."""
    config, node = open_node(home)
    stamp = SystemClock().now().strftime("%Y%m%dT%H%M%SZ")
    archive = ArchiveFile(config.ops.archive_dir or config.home / "archive", stamp)
    try:
        report = retention_service.run(node, SYSTEM_ACTOR, archive=archive, dry_run=dry_run)
    finally:
        node.store.dispose()
    if as_json:
        typer.echo(dump_json(report.as_dict()))
        return
    verb = "would remove" if dry_run else "removed"
    out.print(f"retention: {verb} {len(report.removed)} CO(s); {report.within_period} within")
    for entry in report.removed:
        out.print(
            f"  {entry['number']} ({entry['agreement']}, {entry['years']} years, "
            f"expired {entry['expired_on']})" + (f" -> {entry['archive']}" if not dry_run else "")
        )
    for entry in report.kept_in_use:
        out.print(f"  kept {entry['number']}: {entry['reason']}")
    if report.removed and not dry_run:
        out.print(f"archive: {archive.path}")


def evidence(
    target: Annotated[str, typer.Argument(help="A CO's id, or 'verify'.", metavar="CO_ID|verify")],
    bundle_file: Annotated[
        Path | None, typer.Argument(help="With 'verify': the bundle to check.", metavar="[FILE]")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Where to write the bundle (JSON).")
    ] = None,
    home: HomeOption = None,
    as_json: JsonOption = False,
) -> None:
    """'evidence CO_ID --out FILE' writes one signed bundle with everything about the CO;
    'evidence verify FILE' checks a bundle offline (with --home: the signers against that
    node's trust lists). Exit 1 when a check fails."""
    if target == "verify":
        if bundle_file is None:
            raise typer.BadParameter("give the bundle: evidence verify FILE", param_hint="FILE")
        _verify(bundle_file, home, as_json=as_json)
        return
    if out_file is None:
        raise typer.BadParameter("say where to write the bundle", param_hint="--out")
    if bundle_file is not None:
        raise typer.BadParameter("one CO id only; the bundle goes to --out", param_hint="FILE")
    _, node = open_node(home)
    try:
        bundle = evidence_service.build(node, SYSTEM_ACTOR, target)
    finally:
        node.store.dispose()
    data = json.dumps(bundle, ensure_ascii=False, indent=1) + "\n"
    fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(data)
    content = bundle["content"]
    out.print(
        f"evidence of {content['certificate']['number']}: {len(content['messages_sent'])} sent "
        f"and {len(content['messages_received'])} received message(s), "
        f"{len(content['claims'])} claim(s), {len(content['verification_cases'])} case(s), "
        f"{len(content['audit'])} audit record(s) -> {out_file}"
    )


def _verify(path: Path, home: Path | None, *, as_json: bool) -> None:
    bundle = read_json_file(path, max_bytes=MAX_BUNDLE_BYTES)
    trust = None
    if home is not None:
        config = load_config(home)
        trust = TrustStore.open(config.home / "trust", clock=SystemClock())
    report = evidence_service.verify_bundle(bundle, trust=trust)
    if as_json:
        typer.echo(dump_json(report.as_dict()))
    else:
        for name, result in report.checks.items():
            out.print(f"  {name:<22} {result}")
        out.print("bundle verified" if report.ok else "bundle NOT verified")
    if not report.ok:
        raise typer.Exit(1)


def backup(
    out_file: Annotated[Path, typer.Option("--out", help="The backup file to write.")],
    home: HomeOption = None,
) -> None:
    """A consistent copy of the node's database while it runs (SQLite: the online backup API;
    PostgreSQL: pg_dump in its custom format). Keys and trust/ are files: copy the home."""
    config = load_config(home)
    if out_file.exists() and out_file.is_dir():
        raise InputError(f"{out_file} is a directory; give a file name")
    method = backup_store.backup(config.database_url, out_file)
    out.print(f"backup of {config.identity.participant_id} written to {out_file} ({method})")


def restore(
    backup_file: Annotated[Path, typer.Argument(help="A file 'originlink backup' wrote.")],
    home: HomeOption = None,
) -> None:
    """Replace the node's database with a backup (stop the node's servers and workers first)."""
    config = load_config(home)
    method = backup_store.restore(config.database_url, backup_file)
    out.print(f"{config.identity.participant_id} restored from {backup_file} ({method})")


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")
    app.command("evidence")(evidence)
    app.command("backup")(backup)
    app.command("restore")(restore)
