"""api/asgi.py and ``originlink serve``: the application factory from the node's home, several
server processes, proxy headers trusted only from the named addresses, TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from originlink.api.asgi import create_app
from tests.production.support import cli, start_serve, stop, two_homes, wait_live


def test_the_factory_builds_the_node_named_by_originlink_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sg, _ = two_homes(tmp_path)
    monkeypatch.setenv("ORIGINLINK_HOME", str(sg.home))
    monkeypatch.setenv("ORIGINLINK_SERVE_WORKER", "false")
    with TestClient(create_app()) as client:
        live = client.get("/health/live")
        assert live.status_code == 200
        assert live.json()["participant"] == "SG-CUSTOMS"
        assert live.headers["x-request-id"]


@pytest.mark.slow
def test_serve_runs_several_processes_whose_metrics_add_up(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    process, port = start_serve(sg.home, "--workers", "2")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_live(url, process)
        for _ in range(30):
            httpx.get(url + "/health/live", timeout=5)
        (metrics_dir,) = (sg.home / "run").glob(f"metrics-*-{port}")
        deadline = 50
        pids: set[str] = set()
        for _ in range(deadline):
            pids = {p.name.split("_")[-1] for p in metrics_dir.glob("counter_*.db")}
            if len(pids) >= 2:
                break
            httpx.get(url + "/health/live", timeout=5)
        assert len(pids) == 2, pids  # two server processes wrote counters
        text = httpx.get(url + "/metrics", timeout=10).text
        lines = [
            line
            for line in text.splitlines()
            if line.startswith("originlink_http_requests_total{") and 'route="/health/live"' in line
        ]
        total = sum(float(line.rsplit(" ", 1)[1]) for line in lines)
        assert total >= 31  # every process's requests, whichever process answered
    finally:
        stop(process)


@pytest.mark.slow
def test_forwarded_headers_are_trusted_only_from_the_named_proxies(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    trusted, port = start_serve(sg.home, "--forwarded-allow-ips", "127.0.0.1", "--no-worker")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_live(url, trusted)
        spoofed = {"X-Forwarded-For": "203.0.113.9"}
        # from a trusted proxy the client is the forwarded address: not allowed to read metrics
        assert httpx.get(url + "/metrics", headers=spoofed).status_code == 403
        assert httpx.get(url + "/metrics").status_code == 200
    finally:
        stop(trusted)
    untrusted, port = start_serve(sg.home, "--forwarded-allow-ips", "10.9.9.9", "--no-worker")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_live(url, untrusted)
        # the header of a caller that is not a named proxy is ignored
        assert httpx.get(url + "/metrics", headers=spoofed).status_code == 200
    finally:
        stop(untrusted)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.mark.slow
def test_serve_speaks_tls_with_the_given_certificate(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    cert, key = _self_signed(tmp_path)
    process, port = start_serve(
        sg.home, "--ssl-certfile", str(cert), "--ssl-keyfile", str(key), "--no-worker"
    )
    url = f"https://127.0.0.1:{port}"
    try:
        context = ssl.create_default_context(cafile=str(cert))
        wait_live(url, process, verify=context)
        answer = httpx.get(url + "/health/live", verify=context)
        assert answer.status_code == 200
    finally:
        stop(process)


def test_serve_refuses_a_certificate_without_its_key(tmp_path: Path) -> None:
    sg, _ = two_homes(tmp_path)
    cert, _key = _self_signed(tmp_path)
    done = cli("serve", "--home", str(sg.home), "--ssl-certfile", str(cert))
    assert done.returncode == 2
    assert "--ssl-certfile" in done.stderr and "--ssl-keyfile" in done.stderr
    assert "Traceback" not in done.stderr
