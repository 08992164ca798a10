"""What the demo prints and how it talks to its gateways: a trace of steps with their timings
(a failed step says what it did not see), a back-office API client holding one user's token,
and waiting for something to happen with a timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2
from rich.console import Console
from rich.text import Text

from originlink.demo.network import DemoNode
from originlink.terminal import progress_bar


class DemoFailed(Exception):
    """A demo step did not see what it expected."""


@dataclass
class Trace:
    console: Console
    started: float = field(default_factory=time.perf_counter)
    ok: bool = True

    @contextmanager
    def step(self, title: str) -> Iterator[list[str]]:
        notes: list[str] = []
        began = time.perf_counter()
        try:
            # a live bar on the trace's own console while the step runs (what the step prints
            # goes above it); nothing when the output is not a terminal
            with progress_bar(title, total=None, console=self.console):
                yield notes
        except (DemoFailed, httpx2.HTTPError) as exc:
            self.ok = False
            self.console.print(Text(f"  ✘ {title}: {exc}", style="bold red"))
            raise
        elapsed = (time.perf_counter() - began) * 1000
        line = Text("  ✔ ", style="green")
        line.append(title, style="bold")
        line.append(f"  ({elapsed:,.0f} ms)", style="dim")
        self.console.print(line)
        for note in notes:
            self.console.print(Text(f"      {note}"))


@dataclass
class Api:
    """A gateway's back-office API with one user's token."""

    node: DemoNode
    token: str

    def _client(self) -> httpx2.Client:
        return httpx2.Client(
            base_url=self.node.url, timeout=30, headers={"Authorization": f"Bearer {self.token}"}
        )

    def get(self, path: str) -> Any:
        with self._client() as client:
            answer = client.get(path)
            answer.raise_for_status()
            return answer.json()

    def post(self, path: str, body: Any = None) -> Any:
        with self._client() as client:
            answer = client.post(path, json=body)
            if answer.status_code >= 400:
                raise DemoFailed(f"POST {path}: {answer.status_code} {answer.text[:300]}")
            return answer.json()

    def raw(self, path: str) -> bytes:
        with self._client() as client:
            answer = client.get(path)
            answer.raise_for_status()
            return answer.content


def wait_for(what: str, check: Callable[[], bool], timeout: float = 60.0) -> float:
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        if check():
            return (time.perf_counter() - began) * 1000
        time.sleep(0.1)
    raise DemoFailed(f"timed out waiting for {what}")
