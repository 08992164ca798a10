"""Real node homes (keys, trust lists, node.toml) for the production tests, on SQLite or on a
PostgreSQL schema of their own."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from originlink.demo.network import DemoNode, free_port, partner, set_up


def two_homes(root: Path, database_url: str | None = None) -> tuple[DemoNode, DemoNode]:
    """SG (issuing) and JP (customs), partners of each other; SG on ``database_url``."""
    sg = DemoNode(
        "SG-CUSTOMS", "Singapore Customs", "SG", "issuing-authority", ("RCEP",), "UTC", root / "sg"
    )
    jp = DemoNode("JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "UTC", root / "jp")
    set_up(root, [sg, jp])
    if database_url is not None:
        use_database(sg.home, database_url)
    partner(sg, jp)
    partner(jp, sg)
    return sg, jp


def use_database(home: Path, url: str) -> None:
    toml = home / "node.toml"
    toml.write_text(toml.read_text("utf-8") + f'\n[database]\nurl = "{url}"\n', "utf-8")


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "originlink", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def start_serve(
    home: Path, *args: str, port: int | None = None, log: Path | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    port = port or free_port()
    out = (log or home / "serve.log").open("ab")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "originlink",
            "serve",
            "--home",
            str(home),
            "--port",
            str(port),
            *args,
        ],
        stdout=out,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    return process, port


def wait_live(
    url: str, process: subprocess.Popen[bytes], timeout: float = 120.0, **kwargs: object
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url + "/health/live", timeout=1.0, **kwargs).status_code == 200:  # type: ignore[arg-type]
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def issue_on(home: DemoNode, count: int = 1) -> list[str]:
    """Issue ``count`` COs on the node in ``home`` (in this process); their ids."""
    from originlink.domain.authz import SYSTEM_ACTOR, Actor, Role
    from originlink.services.issuing import applications as apps
    from originlink.services.issuing import issuance
    from originlink.services.node import users
    from originlink.testing.factories import fresh_application

    node = home.open()
    try:
        with node.store.read() as tx:
            exporter_record = tx.users.by_username("exporter")
            officer_record = tx.users.by_username("officer")
        if exporter_record is None:
            exporter_record = users.add_user(
                node,
                SYSTEM_ACTOR,
                username="exporter",
                role="exporter",
                organisation="SG-UEN-201912345K",
            )
        if officer_record is None:
            officer_record = users.add_user(
                node, SYSTEM_ACTOR, username="officer", role="issuing_officer"
            )
        exporter = Actor(exporter_record.id, "exporter", Role.EXPORTER, "SG-UEN-201912345K")
        officer = Actor(officer_record.id, "officer", Role.ISSUING_OFFICER)
        ids = []
        for _ in range(count):
            draft = apps.create_application(node, exporter, fresh_application(node.now()))
            apps.submit_application(node, exporter, draft.id)
            ids.append(issuance.issue_application(node, officer, draft.id).certificate.id)
        return ids
    finally:
        node.store.dispose()
