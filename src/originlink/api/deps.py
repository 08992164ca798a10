"""Dependencies shared by the routers: the node, the acting user, pagination, JSON bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from originlink.domain.authz import Actor
from originlink.domain.errors import AuthenticationRequired, InputError
from originlink.domain.safejson import loads_bounded
from originlink.services.context import Node
from originlink.services.node.users import authenticate


def get_node(request: Request) -> Node:
    node: Node = request.app.state.node
    return node


NodeDep = Annotated[Node, Depends(get_node)]


def get_actor(request: Request, node: NodeDep) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationRequired(
            "send an API token as 'Authorization: Bearer <token>' (see 'originlink users token')"
        )
    return authenticate(node, token.strip(), via=f"api:{request.method} {request.url.path}")


ActorDep = Annotated[Actor, Depends(get_actor)]


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int

    def envelope(self, items: list[Any], total: int) -> dict[str, Any]:
        next_offset = self.offset + len(items)
        return {
            "items": items,
            "total": total,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": next_offset if next_offset < total else None,
        }


def get_page(
    limit: Annotated[int, Query(ge=1, le=500, description="Items per page (1-500).")] = 50,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Page:
    return Page(limit, offset)


PageDep = Annotated[Page, Depends(get_page)]


async def json_body(request: Request) -> Any:
    """The request body parsed strictly (no duplicate keys, bounded depth); 400 otherwise."""
    node: Node = request.app.state.node
    data = await request.body()
    if not data:
        raise InputError("the request needs a JSON body")
    return loads_bounded(data, max_bytes=node.settings.max_document_bytes, what="request body")


JsonBody = Annotated[Any, Depends(json_body)]
