"""Installing the hooks and handlers a running node needs, in one place (used by the
composition root and by test nodes alike)."""

from __future__ import annotations

from originlink.services import claims, handlers, outgoing, public_verification
from originlink.services.context import Node


def install(node: Node) -> Node:
    """Register inbound handlers, the outgoing-message hooks and the version-digest hooks."""
    assert handlers.REGISTERED_MODULES
    outgoing.install(node)
    public_verification.install(node)
    claims.install(node)  # post-clearance reviews, verification deadlines
    return node
