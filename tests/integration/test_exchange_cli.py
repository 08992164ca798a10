"""The exchange commands on a node home (``cli/exchange_cmds.py``): ``partners add`` tests the
endpoint (the README's ``/g2g`` form accepted, a wrong one refused naming what answered),
``messages resend`` says how often the message had been sent, ``reconcile`` prints its groups."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from originlink.bootstrap import build_node
from originlink.cli.main import run
from originlink.domain.messages import MessageType
from originlink.node_config import load_config
from originlink.services.messaging.sending import send_message


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], home: Path) -> None:
        self.capsys = capsys
        self.home = home

    def __call__(self, *args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exit_:
            run([*args, "--home", str(self.home)])
        out, err = self.capsys.readouterr()
        return int(exit_.value.code or 0), out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out


def _server(status: int, content_type: str, body: bytes) -> Iterator[str]:
    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def wrong_site() -> Iterator[str]:
    """A web server where no G2G API is: every path a 404 page."""
    yield from _server(404, "text/html", b"<h1>Not Found</h1>")


@pytest.fixture
def gateway() -> Iterator[str]:
    """What a G2G gateway that does not know this node's key yet answers."""
    yield from _server(401, "application/problem+json", b'{"code": "HTTPSIG_UNKNOWN_KEY"}')


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    """JP's node with its key, and SG's trust list (reached at ``sg.json``) imported."""
    cli = Cli(capsys, tmp_path / "jp")
    cli.ok(
        "node", "init", "--participant", "JP-CUSTOMS", "--name", "Japan Customs",
        "--country", "JP", "--agreements", "RCEP",
    )  # fmt: skip
    cli.ok("ca", "init", "--name", "Test Root")
    for participant, country in (("JP-CUSTOMS", "JP"), ("SG-CUSTOMS", "SG")):
        cli.ok(
            "keys", "init", "--participant", participant, "--country", country,
            "--role", "issuing-authority",
        )  # fmt: skip
    cli.ok(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--agreement", "RCEP",
        "--endpoint", "g2g=https://gw.sg.example/g2g", "--out", str(tmp_path / "sg.json"),
    )  # fmt: skip
    return cli


def test_a_wrong_endpoint_is_refused_at_partners_add_naming_what_answered(
    cli: Cli, wrong_site: str
) -> None:
    code, _, err = cli(
        "partners", "add", "--participant", "SG-CUSTOMS", "--model", "push",
        "--endpoint", wrong_site + "/g2g",
    )  # fmt: skip
    assert code == 1, err
    assert err.strip() == (
        f"error: CONFLICT at endpoint: {wrong_site} is not SG-CUSTOMS's G2G endpoint: the "
        f"connection test GET {wrong_site}/g2g/v1/messages?limit=1 was answered HTTP 404 "
        "(text/html); give the gateway's base URL or its /g2g form (https://host/g2g), or add "
        "--no-check to add it untested"
    )
    assert json.loads(cli.ok("partners", "list", "--json")) == []
    out = cli.ok(
        "partners", "add", "--participant", "SG-CUSTOMS", "--model", "push",
        "--endpoint", wrong_site + "/g2g", "--no-check", "--json",
    )  # fmt: skip
    assert json.loads(out)["connection"] is None


def test_the_readmes_g2g_form_is_accepted_when_a_gateway_answers(cli: Cli, gateway: str) -> None:
    out = cli.ok(
        "partners", "add", "--participant", "SG-CUSTOMS", "--model", "push",
        "--endpoint", gateway + "/g2g",
    )  # fmt: skip
    assert (
        f"a G2G gateway answered the connection test (GET {gateway}/g2g/v1/messages?limit=1: "
        "401 HTTPSIG_UNKNOWN_KEY): it does not accept this node yet; send SG-CUSTOMS this "
        "node's trust list"
    ) in out
    assert f"RCEP, {gateway}" in out
    listed = json.loads(cli.ok("partners", "list", "--json"))
    assert [p["endpoint"] for p in listed] == [gateway]


def test_resend_says_how_often_it_was_sent_and_reconcile_what_awaits_an_answer(
    cli: Cli,
) -> None:
    cli.ok(
        "partners", "add", "--participant", "SG-CUSTOMS", "--model", "push", "--no-check",
    )  # fmt: skip
    node = build_node(load_config(cli.home))
    try:
        ids = []
        for kind in (MessageType.CO_STATUS, MessageType.CO_ISSUED):
            with node.store.transaction() as tx:
                wire = send_message(
                    tx, node, recipient="SG-CUSTOMS", message_type=kind,
                    payload={"n": 1}, agreement="RCEP",
                )  # fmt: skip
            ids.append(str(wire.envelope.message_id))
        with node.store.transaction() as tx:
            tx.outbox.update(ids[0], status="DELIVERED", attempts=1)
            tx.outbox.update(ids[1], status="REJECTED", attempts=1)
    finally:
        node.store.dispose()
    report = cli.ok("reconcile", "SG-CUSTOMS", "--no-ids")
    assert "sent 2: pending 0, awaiting response 0, delivered 1, accepted 0, rejected 1" in report
    out = cli.ok("messages", "resend", ids[1])
    assert out.strip() == f"message {ids[1]} queued again (it was REJECTED after 1 attempt)"
