"""The FastAPI application of a node: back office under ``/api/v1``, health, and (added by
later modules) the gateway-to-gateway API and public verification."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from originlink import __version__
from originlink.api import problems
from originlink.api.backoffice import (
    applications,
    audit,
    certificate_pdf,
    certificates,
    clock,
    messages,
    users,
)
from originlink.api.backoffice import claims as claims_api
from originlink.api.backoffice import verification as verification_api
from originlink.api.g2g_gate import PREFIX as G2G_PREFIX
from originlink.api.g2g_gate import G2GGate
from originlink.api.limits import BodySizeLimit
from originlink.services.context import Node

DESCRIPTION = """
OriginLink node API.

* **Back office** (`/api/v1`): exporters create and submit applications for certificates of
  origin; issuing officers issue or refuse them and cancel, replace or copy certificates; customs
  officers read received certificates; administrators manage users and verify the audit chain.
  Authenticate with `Authorization: Bearer <token>` (tokens come from `originlink users token`).
* Errors are RFC 9457 `application/problem+json` documents with a stable `code`, a `detail`
  sentence and, for invalid documents, `errors`: one entry per finding with `path`, `code`,
  `level` and `message`.
* Lists are paginated with `limit` and `offset`; the response carries `total` and
  `next_offset`.
"""


def create_app(
    node: Node,
    *,
    extra_routers: Sequence[APIRouter] = (),
    on_startup: Sequence[Callable[[], Any]] = (),
    on_shutdown: Sequence[Callable[[], Any]] = (),
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for hook in on_startup:
            hook()
        try:
            yield
        finally:
            for hook in on_shutdown:
                hook()

    app = FastAPI(
        lifespan=lifespan,
        # /docs and /redoc are served with the node's own copies of their scripts
        # (originlink.web.docs, installed by the composition root), never from a CDN
        docs_url=None,
        redoc_url=None,
        title="OriginLink node",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "applications", "description": "CO applications (exporters, officers)."},
            {"name": "certificates", "description": "Issued and received certificates."},
            {"name": "users", "description": "Users and API tokens (administrators)."},
            {"name": "audit", "description": "The hash-chained audit log."},
            {
                "name": "messages",
                "description": "Delivery tracking, refused traffic, partners and reconciliation.",
            },
            {
                "name": "gateway-to-gateway",
                "description": "Partners' gateways only (RFC 9421 signed requests).",
            },
            {"name": "public", "description": "Public verification of COs (no login)."},
        ],
    )
    app.state.node = node
    problems.install(app)
    api = APIRouter(prefix="/api/v1")
    # certificate_pdf before certificates: its /certificates/{id}.pdf must win over /{id}
    for router in (
        applications.router,
        certificate_pdf.router,
        certificates.router,
        users.router,
        audit.router,
        messages.router,
        claims_api.router,
        verification_api.router,
        clock.router,
    ):
        api.include_router(router)
    app.include_router(api)
    for router in extra_routers:
        app.include_router(router)

    @app.get("/health", tags=["health"], summary="Liveness and identity")
    def health() -> dict[str, Any]:
        """Whether the node answers, who it is and its version."""
        return {
            "status": "ok",
            "participant": node.identity.participant_id,
            "country": node.identity.country,
            "version": __version__,
        }

    app.add_middleware(
        BodySizeLimit, max_bytes=node.settings.max_document_bytes + 64 * 1024, skip=G2G_PREFIX
    )
    app.add_middleware(G2GGate, node=node)  # outermost: refuses before anything is read
    return app
