"""Dependencies shared by the routers: the node, the acting user, pagination, JSON bodies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request

from originlink.domain.authz import Actor
from originlink.domain.errors import AuthenticationRequired, InputError
from originlink.domain.safejson import loads_bounded
from originlink.services.context import Node
from originlink.services.node.users import authenticate

#: Bounds of every parameter (issue 17): a number past any real table or sequence is refused
#: with 422 before it reaches the database (2^63 as an offset was a 500 on SQLite).
MAX_COUNT = 2**31 - 1
#: Ids (UUIDs, message ids, user names) and short codes in paths and queries.
MAX_ID = 128
MAX_CODE = 64

#: An id in a path: a record's UUID, a message id, a participant, a user name.
IdPath = Annotated[str, Path(min_length=1, max_length=MAX_ID, description="Id.")]
#: A CO's issuing country and number in a path (public verification, partner pull).
CountryPath = Annotated[
    str, Path(min_length=1, max_length=8, description="Issuing country, ISO 3166-1 alpha-2.")
]
NumberPath = Annotated[str, Path(min_length=1, max_length=MAX_CODE, description="CO number.")]
#: A sequence number in a path (a review, an audit record).
SeqPath = Annotated[int, Path(ge=1, le=MAX_COUNT, description="Sequence number.")]


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
    offset: Annotated[
        int, Query(ge=0, le=MAX_COUNT, description="Items to skip (0-2147483647).")
    ] = 0,
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
