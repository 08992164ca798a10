"""``originlink demo --serve`` as a person runs it: started as a process, it prints each node's
``/app/`` address and the demo users with their passwords, its nodes answer HTTP and a printed
user signs in with the printed password, and Ctrl-C (SIGINT) stops everything cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2

from tests.web_support import csrf_of


def _lines_until(process: subprocess.Popen[str], marker: str, timeout: float) -> list[str]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"no {marker!r} in the output: {lines}")


def test_demo_serve_prints_addresses_and_logins_answers_and_stops_on_sigint(
    tmp_path: Path,
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "originlink", "demo", "--serve", "--workdir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        lines = _lines_until(process, "Press Ctrl-C to stop.", timeout=120)
        text = "\n".join(lines)
        apps = dict(
            re.findall(r"^  (SG-CUSTOMS|JP-CUSTOMS) .* (http://127\.0\.0\.1:\d+)/app/$", text, re.M)
        )
        assert set(apps) == {"SG-CUSTOMS", "JP-CUSTOMS"}, text
        logins = re.findall(
            r"^  (SG-CUSTOMS|JP-CUSTOMS)\s+(\S+)\s+(\S+)\s+(\S+)\s+\S+/app/login$", text, re.M
        )
        assert {(n, u, r) for n, u, _, r in logins} == {
            ("SG-CUSTOMS", "acme", "exporter"),
            ("SG-CUSTOMS", "officer", "issuing_officer"),
            ("SG-CUSTOMS", "sg-admin", "admin"),
            ("JP-CUSTOMS", "customs", "customs_officer"),
            ("JP-CUSTOMS", "jp-admin", "admin"),
        }
        for base in apps.values():
            assert httpx2.get(base + "/health", timeout=5).json()["status"] == "ok"
        _, user, password, _ = next(x for x in logins if x[1] == "customs")
        with httpx2.Client(base_url=apps["JP-CUSTOMS"], timeout=10) as browser:
            form = browser.get("/app/login")
            assert form.status_code == 200
            # the cookies are Secure: browsers keep them on loopback, httpx only over HTTPS
            pre = "; ".join(f"{k}={v}" for k, v in form.cookies.items())
            answer = browser.post(
                "/app/login",
                data={"username": user, "password": password, "csrf_token": csrf_of(form.text)},
                headers={"Cookie": pre},
            )
            assert answer.status_code == 303, answer.text
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
        assert process.returncode == 0, rest
        assert "The demo network has stopped." in rest
        for base in apps.values():
            try:
                httpx2.get(base + "/health", timeout=2)
            except httpx2.TransportError:
                continue
            raise AssertionError(f"{base} still answers after Ctrl-C")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
