"""A real gateway process (``originlink serve``, uvicorn) under noise: 48 parallel unsigned 8 MB
posts raise its resident memory by less than 50 MB (they are refused from their headers, before
their bodies are read; before the gate they cost 287 MB), and a body announced larger than the
limit is answered 413 problem+json without the server waiting for a byte of it."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from originlink.demo.network import DemoNode, set_up

BODY = 8 * 1000 * 1000
PARALLEL = 48


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[DemoNode]:
    node = DemoNode(
        "JP-CUSTOMS", "Japan Customs", "JP", "customs", ("RCEP",), "UTC", tmp_path / "jp"
    )
    set_up(tmp_path, [node])
    # the rate per address is not what this test is about: every post must reach the key check
    node.start(env={"ORIGINLINK_G2G_ADDRESS_BURST": "10000"})
    yield node
    node.stop()


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _post(port: int, length: int, body_bytes: int) -> tuple[int, bytes]:
    """POST with ``Content-Length: length`` and send ``body_bytes`` of it (the server may
    answer and stop reading early); the status line and body of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = (
            f"POST /g2g/v1/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n"
        )
        sock.sendall(head.encode())
        chunk = b" " * (256 * 1024)
        sent = 0
        # the answer may come first and the server close: that is the point
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < body_bytes:
                sock.sendall(chunk[: body_bytes - sent])
                sent += len(chunk)
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, answer.partition(b"\r\n\r\n")[2]


def test_48_parallel_unsigned_8_mb_posts_raise_memory_by_less_than_50_mb(
    gateway: DemoNode,
) -> None:
    assert gateway.process is not None
    pid = gateway.process.pid
    for _ in range(3):  # warm up the code paths (imports, first database writes)
        assert _post(gateway.port, BODY, BODY)[0] == 401
    before = _rss_kib(pid)
    peak = before
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _rss_kib(pid))
            time.sleep(0.005)

    watcher = threading.Thread(target=watch)
    watcher.start()
    statuses: list[int] = []
    lock = threading.Lock()

    def one() -> None:
        status, _ = _post(gateway.port, BODY, BODY)
        with lock:
            statuses.append(status)

    posts = [threading.Thread(target=one) for _ in range(PARALLEL)]
    for t in posts:
        t.start()
    for t in posts:
        t.join(timeout=120)
    done.set()
    watcher.join()
    peak = max(peak, _rss_kib(pid))
    assert statuses == [401] * PARALLEL
    grew_mb = (peak - before) / 1024
    print(f"RSS {before / 1024:.1f} MB before, peak {peak / 1024:.1f} MB: +{grew_mb:.1f} MB")
    assert grew_mb < 50, f"the server's RSS grew by {grew_mb:.1f} MB"


def test_a_body_announced_too_large_is_refused_without_waiting_for_it(gateway: DemoNode) -> None:
    started = time.monotonic()
    status, body = _post(gateway.port, 13 * 1024 * 1024, 0)  # no byte of the body is sent
    assert time.monotonic() - started < 10
    assert status == 413
    problem = json.loads(body)
    assert problem["code"] == "INPUT_TOO_LARGE" and "12,582,912 bytes" in problem["detail"]
