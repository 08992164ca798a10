"""``/api/v1/users``: user administration (role ``admin``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from originlink.api.deps import ActorDep, IdPath, NodeDep, PageDep
from originlink.services.node import users as user_service

router = APIRouter(prefix="/users", tags=["users"])


class NewUser(BaseModel):
    """A user to create. Exporters must name their organisation."""

    username: str = Field(
        min_length=1,
        max_length=64,
        description="Login name: 1-64 letters, digits, '.', '_', '-', '@'.",
    )
    role: str = Field(
        min_length=1, max_length=32, description="admin (the others are added on the host)."
    )
    display_name: str | None = Field(
        default=None, max_length=256, description="Name shown in the audit log."
    )
    organisation: str | None = Field(
        default=None,
        max_length=64,
        description="The exporter's company identifier; ownership follows it.",
    )


class NewToken(BaseModel):
    label: str | None = Field(default=None, max_length=128, description="What the token is for.")
    valid_days: int | None = Field(default=None, ge=1, le=3650, description="Lifetime in days.")


@router.get("", summary="List users")
def list_users(node: NodeDep, actor: ActorDep, page: PageDep) -> dict[str, Any]:
    """Users of this node, by user name. Admin only."""
    records, total = user_service.list_users(node, actor, limit=page.limit, offset=page.offset)
    return page.envelope([r.as_dict() for r in records], total)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a user")
def create_user(body: NewUser, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Create an administrator (admin only; recorded in the audit chain). Issuing officers,
    customs officers and exporters are added on the node's host with `originlink users add`
    (separation of duties): 403 here."""
    record = user_service.add_user(
        node,
        actor,
        username=body.username,
        role=body.role,
        display_name=body.display_name,
        organisation=body.organisation,
    )
    return record.as_dict()


@router.post(
    "/{username}/tokens", status_code=status.HTTP_201_CREATED, summary="Issue an API token"
)
def create_token(
    username: IdPath, body: NewToken, node: NodeDep, actor: ActorDep
) -> dict[str, Any]:
    """Issue a bearer token for the calling user itself (403 for anyone else's: another user's
    token is made only on the host, `originlink users token NAME`). Returned once, stored
    only hashed."""
    token = user_service.create_token(
        node, actor, username=username, label=body.label, valid_days=body.valid_days
    )
    return {"username": username, "token": token}


@router.post("/{username}/disable", summary="Disable a user")
def disable_user(username: IdPath, node: NodeDep, actor: ActorDep) -> dict[str, Any]:
    """Disable the user and revoke all its tokens at once."""
    record = user_service.disable_user(node, actor, username=username)
    return {**record.as_dict(), "disabled": True}
