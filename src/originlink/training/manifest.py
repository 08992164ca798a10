"""The sandbox's manifest: which training nodes run where, their homes, the users made for each
role (with their passwords) and the checker's token on each node.

``originlink sandbox`` writes it (``sandbox.json`` in the sandbox's folder, readable by its owner
only); the lesson pages and the automatic player read it to reach every node's API.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from originlink.domain.errors import ConfigurationError

FILE_NAME = "sandbox.json"
_MAX_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class SandboxNode:
    """One training node: ``key`` is how lessons name it (SG, JP, NZ, HUB)."""

    key: str
    participant: str
    name: str
    country: str
    role: str
    url: str
    home: str
    checker_token: str


@dataclass(frozen=True, slots=True)
class SandboxUser:
    """A user made on a node (``node`` is the node's participant id)."""

    node: str
    username: str
    role: str
    password: str
    token: str
    organisation: str | None = None


@dataclass(frozen=True, slots=True)
class Manifest:
    root: str
    clock_file: str
    desk: str
    nodes: dict[str, SandboxNode]
    users: list[SandboxUser] = field(default_factory=list)

    def node(self, key: str) -> SandboxNode:
        try:
            return self.nodes[key]
        except KeyError:
            raise ConfigurationError(
                f"the sandbox has no node {key!r} (it has {', '.join(sorted(self.nodes))})"
            ) from None

    def by_participant(self, participant: str) -> SandboxNode | None:
        return next((n for n in self.nodes.values() if n.participant == participant), None)

    def user(self, node: str, role: str) -> SandboxUser:
        """The first user of ``role`` on the node whose participant id is ``node``."""
        for user in self.users:
            if user.node == node and user.role == role:
                return user
        raise ConfigurationError(f"the sandbox has no {role} user on {node}")

    def placeholders(self) -> dict[str, str]:
        """What lesson texts may name: ``{SG}`` a node's address, ``{SG_HOME}`` its home,
        ``{SG_ID}`` its participant id."""
        values: dict[str, str] = {}
        for key, node in self.nodes.items():
            values[key] = node.url
            values[f"{key}_HOME"] = node.home
            values[f"{key}_ID"] = node.participant
        return values

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    def save(self, folder: Path) -> Path:
        path = folder / FILE_NAME
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.as_json(), indent=2) + "\n", "utf-8")
        tmp.chmod(0o600)
        tmp.replace(path)
        return path

    @staticmethod
    def load(path: Path) -> Manifest:
        try:
            raw = json.loads(path.read_bytes()[:_MAX_BYTES])
            return Manifest(
                root=str(raw["root"]),
                clock_file=str(raw["clock_file"]),
                desk=str(raw["desk"]),
                nodes={k: SandboxNode(**v) for k, v in raw["nodes"].items()},
                users=[SandboxUser(**u) for u in raw.get("users", [])],
            )
        except FileNotFoundError:
            raise ConfigurationError(
                f"no sandbox manifest at {path}: start the sandbox with 'originlink sandbox'"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigurationError(f"the sandbox manifest {path} is unreadable: {exc}") from None
