"""A network view answering from canned state, for the checks' and engine's tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from originlink.training.manifest import Manifest, SandboxNode
from originlink.training.probe import NetworkView

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def manifest() -> Manifest:
    nodes = {
        key: SandboxNode(
            key,
            pid,
            pid,
            key[:2],
            "hub" if key == "HUB" else "gateway",
            f"http://{key.lower()}:1",
            f"/h/{key}",
            "t",
        )
        for key, pid in (
            ("SG", "SG-CUSTOMS"),
            ("JP", "JP-CUSTOMS"),
            ("NZ", "NZ-CUSTOMS"),
            ("HUB", "APAC-HUB"),
        )
    }
    return Manifest("/r", "/r/clock.json", "SG", nodes)


class FakeView(NetworkView):
    """``answers[(key, path)]`` is what a GET returns (a list is a page of items)."""

    def __init__(self) -> None:
        super().__init__(manifest())
        self.answers: dict[tuple[str, str], Any] = {}
        self.sequences: dict[tuple[str, str], int | None] = {}
        self.published: dict[str, int | None] = {}
        self.clock = NOW
        self.asked: list[tuple[str, str, dict[str, Any]]] = []

    def get(self, key: str, path: str, **params: Any) -> Any:
        self.asked.append((key, path, params))
        answer = self.answers.get((key, path), [])
        return {"items": answer, "total": len(answer)} if isinstance(answer, list) else answer

    def now(self) -> datetime:
        return self.clock

    def trust_list_sequence(self, key: str, participant: str) -> int | None:
        return self.sequences.get((key, participant))

    def published_sequence(self, key: str) -> int | None:
        return self.published.get(key)


def application(reference: str, status: str, **more: Any) -> dict[str, Any]:
    return {
        "id": f"app-{reference}",
        "kind": more.pop("kind", "new"),
        "status": status,
        "certificate_id": more.pop("certificate_id", None),
        "content": {"certificate": {"application_reference": reference}},
        **more,
    }
