"""``/api/v1/clock``: what the node's clock says — on a training node, the simulated time and
how far it is ahead of the real time (moved with ``originlink clock``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from originlink.api.deps import ActorDep, NodeDep
from originlink.services.node import clock as clock_service

router = APIRouter(prefix="/clock", tags=["clock"])


@router.get("", summary="The node's clock")
def clock(node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """`mode` (`real` or `simulated`) and `now`; a simulated clock also gives `real_now`,
    `offset_seconds`, `moves` and `moved_at`. Any signed-in user may read it."""
    del actor  # signed in is enough
    return clock_service.clock_status(node)
