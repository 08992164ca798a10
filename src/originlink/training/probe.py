"""Reading the training nodes' own state through their back-office API.

Every check of a lesson step asks the nodes themselves — the issuing authority's applications
and outbox, the importing customs' received certificates and claims — with the sandbox
checker's token (an administrator of each node, who may read but not issue, cancel or decide).
Nothing the learner types is taken for an answer.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx2

from originlink.domain.errors import ConfigurationError, PartnerUnavailable
from originlink.training.manifest import Manifest
from originlink.trust.trustlist import TrustStore

_TIMEOUT = 15.0


class NetworkView:
    """What each node says, read with the checker's token."""

    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest

    def get(self, key: str, path: str, **params: Any) -> Any:
        node = self.manifest.node(key)
        query = {k: _param(v) for k, v in params.items() if v is not None}
        try:
            answer = httpx2.get(
                node.url + path,
                params=query,
                headers={"Authorization": f"Bearer {node.checker_token}"},
                timeout=_TIMEOUT,
            )
        except httpx2.TransportError as exc:
            raise PartnerUnavailable(
                f"{node.participant} at {node.url} does not answer ({exc}): is the sandbox running?"
            ) from None
        if answer.status_code >= 400:
            raise ConfigurationError(
                f"{node.participant} answered {answer.status_code} to GET {path}: "
                f"{answer.text[:200]}"
            )
        return answer.json()

    def items(self, key: str, path: str, **params: Any) -> list[dict[str, Any]]:
        page = self.get(key, path, limit=500, **params)
        return list(page.get("items", []))

    def now(self) -> datetime:
        """The network's (simulated, shared) time, as the desk node's clock says."""
        return datetime.fromisoformat(self.get(self.manifest.desk, "/api/v1/clock")["now"])

    def trust_list_sequence(self, key: str, participant: str) -> int | None:
        """The sequence of ``participant``'s trust list as ``key``'s node holds it on disk (the
        trust store every process of that node opens)."""
        home = Path(self.manifest.node(key).home)
        store = TrustStore.open(home / "trust")
        held = store.participant(participant)
        return held.sequence if held is not None else None

    def published_sequence(self, key: str) -> int | None:
        """The sequence of the trust list ``key``'s node publishes about itself."""
        node = self.manifest.node(key)
        store = TrustStore.open(Path(node.home) / "trust")
        own = store.participant(node.participant)
        return own.sequence if own is not None else None


def _param(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
