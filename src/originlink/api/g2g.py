"""The gateway-to-gateway API under ``/g2g/v1`` (partners only; every request is signed with
HTTP Message Signatures, RFC 9421, by the calling gateway's key from its trust list)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from originlink.api.g2g_gate import BODY_RESPONSES, GATE_RESPONSES
from originlink.domain.errors import NotFound, RequestNotAuthenticated, TrustError
from originlink.services.context import Node
from originlink.services.messaging import inbound
from originlink.services.messaging import pull_serving as pull_service
from originlink.services.messaging.dispatch import caller_of
from originlink.services.node import connection

router = APIRouter(prefix="/g2g/v1", tags=["gateway-to-gateway"])


def _headers(request: Request) -> list[tuple[str, str]]:
    return [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]


def _caller(node: Node, request: Request, body: bytes) -> str:
    try:
        return caller_of(node, request.method, str(request.url), _headers(request), body)
    except TrustError as exc:
        raise RequestNotAuthenticated(exc.detail, code=exc.code) from None


@router.post(
    "/messages",
    summary="Deliver a message",
    responses={
        200: {"description": "Signed receipt (DELIVERED, DELIVERED_WITH_WARNINGS or DUPLICATE)"},
        401: {
            "description": "Signed NOT_READABLE receipt: request or envelope "
            "signature not valid, unknown key, replay"
        },
        403: {
            "description": "Signed NOT_READABLE receipt: unknown sender, relay not "
            "allowed, agreement not shared"
        },
        422: {"description": "Signed NOT_READABLE receipt: payload not acceptable"},
        **GATE_RESPONSES,
        **BODY_RESPONSES,
    },
)
async def post_message(request: Request) -> Response:
    """A partner delivers one message `{"envelope": {...}, "payload": "<base64>"}`. The answer
    is this node's signed receipt at once (same shape, `message_type` `receipt`); a duplicate
    gets the first receipt again and causes nothing. The business response follows as its
    own message."""
    node: Node = request.app.state.node
    body = await _bounded_body(request)
    remote = request.client.host if request.client else None
    answer = await run_in_threadpool(
        inbound.receive,
        node,
        method=request.method,
        url=str(request.url),
        headers=_headers(request),
        body=body,
        remote=remote,
    )
    return Response(answer.body, status_code=answer.status, media_type=answer.content_type)


async def _bounded_body(request: Request) -> bytes:
    """The body, already bounded by the gate (``api/g2g_gate.py``) at the node's
    ``max_message_bytes``, read into one buffer."""
    node: Node = request.app.state.node
    limit = node.settings.max_message_bytes
    buffer = bytearray()
    async for chunk in request.stream():
        buffer += chunk
        if len(buffer) > limit:  # only without the gate (an embedding application)
            break
    return bytes(buffer)


@router.get("/messages", summary="Read this partner's mailbox", responses=GATE_RESPONSES)
def get_messages(
    request: Request,
    cursor: Annotated[int, Query(ge=0, description="The last cursor already read.")] = 0,
    limit: Annotated[int, Query(ge=1, le=100, description="At most this many.")] = 100,
) -> dict[str, Any]:
    """Messages waiting for the calling partner (pull model and hub mailboxes), each with its
    cursor; read again from `next_cursor`. Each message is acknowledged by a `receipt` message
    once processed."""
    node: Node = request.app.state.node
    caller = _caller(node, request, b"")
    return pull_service.serve_mailbox(node, caller, cursor=cursor, limit=limit)


@router.get(
    "/certificates/{issuing_country}/{number:path}",
    summary="Pull one certificate",
    responses=GATE_RESPONSES,
)
def get_certificate(issuing_country: str, number: str, request: Request) -> Response:
    """The CO as a signed `co.issued` message, only for the importing party of that CO under
    an agreement both share (pull and hybrid models)."""
    node: Node = request.app.state.node
    caller = _caller(node, request, b"")
    message = pull_service.serve_certificate(
        node, caller, issuing_country=issuing_country, number=number
    )
    return Response(message.to_bytes(), media_type="application/json")


@router.get("/ping", summary="Who answers, for an authenticated partner", responses=GATE_RESPONSES)
def get_ping(request: Request) -> dict[str, Any]:
    """The answering node (participant, name, country, version), the caller as authenticated
    and whether the caller is set up as a partner here: the administrator's "test connection".
    Changes nothing."""
    node: Node = request.app.state.node
    caller = _caller(node, request, b"")
    return connection.ping(node, caller)


@router.get("/trustlist", summary="This node's signed trust list", responses=GATE_RESPONSES)
def get_trustlist(request: Request) -> Response:
    """The node's own signed trust list (P12), as partners import it. No signature needed."""
    node: Node = request.app.state.node
    signed = node.require_trust().signed_form(node.identity.participant_id)
    if signed is None:
        raise NotFound(
            "this node has not exported its trust list yet ('originlink trustlist export')"
        )
    return Response(signed, media_type="application/json")
