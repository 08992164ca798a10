"""A hub's HTTP API: the same ``/g2g/v1/messages`` as a gateway (routing instead of applying),
and ``/hub/v1/tracking/{message_id}``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from originlink.api.g2g_gate import BODY_RESPONSES, GATE_RESPONSES
from originlink.services.context import Node
from originlink.services.messaging import hub as hub_service

router = APIRouter(tags=["hub"])


async def _dispatch(request: Request) -> Response:
    node: Node = request.app.state.node
    body = await request.body()
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
    answer = await run_in_threadpool(
        hub_service.dispatch, node, request.method, str(request.url), headers, body
    )
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.headers.get("content-type", "application/json"),
    )


@router.post(
    "/g2g/v1/messages",
    summary="Hand a message to the hub",
    responses={**GATE_RESPONSES, **BODY_RESPONSES},
)
async def post_message(request: Request) -> Response:
    """A participant hands over `{"envelope", "payload"}` for another participant; the answer
    is the hub's signed receipt (`HUB_ACCEPTED`). The final recipient's receipt follows as a
    `receipt` message."""
    return await _dispatch(request)


@router.get(
    "/g2g/v1/messages",
    summary="Read a participant's mailbox at the hub",
    responses=GATE_RESPONSES,
)
async def get_messages(request: Request) -> Response:
    """Messages waiting at the hub for the calling participant, after `cursor`."""
    return await _dispatch(request)


@router.get("/hub/v1/tracking/{message_id}", summary="Where a message is")
async def get_tracking(message_id: str, request: Request) -> Response:
    """RECEIVED, FORWARDING, DELIVERED, FETCHED or DEAD, for the sender or the recipient."""
    return await _dispatch(request)
